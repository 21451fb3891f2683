//! Validated ISO 3166-1 alpha-3 country codes (hand-written; replaces the
//! spec's `CountryAlpha3` string in the generated models).

use std::fmt;
use std::str::FromStr;

/// An issuing country's code: three upper-case ASCII letters, as ISO 3166-1
/// alpha-3 defines them, plus Jumio's `XKX` for Kosovo.
///
/// Only the shape is checked, not membership of the ISO list, so a country
/// added to ISO 3166 after this crate was released still parses. The value is
/// three bytes and `Copy`, which keeps look-ups by country cheap.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 3]);

/// ISO 3166-1 (alpha-3, alpha-2, name) plus Kosovo, written by
/// `cargo xtask countries` from the iso-codes project's data.
const COUNTRIES_TSV: &str = include_str!("../data/countries.tsv");

/// The error for a string that is not a country code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidCountryCode {
    value: String,
    /// Whether the value was typed by a person (any case was accepted).
    lenient: bool,
}

impl InvalidCountryCode {
    /// The alpha-3 code of the country whose ISO 3166-1 alpha-2 code the
    /// value is, such as `NLD` for `NL`: the usual mistake.
    pub fn alpha3_suggestion(&self) -> Option<CountryCode> {
        CountryCode::from_alpha2(self.value.trim())
    }
}

impl fmt::Display for InvalidCountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Bound the echo: the value may come from an untrusted response.
        let shown: String = self.value.chars().take(16).collect();
        let more = if shown.len() < self.value.len() {
            "…"
        } else {
            ""
        };
        write!(f, "invalid country code {shown:?}{more}: ")?;
        if self.lenient {
            f.write_str(
                "expected an ISO 3166-1 alpha-3 code (three letters, any case) such as \"NLD\"",
            )?;
        } else {
            f.write_str("expected three upper-case letters such as \"NLD\"")?;
        }
        if let Some(code) = self.alpha3_suggestion() {
            let name = code.iso_name().unwrap_or_default();
            write!(
                f,
                "; {:?} is the alpha-2 code of {name}, whose alpha-3 code is {code}",
                self.value.trim()
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidCountryCode {}

impl CountryCode {
    /// Parses a code, which must already be upper case (as Jumio sends it).
    pub fn new(code: &str) -> Result<Self, InvalidCountryCode> {
        match code.as_bytes() {
            &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_uppercase) => {
                Ok(CountryCode([a, b, c]))
            }
            _ => Err(InvalidCountryCode {
                value: code.to_owned(),
                lenient: false,
            }),
        }
    }

    /// Parses a code typed by a person: surrounding space is trimmed and
    /// lower case is accepted (`"nld"` gives `NLD`). The one lenient
    /// reading of a country, for user input: the `netverify` CLI reads its
    /// arguments with it, and a web service its query parameters.
    /// [`new`](Self::new) and `FromStr` stay strict (the wire form).
    ///
    /// ```
    /// use netverify_api::CountryCode;
    /// assert_eq!(CountryCode::parse_lenient(" nld ")?.as_str(), "NLD");
    /// for refused in ["12", "", "NL", "NLDX", "N D"] {
    ///     assert!(CountryCode::parse_lenient(refused).is_err(), "{refused}");
    /// }
    /// # Ok::<(), netverify_api::InvalidCountryCode>(())
    /// ```
    pub fn parse_lenient(code: &str) -> Result<Self, InvalidCountryCode> {
        CountryCode::new(&code.trim().to_ascii_uppercase()).map_err(|_| InvalidCountryCode {
            value: code.to_owned(),
            lenient: true,
        })
    }

    /// Every ISO 3166-1 country, plus `XKX` (Kosovo), with its English
    /// name, in code order.
    pub fn iso_countries() -> impl Iterator<Item = (CountryCode, &'static str)> {
        iso_rows().map(|(alpha3, _, name)| (alpha3, name))
    }

    /// The country's ISO 3166-1 name (`Kosovo` for `XKX`), if the code is
    /// in ISO 3166-1.
    pub fn iso_name(self) -> Option<&'static str> {
        iso_rows()
            .find(|(alpha3, _, _)| *alpha3 == self)
            .map(|(_, _, name)| name)
    }

    /// The alpha-3 code of an ISO 3166-1 alpha-2 code, in any case
    /// (`"nl"` gives `NLD`; `XK` gives Jumio's `XKX` for Kosovo).
    pub fn from_alpha2(alpha2: &str) -> Option<CountryCode> {
        iso_rows()
            .find(|(_, code, _)| code.eq_ignore_ascii_case(alpha2))
            .map(|(alpha3, _, _)| alpha3)
    }

    /// The code as a string slice.
    pub fn as_str(&self) -> &str {
        // Only ASCII upper-case letters are ever stored.
        std::str::from_utf8(&self.0).expect("country codes are ASCII")
    }
}

/// The rows of the ISO table: alpha-3, alpha-2, name.
fn iso_rows() -> impl Iterator<Item = (CountryCode, &'static str, &'static str)> {
    COUNTRIES_TSV
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| {
            let mut columns = line.split('\t');
            let mut column = || columns.next().expect("countries.tsv has three columns");
            let alpha3 = CountryCode::new(column()).expect("countries.tsv holds alpha-3 codes");
            (alpha3, column(), column())
        })
}

impl FromStr for CountryCode {
    type Err = InvalidCountryCode;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        CountryCode::new(code)
    }
}

impl TryFrom<&str> for CountryCode {
    type Error = InvalidCountryCode;

    fn try_from(code: &str) -> Result<Self, Self::Error> {
        CountryCode::new(code)
    }
}

impl TryFrom<String> for CountryCode {
    type Error = InvalidCountryCode;

    fn try_from(code: String) -> Result<Self, Self::Error> {
        CountryCode::new(&code)
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CountryCode({})", self.as_str())
    }
}

impl AsRef<str> for CountryCode {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl serde::Serialize for CountryCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for CountryCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = CountryCode;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a three-letter upper-case country code such as \"NLD\"")
            }
            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<CountryCode, E> {
                CountryCode::new(value).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// The spec's `CountryAlpha3`: three upper-case letters.
#[cfg(feature = "schemars")]
#[cfg_attr(docsrs, doc(cfg(feature = "schemars")))]
impl schemars::JsonSchema for CountryCode {
    fn schema_name() -> String {
        "CountryAlpha3".to_owned()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        use schemars::schema::{InstanceType, Metadata, SchemaObject, StringValidation};
        SchemaObject {
            instance_type: Some(InstanceType::String.into()),
            string: Some(Box::new(StringValidation {
                min_length: Some(3),
                max_length: Some(3),
                pattern: Some("^[A-Z]{3}$".to_owned()),
            })),
            metadata: Some(Box::new(Metadata {
                description: Some(
                    "ISO 3166-1 alpha-3 code of the issuing country, or `XKX` for Kosovo."
                        .to_owned(),
                ),
                examples: vec![serde_json::json!("NLD")],
                ..Default::default()
            })),
            ..Default::default()
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_three_upper_case_letters_only() {
        for good in ["NLD", "XKX", "FRO"] {
            assert_eq!(CountryCode::new(good).unwrap().as_str(), good);
        }
        for bad in ["", "NL", "NLDX", "nld", "NlD", "N1D", "ÄBC", " NLD"] {
            assert!(CountryCode::new(bad).is_err(), "{bad:?} was accepted");
        }
        assert_eq!(CountryCode::parse_lenient(" nld ").unwrap().as_str(), "NLD");
        let err = serde_json::from_str::<CountryCode>("\"nld\"").unwrap_err();
        assert!(
            err.to_string().contains("invalid country code \"nld\""),
            "{err}"
        );
    }
}
