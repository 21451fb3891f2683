//! Differences between two catalogues.

use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;
use netverify_api::{CountryCode, IdType};

/// A (country, ID type) entry of one catalogue.
///
/// ```
/// # use netverify::{Catalogue, Country, CountryCode, Document, IdType, ListKey, Utc};
/// let nld = CountryCode::new("NLD")?;
/// let old = Catalogue::new(Utc::now(), ListKey::SupportedIdTypes, vec![]);
/// let new = Catalogue::new(Utc::now(), ListKey::SupportedIdTypes,
///     vec![Country::new(nld, "Netherlands", vec![Document::new(IdType::Visa, false)])]);
/// let entry: &netverify::DiffEntry = &old.diff(&new).only_in_right[0];
/// assert_eq!((entry.country_code, &entry.id_type, entry.back_side), (nld, &IdType::Visa, false));
/// # Ok::<(), netverify::InvalidCountryCode>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DiffEntry {
    /// The issuing country.
    pub country_code: CountryCode,
    /// The country's name in the catalogue the entry is from.
    pub country_name: String,
    /// The document type.
    pub id_type: IdType,
    /// Whether the back side must be captured.
    pub back_side: bool,
}

/// A (country, ID type) entry in both catalogues whose back-side
/// requirement differs.
///
/// ```
/// # use netverify::{Catalogue, Country, CountryCode, Document, IdType, ListKey, Utc};
/// let nld = CountryCode::new("NLD")?;
/// let with = |back| Catalogue::new(Utc::now(), ListKey::SupportedIdTypes,
///     vec![Country::new(nld, "Netherlands", vec![Document::new(IdType::IdCard, back)])]);
/// let change: &netverify::BackSideChange = &with(false).diff(&with(true)).back_side_changed[0];
/// assert!(!change.left && change.right);
/// # Ok::<(), netverify::InvalidCountryCode>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BackSideChange {
    /// The issuing country.
    pub country_code: CountryCode,
    /// The country's name in the right-hand catalogue.
    pub country_name: String,
    /// The document type.
    pub id_type: IdType,
    /// The requirement in the left-hand catalogue.
    pub left: bool,
    /// The requirement in the right-hand catalogue.
    pub right: bool,
}

/// What differs between two catalogues, from [`Catalogue::diff`].
///
/// Each list follows the server order of the catalogue its entries come from
/// (the right-hand one for back-side changes).
///
/// ```
/// # use netverify::{Catalogue, ListKey, Utc};
/// let empty = Catalogue::new(Utc::now(), ListKey::SupportedIdTypes, vec![]);
/// let diff: netverify::CatalogueDiff = empty.diff(&empty);
/// assert!(diff.is_empty());
/// // It serializes, and deserializes back.
/// let json = serde_json::to_string(&diff).unwrap();
/// assert_eq!(serde_json::from_str::<netverify::CatalogueDiff>(&json).unwrap(), diff);
/// # Ok::<(), netverify::InvalidCountryCode>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CatalogueDiff {
    /// Entries only in the left-hand catalogue.
    pub only_in_left: Vec<DiffEntry>,
    /// Entries only in the right-hand catalogue.
    pub only_in_right: Vec<DiffEntry>,
    /// Entries in both whose back-side requirement differs.
    pub back_side_changed: Vec<BackSideChange>,
}

impl CatalogueDiff {
    /// Whether the two catalogues have the same entries.
    ///
    /// ```
    /// assert!(netverify::CatalogueDiff::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.only_in_left.is_empty()
            && self.only_in_right.is_empty()
            && self.back_side_changed.is_empty()
    }
}

impl Catalogue {
    /// Compares this catalogue (left) with `other` (right), entry by entry
    /// (a country's name and the timestamps are not compared).
    ///
    /// * Accepted vs supported, `accepted.diff(&supported)`:
    ///   [`only_in_left`](CatalogueDiff::only_in_left) are accepted documents
    ///   Jumio no longer supports, [`only_in_right`](CatalogueDiff::only_in_right)
    ///   are supported documents the account could still enable.
    /// * Old vs new, `yesterday.diff(&today)`: removed, added, and documents
    ///   whose back-side requirement changed.
    ///
    /// Each entry is looked up in the other catalogue's index, so the diff
    /// takes time linear in the sizes of the two catalogues.
    ///
    /// ```
    /// # use netverify::{Catalogue, Country, CountryCode, Document, IdType, ListKey, Utc};
    /// let nld = CountryCode::new("NLD")?;
    /// let accepted = Catalogue::new(Utc::now(), ListKey::AcceptedIdTypes,
    ///     vec![Country::new(nld, "Netherlands", vec![Document::new(IdType::Passport, false)])]);
    /// let supported = Catalogue::new(Utc::now(), ListKey::SupportedIdTypes,
    ///     vec![Country::new(nld, "Netherlands", vec![
    ///         Document::new(IdType::Passport, false),
    ///         Document::new(IdType::IdCard, true),
    ///     ])]);
    /// let diff = accepted.diff(&supported);
    /// assert!(diff.only_in_left.is_empty()); // nothing accepted is unsupported
    /// assert_eq!(diff.only_in_right[0].id_type, IdType::IdCard); // could still be enabled
    /// # Ok::<(), netverify::InvalidCountryCode>(())
    /// ```
    pub fn diff(&self, other: &Catalogue) -> CatalogueDiff {
        let only_in = |from: &Catalogue, to: &Catalogue| {
            from.entries()
                .filter(|(country, document)| !to.contains(country.code(), document.id_type()))
                .map(|(country, document)| DiffEntry {
                    country_code: country.code(),
                    country_name: country.name().to_owned(),
                    id_type: document.id_type().clone(),
                    back_side: document.back_side_required(),
                })
                .collect()
        };
        let back_side_changed = other
            .entries()
            .filter_map(|(country, document)| {
                let left = self.back_side_required(country.code(), document.id_type())?;
                (left != document.back_side_required()).then(|| BackSideChange {
                    country_code: country.code(),
                    country_name: country.name().to_owned(),
                    id_type: document.id_type().clone(),
                    left,
                    right: document.back_side_required(),
                })
            })
            .collect();
        CatalogueDiff {
            only_in_left: only_in(self, other),
            only_in_right: only_in(other, self),
            back_side_changed,
        }
    }
}
