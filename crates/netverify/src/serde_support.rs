//! Serde support beyond the catalogue's own: regions, and single countries
//! and documents in the API's JSON shape.

use netverify_api::types::{CountryDocuments, DocumentRequirements};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::catalogue::{Country, Document};
use crate::config::Region;

/// Serializes as `"us"`, `"eu"` or `"sgp"` ([`Region::as_str`]).
///
/// ```
/// assert_eq!(serde_json::to_string(&netverify::Region::Eu)?, r#""eu""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
impl Serialize for Region {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Deserializes from a string, as `FromStr` reads it: `us`, `eu` or `sgp`,
/// in any case.
///
/// ```
/// let region: netverify::Region = serde_json::from_str(r#""SGP""#)?;
/// assert_eq!(region, netverify::Region::Sgp);
/// assert!(serde_json::from_str::<netverify::Region>(r#""apac""#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
impl<'de> Deserialize<'de> for Region {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Reads one country in the API's shape (`countryCode`, `countryName`,
/// `idTypes`), with the rules of the catalogue decoder.
///
/// ```
/// let json = r#"{"countryCode":"NLD","countryName":"Netherlands",
///     "idTypes":[{"acquisitionConfig":{"backSide":false},"idType":"PASSPORT"}]}"#;
/// let country: netverify::Country = serde_json::from_str(json)?;
/// assert_eq!(country.code().as_str(), "NLD");
/// assert_eq!(serde_json::from_str::<netverify::Country>(&serde_json::to_string(&country)?)?, country);
/// # Ok::<(), serde_json::Error>(())
/// ```
impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = CountryDocuments::deserialize(deserializer)?;
        Ok(Country::new(
            wire.country_code,
            String::from(wire.country_name),
            wire.id_types.into_iter().map(document).collect(),
        ))
    }
}

/// Reads one document in the API's shape (`idType`,
/// `acquisitionConfig.backSide`).
///
/// ```
/// let json = r#"{"acquisitionConfig":{"backSide":true},"idType":"ID_CARD"}"#;
/// let document: netverify::Document = serde_json::from_str(json)?;
/// assert_eq!(document, netverify::Document::new(netverify::IdType::IdCard, true));
/// # Ok::<(), serde_json::Error>(())
/// ```
impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        DocumentRequirements::deserialize(deserializer).map(document)
    }
}

fn document(wire: DocumentRequirements) -> Document {
    Document::new(wire.id_type, wire.acquisition_config.back_side)
}

/// `JsonSchema` for the types a service re-publishes (feature `schemars`):
/// the schema of the JSON each one writes, under the facade's type name.
/// `IdType` (`DocumentKind`) and `CountryCode` (`CountryAlpha3`) have theirs
/// from netverify-api.
#[cfg(feature = "schemars")]
mod schemas {
    use netverify_api::AcceptedIdTypesResponse;
    use netverify_api::types::{CountryDocuments, DocumentRequirements};
    use schemars::JsonSchema;
    use schemars::r#gen::SchemaGenerator;
    use schemars::schema::Schema;

    use crate::catalogue::{Catalogue, Country, Document};

    macro_rules! same_schema_as {
        ($facade:ty, $name:literal, $wire:ty) => {
            #[cfg_attr(docsrs, doc(cfg(feature = "schemars")))]
            impl JsonSchema for $facade {
                fn schema_name() -> String {
                    $name.to_owned()
                }
                fn json_schema(generator: &mut SchemaGenerator) -> Schema {
                    <$wire>::json_schema(generator)
                }
            }
        };
    }

    same_schema_as!(Catalogue, "Catalogue", AcceptedIdTypesResponse);
    same_schema_as!(Country, "Country", CountryDocuments);
    same_schema_as!(Document, "Document", DocumentRequirements);
}
