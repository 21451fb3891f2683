//! Restricting a catalogue to some countries and ID types.

use crate::catalogue::{Catalogue, Country};
use netverify_api::{CountryCode, IdType};

impl Catalogue {
    /// The catalogue restricted to `countries` and `id_types`, in server
    /// order, with the same timestamp and list key. An empty slice does not
    /// restrict: `filter(&[], &[])` is the whole catalogue.
    ///
    /// With an ID-type filter, a country is kept only when it has at least
    /// one of the ID types; with only a country filter, a listed country is
    /// kept even when it has no documents. Countries not in the catalogue are
    /// not an error; [`Catalogue::country`] tells which ones are missing.
    ///
    /// ```
    /// use netverify::{Catalogue, Country, CountryCode, Document, IdType, ListKey};
    /// let nld = CountryCode::new("NLD")?;
    /// let fro = CountryCode::new("FRO")?;
    /// let catalogue = Catalogue::new(netverify::Utc::now(), ListKey::SupportedIdTypes, vec![
    ///     Country::new(nld, "Netherlands", vec![
    ///         Document::new(IdType::IdCard, true),
    ///         Document::new(IdType::Passport, false),
    ///     ]),
    ///     Country::new(fro, "Faroe Islands", vec![Document::new(IdType::IdCard, true)]),
    /// ]);
    ///
    /// let passports = catalogue.filter(&[], &[IdType::Passport]);
    /// assert_eq!(passports.len(), 1); // FRO has none
    /// assert_eq!(passports.countries()[0].documents().len(), 1);
    ///
    /// let dutch = catalogue.filter(&[nld], &[]);
    /// assert_eq!(dutch.countries()[0].documents().len(), 2);
    /// assert_eq!(catalogue.filter(&[], &[]), catalogue);
    /// # Ok::<(), netverify::InvalidCountryCode>(())
    /// ```
    pub fn filter(&self, countries: &[CountryCode], id_types: &[IdType]) -> Catalogue {
        let kept = self
            .countries()
            .iter()
            .filter(|country| countries.is_empty() || countries.contains(&country.code()))
            .filter_map(|country| {
                let documents: Vec<_> = country
                    .documents()
                    .iter()
                    .filter(|document| id_types.is_empty() || id_types.contains(document.id_type()))
                    .cloned()
                    .collect();
                let keep = id_types.is_empty() || !documents.is_empty();
                keep.then(|| Country::new(country.code(), country.name(), documents))
            })
            .collect();
        Catalogue::new(self.timestamp(), self.list_key(), kept).with_endpoint(self.endpoint())
    }
}
