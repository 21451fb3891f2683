//! The documents the mock serves, serialized once so that serving a request
//! only writes bytes that already exist.

use std::fmt;
use std::path::{Path, PathBuf};

use axum::body::Bytes;
use netverify_api::types::{CaptureSettings, CountryDocuments, DocumentRequirements};
use netverify_api::{AcceptedIdTypesResponse, CountryCode, IdType, ListKey, Operation};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// The file [`Catalogue::from_dir`] reads the supported catalogue from.
pub const SUPPORTED_FILE: &str = "supportedIdTypes.json";
/// The file [`Catalogue::from_dir`] reads the accepted catalogue from.
pub const ACCEPTED_FILE: &str = "acceptedIdTypes.json";

/// Visas are the only documents Jumio verifies for these issuers besides the
/// usual ones (US and Chinese visas, per Jumio's documentation).
const VISA_ISSUERS: [&str; 2] = ["CHN", "USA"];

/// The supported and accepted lists one server answers with.
///
/// Both lists are serialized to JSON once, when the catalogue is built; the
/// server then sends those bytes with a fresh timestamp in front.
#[derive(Clone)]
pub struct Catalogue {
    supported: Vec<CountryDocuments>,
    accepted: Vec<CountryDocuments>,
    supported_json: Bytes,
    accepted_json: Bytes,
}

impl fmt::Debug for Catalogue {
    // The lists run to tens of kilobytes; their sizes are what a reader needs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalogue")
            .field("supported_countries", &self.supported.len())
            .field("accepted_countries", &self.accepted.len())
            .finish()
    }
}

impl Default for Catalogue {
    fn default() -> Self {
        Catalogue::sample()
    }
}

impl Catalogue {
    /// A catalogue of the given lists, serialized as the generated models
    /// serialize them.
    pub fn new(supported: Vec<CountryDocuments>, accepted: Vec<CountryDocuments>) -> Self {
        let to_json = |list: &Vec<CountryDocuments>| {
            Bytes::from(serde_json::to_vec(list).expect("the generated models always serialize"))
        };
        Catalogue {
            supported_json: to_json(&supported),
            accepted_json: to_json(&accepted),
            supported,
            accepted,
        }
    }

    /// The built-in sample data: every ISO 3166-1 country plus XKX (Kosovo),
    /// each with a made-up but deterministic set of ID types, and NLD, FRO,
    /// GAB and SGP exactly as in Jumio's documented samples. The accepted list
    /// is a deterministic subset of the supported one that includes GAB and
    /// SGP as documented. It is sample data, not Jumio's real catalogue.
    pub fn sample() -> Self {
        let documented_supported = sample_list(Operation::SupportedIdTypes);
        let documented_accepted = sample_list(Operation::AcceptedIdTypes);
        let find = |list: &[CountryDocuments], code: CountryCode| {
            list.iter()
                .find(|entry| entry.country_code == code)
                .cloned()
        };

        let mut supported = Vec::new();
        let mut accepted = Vec::new();
        for (code, name) in CountryCode::iso_countries() {
            let hash = stable_hash(code);
            if let Some(entry) = find(&documented_accepted, code) {
                // An accepted document must also be supported: the documented
                // accepted entry is the supported entry as well.
                supported.push(entry.clone());
                accepted.push(entry);
                continue;
            }
            let entry = find(&documented_supported, code)
                .unwrap_or_else(|| invented_entry(code, name, hash));
            if let Some(accepted_entry) = accepted_subset(&entry, hash) {
                accepted.push(accepted_entry);
            }
            supported.push(entry);
        }
        Catalogue::new(supported, accepted)
    }

    /// Exactly Jumio's documented sample answers (NLD and FRO supported; GAB
    /// and SGP accepted), from `netverify_api::Operation::documented_sample`.
    pub fn documented_samples() -> Self {
        Catalogue::new(
            sample_list(Operation::SupportedIdTypes),
            sample_list(Operation::AcceptedIdTypes),
        )
    }

    /// Loads a catalogue saved from the API: `dir` must hold
    /// `supportedIdTypes.json` and `acceptedIdTypes.json`, each a whole
    /// response document as the endpoint returns it. The accepted file may
    /// name its list `acceptedIdTypes` or `supportedIdTypes`; `timestamp` and
    /// unknown top-level keys are ignored.
    ///
    /// Every entry is checked against the API's models, then served verbatim:
    /// the bytes of both lists are sent exactly as they are in the files,
    /// including unknown fields and ID types.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Self, CatalogueError> {
        #[derive(Deserialize)]
        struct SupportedFile<'a> {
            #[serde(rename = "supportedIdTypes", borrow)]
            list: &'a RawValue,
        }
        #[derive(Deserialize)]
        struct AcceptedFile<'a> {
            #[serde(rename = "acceptedIdTypes", borrow, default)]
            accepted: Option<&'a RawValue>,
            #[serde(rename = "supportedIdTypes", borrow, default)]
            supported: Option<&'a RawValue>,
        }

        let dir = dir.as_ref();
        let supported_path = dir.join(SUPPORTED_FILE);
        let supported_text = read(&supported_path)?;
        let supported_raw = parse::<SupportedFile>(&supported_path, &supported_text)?.list;
        let supported = parse_list(&supported_path, "supportedIdTypes", supported_raw)?;

        let accepted_path = dir.join(ACCEPTED_FILE);
        let accepted_text = read(&accepted_path)?;
        let accepted_file = parse::<AcceptedFile>(&accepted_path, &accepted_text)?;
        // The workspace's one rule for which key holds the list.
        let (key, accepted_raw) = ListKey::select(accepted_file.accepted, accepted_file.supported)
            .map_err(|_| CatalogueError::MissingList {
                path: accepted_path.clone(),
            })?;
        let accepted = parse_list(&accepted_path, key.as_str(), accepted_raw)?;

        Ok(Catalogue {
            supported,
            accepted,
            supported_json: Bytes::copy_from_slice(supported_raw.get().as_bytes()),
            accepted_json: Bytes::copy_from_slice(accepted_raw.get().as_bytes()),
        })
    }

    /// The supported list, as the generated models read it.
    pub fn supported(&self) -> &[CountryDocuments] {
        &self.supported
    }

    /// The accepted list, as the generated models read it.
    pub fn accepted(&self) -> &[CountryDocuments] {
        &self.accepted
    }

    /// The supported list's JSON, exactly as it is served.
    pub(crate) fn supported_json(&self) -> &Bytes {
        &self.supported_json
    }

    /// The accepted list's JSON, exactly as it is served.
    pub(crate) fn accepted_json(&self) -> &Bytes {
        &self.accepted_json
    }
}

/// Why [`Catalogue::from_dir`] could not load a catalogue.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogueError {
    /// A file could not be read.
    #[error("cannot read {}: {error}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        error: std::io::Error,
    },
    /// A file is not a response document in the API's shape.
    #[error("{} is not a response in the API's shape: {detail}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong and at which JSON path.
        detail: String,
    },
    /// The accepted file has neither an `acceptedIdTypes` nor a
    /// `supportedIdTypes` list.
    #[error("{} has neither an acceptedIdTypes nor a supportedIdTypes list", path.display())]
    MissingList {
        /// The file.
        path: PathBuf,
    },
}

fn read(path: &Path) -> Result<String, CatalogueError> {
    std::fs::read_to_string(path).map_err(|error| CatalogueError::Read {
        path: path.to_owned(),
        error,
    })
}

fn parse<'a, T: Deserialize<'a>>(path: &Path, text: &'a str) -> Result<T, CatalogueError> {
    serde_json::from_str(text).map_err(|error| CatalogueError::Invalid {
        path: path.to_owned(),
        detail: error.to_string(),
    })
}

/// Checks one list against the models, naming the JSON path of a bad entry.
fn parse_list(
    path: &Path,
    key: &str,
    raw: &RawValue,
) -> Result<Vec<CountryDocuments>, CatalogueError> {
    parse_with_path(raw.get()).map_err(|(at, error)| CatalogueError::Invalid {
        path: path.to_owned(),
        detail: format!("at {key}{at}: {error}"),
    })
}

fn parse_with_path<T: DeserializeOwned>(json: &str) -> Result<T, (String, serde_json::Error)> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let at = error.path().to_string();
        let at = if at == "." { String::new() } else { at };
        (at, error.into_inner())
    })
}

/// The list of an operation's documented sample, read with the one rule of
/// `ListKey::select`.
fn sample_list(operation: Operation) -> Vec<CountryDocuments> {
    let document: AcceptedIdTypesResponse = serde_json::from_str(operation.documented_sample())
        .expect("the documented samples match the models");
    document.countries
}

/// FNV-1a of the code: stable across platforms and releases, unlike std's
/// `Hash`, so the sample catalogue never changes by itself.
fn stable_hash(code: CountryCode) -> u32 {
    code.as_str().bytes().fold(0x811c_9dc5, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// Generated values are built through progenitor's builders, never struct
/// literals: a property the spec adds later (optional, with a default) then
/// needs no change here.
fn document(id_type: IdType, back_side: bool) -> DocumentRequirements {
    DocumentRequirements::builder()
        .id_type(id_type)
        .acquisition_config(CaptureSettings::builder().back_side(back_side))
        .try_into()
        .expect("every required field is set")
}

/// Made-up documents for a country the samples do not cover, in the order the
/// samples use (ID card, driving licence, passport). Every country issues
/// passports; about two in three get an ID card and four in five a driving
/// licence, so the catalogue has the variety of the real one.
fn invented_entry(code: CountryCode, name: &str, hash: u32) -> CountryDocuments {
    let mut id_types = Vec::with_capacity(4);
    if !hash.is_multiple_of(3) {
        id_types.push(document(IdType::IdCard, !(hash >> 2).is_multiple_of(8)));
    }
    if !(hash >> 5).is_multiple_of(5) {
        id_types.push(document(IdType::DrivingLicense, (hash >> 8) & 1 == 1));
    }
    id_types.push(document(IdType::Passport, false));
    if VISA_ISSUERS.contains(&code.as_str()) {
        id_types.push(document(IdType::Visa, false));
    }
    CountryDocuments::builder()
        .country_code(code)
        .country_name(name)
        .id_types(id_types)
        .try_into()
        .expect("ISO 3166-1 names are shorter than 100 characters")
}

/// The accepted part of a supported entry: about two countries in three, and
/// of those some leave driving licences out.
fn accepted_subset(entry: &CountryDocuments, hash: u32) -> Option<CountryDocuments> {
    if (hash >> 12).is_multiple_of(3) {
        return None;
    }
    let drop_licence = (hash >> 16) & 1 == 1;
    let mut accepted = entry.clone();
    accepted
        .id_types
        .retain(|doc| !(drop_licence && doc.id_type == IdType::DrivingLicense));
    Some(accepted)
}
