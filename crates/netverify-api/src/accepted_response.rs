//! The `acceptedIdTypes` response document (hand-written; replaces the
//! spec's `AcceptedIdTypesResponse` in the generated client).
//!
//! The spec lets this document carry its list under either of two keys and
//! requires one of them (`anyOf` of two `required` lists). A generated model
//! reads an absent optional array as an empty one, which would turn a
//! response without its list into "this account accepts nothing". This type
//! applies [`ListKey::select`] instead, so a document without either key
//! fails to decode.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::ser::SerializeStruct as _;
use serde::{Deserialize, Serialize};

use crate::operation::ListKey;
use crate::types::CountryDocuments;

/// A catalogue document that holds its list under `acceptedIdTypes` or
/// `supportedIdTypes`, decoded with the rule of [`ListKey::select`].
///
/// It is the decoded answer of `acceptedIdTypes`, and it reads any saved
/// catalogue document, of either endpoint. It serializes back under the key
/// it was read with.
#[derive(Clone, Debug, PartialEq)]
pub struct AcceptedIdTypesResponse {
    /// When the response was produced, in UTC with milliseconds.
    pub timestamp: DateTime<Utc>,
    /// The key the list was found under.
    pub list_key: ListKey,
    /// The documents, per country, in server order.
    pub countries: Vec<CountryDocuments>,
}

/// The document as it is on the wire: both keys optional.
#[derive(Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(rename = "AcceptedIdTypesResponse"))]
struct WireDocument {
    /// When the response was produced, in UTC with milliseconds (`YYYY-MM-DDThh:mm:ss.SSSZ`).
    timestamp: DateTime<Utc>,
    /// The accepted documents, per country (the key of Jumio's sample response).
    #[serde(rename = "acceptedIdTypes")]
    accepted_id_types: Option<Vec<CountryDocuments>>,
    /// The same list under the key Jumio's parameter table names.
    #[serde(rename = "supportedIdTypes")]
    supported_id_types: Option<Vec<CountryDocuments>>,
}

impl<'de> Deserialize<'de> for AcceptedIdTypesResponse {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = WireDocument::deserialize(deserializer)?;
        let (list_key, countries) =
            ListKey::select(wire.accepted_id_types, wire.supported_id_types)
                .map_err(serde::de::Error::custom)?;
        Ok(AcceptedIdTypesResponse {
            timestamp: wire.timestamp,
            list_key,
            countries,
        })
    }
}

impl Serialize for AcceptedIdTypesResponse {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut document = serializer.serialize_struct("AcceptedIdTypesResponse", 2)?;
        // Jumio's documented format: UTC with exactly three fraction digits;
        // finer digits a server sent are kept, so that a document written back
        // reads back equal.
        let precision = if self
            .timestamp
            .timestamp_subsec_nanos()
            .is_multiple_of(1_000_000)
        {
            SecondsFormat::Millis
        } else {
            SecondsFormat::AutoSi
        };
        document.serialize_field(
            "timestamp",
            &self.timestamp.to_rfc3339_opts(precision, true),
        )?;
        document.serialize_field(self.list_key.as_str(), &self.countries)?;
        document.end()
    }
}

/// The wire shape, plus the rule that one of the two keys is required.
#[cfg(feature = "schemars")]
#[cfg_attr(docsrs, doc(cfg(feature = "schemars")))]
impl schemars::JsonSchema for AcceptedIdTypesResponse {
    fn schema_name() -> String {
        "AcceptedIdTypesResponse".to_owned()
    }

    fn json_schema(generator: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        use schemars::schema::{ObjectValidation, Schema, SchemaObject};
        let mut schema = WireDocument::json_schema(generator).into_object();
        schema.metadata().description = Some(
            "The ID documents this account accepts, per issuing country. Jumio's sample names \
             the list `acceptedIdTypes` while its parameter table names it `supportedIdTypes`; \
             a response carries at least one of the two. When both are present, \
             `acceptedIdTypes` is the list. A document with neither holds no list and must be \
             rejected, never read as an empty catalogue."
                .to_owned(),
        );
        let required = |key: ListKey| {
            Schema::Object(SchemaObject {
                object: Some(Box::new(ObjectValidation {
                    required: [key.as_str().to_owned()].into(),
                    ..Default::default()
                })),
                ..Default::default()
            })
        };
        schema.subschemas().any_of = Some(ListKey::ALL.into_iter().map(required).collect());
        Schema::Object(schema)
    }
}
