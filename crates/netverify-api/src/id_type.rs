//! The open set of identity document types (hand-written; replaces the spec's
//! `DocumentKind` string in the generated models).

use std::fmt;
use std::str::FromStr;

/// A kind of identity document, as Jumio names it in `idType`.
///
/// The set is open: Jumio adds values without notice (`VISA` appeared after
/// the catalogue was documented, and the spelling `DRIVER_LICENSE` was used in
/// 2018). A value this crate does not know is kept in [`IdType::Unknown`] and
/// serialized back exactly as received, so one new value never fails a whole
/// catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum IdType {
    /// `PASSPORT`
    Passport,
    /// `DRIVING_LICENSE`
    DrivingLicense,
    /// `ID_CARD`
    IdCard,
    /// `VISA`
    Visa,
    /// Any other value, kept verbatim.
    Unknown(String),
}

impl IdType {
    /// The known values, in the order Jumio's documentation lists them.
    pub const KNOWN: [IdType; 4] = [
        IdType::Passport,
        IdType::DrivingLicense,
        IdType::IdCard,
        IdType::Visa,
    ];

    /// The value as Jumio spells it on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            IdType::Passport => "PASSPORT",
            IdType::DrivingLicense => "DRIVING_LICENSE",
            IdType::IdCard => "ID_CARD",
            IdType::Visa => "VISA",
            IdType::Unknown(other) => other,
        }
    }

    /// Reads an ID type typed by a person: surrounding space is trimmed, case
    /// is ignored, and `-` or a space stands for `_` (`"id-card"` gives
    /// [`IdType::IdCard`]). A value that is still not known becomes
    /// [`IdType::Unknown`] in Jumio's spelling (upper case, `_`). The wire
    /// format stays exact: [`FromStr`] and deserialization keep values as
    /// sent.
    ///
    /// ```
    /// use netverify_api::IdType;
    /// assert_eq!(IdType::parse_lenient(" driving license "), IdType::DrivingLicense);
    /// assert_eq!(IdType::parse_lenient("id-card"), IdType::IdCard);
    /// assert_eq!(IdType::parse_lenient("residence-permit").as_str(), "RESIDENCE_PERMIT");
    /// ```
    pub fn parse_lenient(value: &str) -> IdType {
        let spelled: String = value
            .trim()
            .chars()
            .map(|c| match c {
                '-' | ' ' => '_',
                c => c.to_ascii_uppercase(),
            })
            .collect();
        IdType::from(spelled)
    }

    /// Whether this is a value this crate does not know.
    pub fn is_unknown(&self) -> bool {
        matches!(self, IdType::Unknown(_))
    }

    fn known(value: &str) -> Option<IdType> {
        Some(match value {
            "PASSPORT" => IdType::Passport,
            "DRIVING_LICENSE" => IdType::DrivingLicense,
            "ID_CARD" => IdType::IdCard,
            "VISA" => IdType::Visa,
            _ => return None,
        })
    }
}

impl From<&str> for IdType {
    fn from(value: &str) -> Self {
        IdType::known(value).unwrap_or_else(|| IdType::Unknown(value.to_owned()))
    }
}

impl From<String> for IdType {
    fn from(value: String) -> Self {
        IdType::known(&value).unwrap_or(IdType::Unknown(value))
    }
}

/// Parsing never fails: an unrecognised value becomes [`IdType::Unknown`].
impl FromStr for IdType {
    type Err = std::convert::Infallible;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok(IdType::from(value))
    }
}

impl fmt::Display for IdType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for IdType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for IdType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Borrow when the input allows it, so known values cost no allocation.
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = IdType;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ID type string such as \"PASSPORT\"")
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<IdType, E> {
                Ok(IdType::from(value))
            }
            fn visit_string<E: serde::de::Error>(self, value: String) -> Result<IdType, E> {
                Ok(IdType::from(value))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// The spec's `DocumentKind`: a string of at most 255 characters whose known
/// values are listed, not enforced.
#[cfg(feature = "schemars")]
#[cfg_attr(docsrs, doc(cfg(feature = "schemars")))]
impl schemars::JsonSchema for IdType {
    fn schema_name() -> String {
        "DocumentKind".to_owned()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        use schemars::schema::{InstanceType, Metadata, SchemaObject, StringValidation};
        let mut schema = SchemaObject {
            instance_type: Some(InstanceType::String.into()),
            string: Some(Box::new(StringValidation {
                max_length: Some(255),
                ..Default::default()
            })),
            metadata: Some(Box::new(Metadata {
                description: Some(
                    "The kind of identity document. The set is open: unknown values must be kept."
                        .to_owned(),
                ),
                examples: vec![serde_json::json!("PASSPORT")],
                ..Default::default()
            })),
            ..Default::default()
        };
        schema.extensions.insert(
            "x-extensible-enum".to_owned(),
            IdType::KNOWN
                .iter()
                .map(|t| serde_json::json!(t.as_str()))
                .collect(),
        );
        schema.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_round_trip_and_unknown_values_are_kept() {
        for known in IdType::KNOWN {
            assert_eq!(IdType::from(known.as_str()), known);
            assert!(!known.is_unknown());
        }
        let odd: IdType = serde_json::from_str("\"RESIDENCE_PERMIT\"").unwrap();
        assert_eq!(odd, IdType::Unknown("RESIDENCE_PERMIT".into()));
        assert_eq!(serde_json::to_string(&odd).unwrap(), "\"RESIDENCE_PERMIT\"");
        // Case matters on the wire: a lower-case value is not PASSPORT.
        assert!(IdType::from("passport").is_unknown());
    }
}
