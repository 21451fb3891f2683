//! The catalogue of ID documents: countries in server order plus an index,
//! and the error of JSON that does not decode into one.

use std::fmt;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use netverify_api::AcceptedIdTypesResponse;
use netverify_api::types::{CaptureSettings, CountryDocuments, DocumentRequirements};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Index maps hash with foldhash: several times faster than SipHash on these
/// short keys (decode time is dominated by index building otherwise), and
/// still randomly seeded per process.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;
use crate::error::{Error, excerpt, mask_basic_credentials};
use netverify_api::{CountryCode, IdType, ListKey, Operation};
use std::collections::hash_map::Entry;

/// One document type of a country and how it must be captured.
///
/// ```
/// use netverify::{Document, IdType};
/// let document = Document::new(IdType::IdCard, true);
/// assert_eq!(document.id_type(), &IdType::IdCard);
/// assert!(document.back_side_required());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Document {
    id_type: IdType,
    back_side: bool,
}

impl Document {
    /// A document entry.
    ///
    /// ```
    /// let passport = netverify::Document::new(netverify::IdType::Passport, false);
    /// assert!(!passport.back_side_required());
    /// ```
    pub fn new(id_type: IdType, back_side: bool) -> Self {
        Document { id_type, back_side }
    }

    /// The kind of document.
    ///
    /// ```
    /// let visa = netverify::Document::new(netverify::IdType::Visa, false);
    /// assert_eq!(visa.id_type().as_str(), "VISA");
    /// ```
    pub fn id_type(&self) -> &IdType {
        &self.id_type
    }

    /// Whether the back side must be captured too.
    ///
    /// ```
    /// let card = netverify::Document::new(netverify::IdType::IdCard, true);
    /// assert!(card.back_side_required());
    /// ```
    pub fn back_side_required(&self) -> bool {
        self.back_side
    }
}

/// An issuing country and its documents, in server order.
///
/// ```
/// use netverify::{Country, CountryCode, Document, IdType};
/// let nld = Country::new(CountryCode::new("NLD")?, "Netherlands",
///     vec![Document::new(IdType::Passport, false)]);
/// assert_eq!(nld.name(), "Netherlands");
/// # Ok::<(), netverify::InvalidCountryCode>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Country {
    code: CountryCode,
    name: String,
    documents: Vec<Document>,
}

impl Country {
    /// A country entry.
    ///
    /// ```
    /// let fro = netverify::Country::new(netverify::CountryCode::new("FRO")?, "Faroe Islands", vec![]);
    /// assert!(fro.documents().is_empty());
    /// # Ok::<(), netverify::InvalidCountryCode>(())
    /// ```
    pub fn new(code: CountryCode, name: impl Into<String>, documents: Vec<Document>) -> Self {
        Country {
            code,
            name: name.into(),
            documents,
        }
    }

    /// The ISO 3166-1 alpha-3 code (or `XKX`).
    ///
    /// ```
    /// let code = netverify::CountryCode::new("SGP")?;
    /// assert_eq!(netverify::Country::new(code, "Singapore", vec![]).code(), code);
    /// # Ok::<(), netverify::InvalidCountryCode>(())
    /// ```
    pub fn code(&self) -> CountryCode {
        self.code
    }

    /// The country's name, as the server sent it.
    ///
    /// ```
    /// let gab = netverify::Country::new(netverify::CountryCode::new("GAB")?, "Gabon", vec![]);
    /// assert_eq!(gab.name(), "Gabon");
    /// # Ok::<(), netverify::InvalidCountryCode>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The country's documents, in server order.
    ///
    /// ```
    /// use netverify::{Country, CountryCode, Document, IdType};
    /// let nld = Country::new(CountryCode::new("NLD")?, "Netherlands", vec![
    ///     Document::new(IdType::IdCard, true), Document::new(IdType::Passport, false)]);
    /// assert_eq!(nld.documents()[1].id_type(), &IdType::Passport);
    /// # Ok::<(), netverify::InvalidCountryCode>(())
    /// ```
    pub fn documents(&self) -> &[Document] {
        &self.documents
    }
}

/// A catalogue of ID documents per issuing country, as returned by
/// `supportedIdTypes` or `acceptedIdTypes`.
///
/// Countries and documents keep the order the server sent. Look-ups go
/// through an index, so they cost a hash look-up or two whatever the
/// catalogue's size. The index by ID type is built on the first look-up that
/// needs it (once, also under concurrent use), so a call whose catalogue is
/// only printed or saved does not pay for it. A country or a (country, ID type) pair the server
/// listed twice appears once (see [`Catalogue::new`]).
///
/// A catalogue knows the [`endpoint`](Catalogue::endpoint) it came from,
/// whatever key the server sent its list under (the accepted list may come
/// under `supportedIdTypes`, see [`ListKey`]). It serializes to the API's own
/// JSON shape under that endpoint's own key (`acceptedIdTypes` for the
/// accepted list), with millisecond timestamps, and deserializes from either
/// key, the key naming the endpoint: a saved catalogue loads back equal, and
/// as the list it is.
///
/// ```
/// use netverify::{Catalogue, CountryCode, IdType};
/// let catalogue = Catalogue::from_json(br#"{"timestamp":"2019-03-01T14:13:38.938Z",
///     "supportedIdTypes":[{"countryCode":"NLD","countryName":"Netherlands","idTypes":[
///     {"acquisitionConfig":{"backSide":true},"idType":"ID_CARD"}]}]}"#)?;
/// let nld = CountryCode::new("NLD").unwrap();
/// assert_eq!(catalogue.back_side_required(nld, &IdType::IdCard), Some(true));
/// # Ok::<(), netverify::Error>(())
/// ```
#[derive(Clone)]
pub struct Catalogue {
    timestamp: DateTime<Utc>,
    endpoint: Operation,
    list_key: ListKey,
    countries: Vec<Country>,
    by_code: HashMap<CountryCode, u32>,
    by_type: OnceLock<HashMap<IdType, TypeIndex>>,
}

/// Indexes the documents by ID type. Expects no (country, ID type) pair
/// twice, which [`Catalogue::new`] ensures.
fn index_documents(countries: &[Country]) -> HashMap<IdType, TypeIndex> {
    let mut by_type: HashMap<IdType, TypeIndex> = HashMap::default();
    for (position, country) in countries.iter().enumerate() {
        let position = position as u32;
        for (document_position, document) in country.documents.iter().enumerate() {
            let slot = match by_type.get_mut(&document.id_type) {
                Some(slot) => slot,
                None => by_type.entry(document.id_type.clone()).or_default(),
            };
            if slot.countries.last() != Some(&position) {
                slot.countries.push(position);
            }
            slot.documents
                .insert(country.code, (position, document_position as u32));
        }
    }
    by_type
}

/// Keeps the first of each ID type a country lists more than once.
fn drop_repeated_id_types(documents: &mut Vec<Document>) {
    if has_repeated_id_types(documents) {
        let mut seen = HashSet::default();
        documents.retain(|document| seen.insert(document.id_type.clone()));
    }
}

/// Whether a country lists an ID type twice: a cheap test that spares the
/// usual country, which repeats nothing, the hash set of the `retain` above.
fn has_repeated_id_types(documents: &[Document]) -> bool {
    // Countries list a handful of documents: comparing pairs is cheaper than
    // hashing, and only a hostile response is long enough to need a set.
    const SMALL: usize = 16;
    if documents.len() <= SMALL {
        documents.iter().enumerate().any(|(i, document)| {
            documents[..i]
                .iter()
                .any(|earlier| earlier.id_type == document.id_type)
        })
    } else {
        let mut seen = HashSet::default();
        !documents
            .iter()
            .all(|document| seen.insert(&document.id_type))
    }
}

/// Where one ID type occurs.
#[derive(Clone, Default)]
struct TypeIndex {
    /// Positions in `countries`, in server order.
    countries: Vec<u32>,
    /// Country code to (country position, document position).
    documents: HashMap<CountryCode, (u32, u32)>,
}

impl Catalogue {
    /// Builds a catalogue (and its index) from countries in the order given.
    /// `list_key` names the endpoint too: `acceptedIdTypes` the accepted
    /// list, `supportedIdTypes` the supported one.
    ///
    /// A country listed twice is merged into its first entry (its documents
    /// appended), and a (country, ID type) pair listed twice keeps its first
    /// entry, so that every look-up and every iteration see the same data.
    ///
    /// ```
    /// use netverify::{Catalogue, Country, CountryCode, Document, IdType, ListKey, Utc};
    /// let nld = CountryCode::new("NLD")?;
    /// let catalogue = Catalogue::new(Utc::now(), ListKey::SupportedIdTypes, vec![
    ///     Country::new(nld, "Netherlands", vec![Document::new(IdType::Passport, false)]),
    ///     Country::new(nld, "Netherlands", vec![Document::new(IdType::IdCard, true)]),
    /// ]);
    /// // Merged into one entry.
    /// assert_eq!(catalogue.len(), 1);
    /// assert_eq!(catalogue.countries()[0].documents().len(), 2);
    /// # Ok::<(), netverify::InvalidCountryCode>(())
    /// ```
    pub fn new(timestamp: DateTime<Utc>, list_key: ListKey, countries: Vec<Country>) -> Self {
        let mut by_code = HashMap::with_capacity_and_hasher(countries.len(), Default::default());
        let mut unique: Vec<Country> = Vec::with_capacity(countries.len());
        for country in countries {
            match by_code.entry(country.code) {
                Entry::Vacant(slot) => {
                    slot.insert(unique.len() as u32);
                    unique.push(country);
                }
                Entry::Occupied(slot) => unique[*slot.get() as usize]
                    .documents
                    .extend(country.documents),
            }
        }
        let mut countries = unique;
        for country in &mut countries {
            drop_repeated_id_types(&mut country.documents);
        }
        Catalogue {
            timestamp,
            endpoint: endpoint_of(list_key),
            list_key,
            countries,
            by_code,
            by_type: OnceLock::new(),
        }
    }

    /// A catalogue of `endpoint`'s answer, its list sent under `list_key`.
    pub(crate) fn from_wire(
        timestamp: DateTime<Utc>,
        endpoint: Operation,
        list_key: ListKey,
        wire: Vec<CountryDocuments>,
    ) -> Self {
        let countries = wire
            .into_iter()
            .map(|country| Country {
                code: country.country_code,
                name: country.country_name.into(),
                documents: country
                    .id_types
                    .into_iter()
                    .map(|document| Document {
                        id_type: document.id_type,
                        back_side: document.acquisition_config.back_side,
                    })
                    .collect(),
            })
            .collect();
        Catalogue::new(timestamp, list_key, countries).with_endpoint(endpoint)
    }

    /// The same catalogue, known to come from `endpoint` (a caller that
    /// knows better than the key: the client, a cache for one endpoint).
    pub(crate) fn with_endpoint(mut self, endpoint: Operation) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// Loads a catalogue from the API's JSON shape (a saved catalogue or a
    /// raw response of either endpoint). A leading UTF-8 byte-order mark is
    /// ignored.
    ///
    /// The list is read with the one rule of [`ListKey::select`]:
    /// `acceptedIdTypes` when the document has that key (even with an empty
    /// list), else `supportedIdTypes`. A document with neither key, or with a
    /// misspelled one, holds no list: it fails with [`Error::Decode`] naming
    /// both keys, never loads as an empty catalogue. The key names the
    /// [`endpoint`](Catalogue::endpoint): a catalogue saved by this crate
    /// since 0.3 is under its endpoint's own key. (0.2 wrote the key the
    /// server used, so an accepted list it saved under `supportedIdTypes`
    /// reads as the supported list: nothing in such a file says otherwise.)
    ///
    /// A document that does not decode gives [`Error::Decode`] with the JSON
    /// path that failed and an excerpt of the text around it.
    ///
    /// ```
    /// let saved = br#"{"timestamp":"2019-03-01T14:13:38.938Z","acceptedIdTypes":[
    ///   {"countryCode":"NLD","countryName":"Netherlands",
    ///    "idTypes":[{"idType":"PASSPORT","acquisitionConfig":{"backSide":false}}]}]}"#;
    /// let catalogue = netverify::Catalogue::from_json(saved)?;
    /// assert_eq!(catalogue.list_key(), netverify::ListKey::AcceptedIdTypes);
    /// assert_eq!(catalogue.len(), 1);
    ///
    /// let misspelled = br#"{"timestamp":"2019-03-01T14:13:38.938Z","acceptedIdType":[]}"#;
    /// let error = netverify::Catalogue::from_json(misspelled).unwrap_err();
    /// assert!(error.to_string().contains("`acceptedIdTypes` or `supportedIdTypes`"));
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn from_json(json: &[u8]) -> Result<Catalogue, Error> {
        // A file saved by a Windows tool may start with a UTF-8 byte-order
        // mark, which RFC 8259 lets a parser ignore and serde_json rejects.
        // (Responses lose theirs in netverify-api's hooks.)
        let json = json.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(json);
        // One UTF-8 check for the whole text, not one per string (as
        // netverify-api's generated client decodes responses); a text that is
        // not UTF-8 is decoded as bytes so that the error names the position.
        let decoded = match std::str::from_utf8(json) {
            Ok(text) => serde_json::from_str::<AcceptedIdTypesResponse>(text),
            Err(_) => serde_json::from_slice::<AcceptedIdTypesResponse>(json),
        };
        match decoded {
            Ok(document) => Ok(Catalogue::from_document(document)),
            Err(error) => Err(decode_error::<AcceptedIdTypesResponse>(json, error, None)),
        }
    }

    /// A catalogue of a decoded document of either key.
    pub(crate) fn from_document(document: AcceptedIdTypesResponse) -> Self {
        let endpoint = endpoint_of(document.list_key);
        Catalogue::from_wire(
            document.timestamp,
            endpoint,
            document.list_key,
            document.countries,
        )
    }

    /// When the server produced the catalogue.
    ///
    /// ```
    /// let catalogue = netverify::Catalogue::from_json(br#"{"timestamp":"2019-03-01T14:13:38.938Z","supportedIdTypes":[]}"#)?;
    /// assert_eq!(catalogue.timestamp().to_rfc3339(), "2019-03-01T14:13:38.938+00:00");
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn timestamp(&self) -> DateTime<Utc> {
        self.timestamp
    }

    /// The endpoint the catalogue came from: which list it is, whatever key
    /// the server sent it under. A catalogue loaded from JSON came from the
    /// endpoint its key names.
    ///
    /// ```
    /// let saved = netverify::Catalogue::from_json(br#"{"timestamp":"2019-03-01T14:13:38.938Z","acceptedIdTypes":[]}"#)?;
    /// assert_eq!(saved.endpoint(), netverify::Operation::AcceptedIdTypes);
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn endpoint(&self) -> Operation {
        self.endpoint
    }

    /// The key the list had on the wire: for the accepted list, either key
    /// (see [`ListKey`]). It is not written back: a catalogue serializes
    /// under its [`endpoint`](Catalogue::endpoint)'s own key.
    ///
    /// ```
    /// let catalogue = netverify::Catalogue::from_json(br#"{"timestamp":"2019-03-01T14:13:38.938Z","supportedIdTypes":[]}"#)?;
    /// assert_eq!(catalogue.list_key(), netverify::ListKey::SupportedIdTypes);
    /// # Ok::<(), netverify::Error>(())
    /// ```
    pub fn list_key(&self) -> ListKey {
        self.list_key
    }

    /// All countries, in server order.
    ///
    /// ```
    /// # use netverify::{Catalogue, Country, CountryCode, ListKey, Utc};
    /// let catalogue = Catalogue::new(Utc::now(), ListKey::SupportedIdTypes, vec![
    ///     Country::new(CountryCode::new("NLD")?, "Netherlands", vec![]),
    ///     Country::new(CountryCode::new("FRO")?, "Faroe Islands", vec![]),
    /// ]);
    /// let names: Vec<_> = catalogue.countries().iter().map(|c| c.name()).collect();
    /// assert_eq!(names, ["Netherlands", "Faroe Islands"]); // server order
    /// # Ok::<(), netverify::InvalidCountryCode>(())
    /// ```
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// The number of countries.
    ///
    /// ```
    /// # use netverify::{Catalogue, ListKey, Utc};
    /// assert_eq!(Catalogue::new(Utc::now(), ListKey::SupportedIdTypes, vec![]).len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.countries.len()
    }

    /// Whether there are no countries.
    ///
    /// ```
    /// # use netverify::{Catalogue, ListKey, Utc};
    /// assert!(Catalogue::new(Utc::now(), ListKey::AcceptedIdTypes, vec![]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.countries.is_empty()
    }

    /// A country by code.
    ///
    /// ```
    /// # use netverify::{Catalogue, Country, CountryCode, ListKey, Utc};
    /// let nld = CountryCode::new("NLD")?;
    /// let catalogue = Catalogue::new(Utc::now(), ListKey::SupportedIdTypes,
    ///     vec![Country::new(nld, "Netherlands", vec![])]);
    /// assert_eq!(catalogue.country(nld).map(|c| c.name()), Some("Netherlands"));
    /// assert!(catalogue.country(CountryCode::new("DEU")?).is_none());
    /// # Ok::<(), netverify::InvalidCountryCode>(())
    /// ```
    pub fn country(&self, code: CountryCode) -> Option<&Country> {
        self.by_code
            .get(&code)
            .map(|&position| &self.countries[position as usize])
    }

    /// The entry for a (country, ID type) pair, if the catalogue has it.
    ///
    /// ```
    /// # use netverify::{Catalogue, Country, CountryCode, Document, IdType, ListKey, Utc};
    /// let nld = CountryCode::new("NLD")?;
    /// let catalogue = Catalogue::new(Utc::now(), ListKey::SupportedIdTypes,
    ///     vec![Country::new(nld, "Netherlands", vec![Document::new(IdType::IdCard, true)])]);
    /// assert_eq!(catalogue.document(nld, &IdType::IdCard), Some(&Document::new(IdType::IdCard, true)));
    /// # Ok::<(), netverify::InvalidCountryCode>(())
    /// ```
    pub fn document(&self, code: CountryCode, id_type: &IdType) -> Option<&Document> {
        let &(country, document) = self.by_type().get(id_type)?.documents.get(&code)?;
        Some(&self.countries[country as usize].documents[document as usize])
    }

    /// Whether the catalogue has a (country, ID type) pair.
    ///
    /// ```
    /// # use netverify::{Catalogue, Country, CountryCode, Document, IdType, ListKey, Utc};
    /// let nld = CountryCode::new("NLD")?;
    /// let catalogue = Catalogue::new(Utc::now(), ListKey::SupportedIdTypes,
    ///     vec![Country::new(nld, "Netherlands", vec![Document::new(IdType::Passport, false)])]);
    /// assert!(catalogue.contains(nld, &IdType::Passport));
    /// assert!(!catalogue.contains(nld, &IdType::Visa));
    /// # Ok::<(), netverify::InvalidCountryCode>(())
    /// ```
    pub fn contains(&self, code: CountryCode, id_type: &IdType) -> bool {
        self.document(code, id_type).is_some()
    }

    /// Whether the back side of a document must be captured; `None` if the
    /// catalogue does not have the pair.
    ///
    /// ```
    /// # use netverify::{Catalogue, Country, CountryCode, Document, IdType, ListKey, Utc};
    /// let nld = CountryCode::new("NLD")?;
    /// let catalogue = Catalogue::new(Utc::now(), ListKey::SupportedIdTypes,
    ///     vec![Country::new(nld, "Netherlands", vec![Document::new(IdType::IdCard, true)])]);
    /// assert_eq!(catalogue.back_side_required(nld, &IdType::IdCard), Some(true));
    /// assert_eq!(catalogue.back_side_required(nld, &IdType::Visa), None);
    /// # Ok::<(), netverify::InvalidCountryCode>(())
    /// ```
    pub fn back_side_required(&self, code: CountryCode, id_type: &IdType) -> Option<bool> {
        self.document(code, id_type)
            .map(Document::back_side_required)
    }

    /// The countries that offer an ID type, in server order.
    ///
    /// ```
    /// # use netverify::{Catalogue, Country, CountryCode, Document, IdType, ListKey, Utc};
    /// let catalogue = Catalogue::new(Utc::now(), ListKey::SupportedIdTypes, vec![
    ///     Country::new(CountryCode::new("NLD")?, "Netherlands", vec![Document::new(IdType::Passport, false)]),
    ///     Country::new(CountryCode::new("FRO")?, "Faroe Islands", vec![Document::new(IdType::IdCard, true)]),
    /// ]);
    /// let codes: Vec<_> = catalogue.countries_offering(&IdType::Passport).map(|c| c.code().as_str().to_owned()).collect();
    /// assert_eq!(codes, ["NLD"]);
    /// # Ok::<(), netverify::InvalidCountryCode>(())
    /// ```
    pub fn countries_offering<'a>(
        &'a self,
        id_type: &IdType,
    ) -> impl Iterator<Item = &'a Country> + 'a {
        let positions = self
            .by_type()
            .get(id_type)
            .map_or(&[][..], |slot| &slot.countries[..]);
        positions
            .iter()
            .map(|&position| &self.countries[position as usize])
    }

    /// Every (country, document) pair, in server order.
    ///
    /// ```
    /// # use netverify::{Catalogue, Country, CountryCode, Document, IdType, ListKey, Utc};
    /// let catalogue = Catalogue::new(Utc::now(), ListKey::SupportedIdTypes, vec![
    ///     Country::new(CountryCode::new("NLD")?, "Netherlands", vec![
    ///         Document::new(IdType::IdCard, true), Document::new(IdType::Passport, false)]),
    /// ]);
    /// for (country, document) in catalogue.entries() {
    ///     println!("{} {}", country.code(), document.id_type());
    /// }
    /// assert_eq!(catalogue.entries().count(), 2);
    /// # Ok::<(), netverify::InvalidCountryCode>(())
    /// ```
    pub fn entries(&self) -> impl Iterator<Item = (&Country, &Document)> {
        self.countries.iter().flat_map(|country| {
            country
                .documents
                .iter()
                .map(move |document| (country, document))
        })
    }

    /// The distinct ID types in the catalogue, unknown ones included, in no
    /// particular order.
    ///
    /// ```
    /// # use netverify::{Catalogue, Country, CountryCode, Document, IdType, ListKey, Utc};
    /// let catalogue = Catalogue::new(Utc::now(), ListKey::SupportedIdTypes, vec![
    ///     Country::new(CountryCode::new("NLD")?, "Netherlands", vec![Document::new(IdType::from("HEALTH_CARD".to_owned()), false)]),
    /// ]);
    /// let unknown: Vec<_> = catalogue.id_types().filter(|t| t.is_unknown()).collect();
    /// assert_eq!(unknown[0].as_str(), "HEALTH_CARD");
    /// # Ok::<(), netverify::InvalidCountryCode>(())
    /// ```
    pub fn id_types(&self) -> impl Iterator<Item = &IdType> {
        self.by_type().keys()
    }

    fn by_type(&self) -> &HashMap<IdType, TypeIndex> {
        self.by_type
            .get_or_init(|| index_documents(&self.countries))
    }
}

impl<'a> IntoIterator for &'a Catalogue {
    type Item = &'a Country;
    type IntoIter = std::slice::Iter<'a, Country>;

    fn into_iter(self) -> Self::IntoIter {
        self.countries.iter()
    }
}

/// Equal when timestamp, endpoint and countries (in order) are equal; the
/// key the server used is not compared (it is not saved).
impl PartialEq for Catalogue {
    fn eq(&self, other: &Self) -> bool {
        self.timestamp == other.timestamp
            && self.endpoint == other.endpoint
            && self.countries == other.countries
    }
}

impl Eq for Catalogue {}

impl fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalogue")
            .field("timestamp", &self.timestamp)
            .field("endpoint", &self.endpoint)
            .field("list_key", &self.list_key)
            .field("countries", &self.countries)
            .finish()
    }
}

/// The API's own shape, written through the same generated models a
/// catalogue is read with (netverify-api's `AcceptedIdTypesResponse`, which
/// writes Jumio's timestamp format), under the endpoint's own key: the file
/// says which list it is.
impl Serialize for Catalogue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let countries = self
            .countries
            .iter()
            .map(Country::to_wire)
            .collect::<Result<Vec<_>, _>>()
            .map_err(serde::ser::Error::custom)?;
        AcceptedIdTypesResponse {
            timestamp: self.timestamp,
            list_key: self.endpoint.list_keys()[0],
            countries,
        }
        .serialize(serializer)
    }
}

/// The generated `CountryDocuments`' shape; a name longer than the spec's
/// 100 characters fails, as it would fail to load.
impl Serialize for Country {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_wire()
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }
}

/// The generated `DocumentRequirements`' shape.
impl Serialize for Document {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_wire().serialize(serializer)
    }
}

impl Country {
    /// The country in the generated model, built through progenitor's builder.
    fn to_wire(&self) -> Result<CountryDocuments, String> {
        CountryDocuments::builder()
            .country_code(self.code)
            .country_name(self.name.as_str())
            .id_types(
                self.documents
                    .iter()
                    .map(Document::to_wire)
                    .collect::<Vec<_>>(),
            )
            .try_into()
            .map_err(|error: netverify_api::types::error::ConversionError| {
                format!("country {}: {error}", self.code)
            })
    }
}

impl Document {
    /// The document in the generated model, built through progenitor's builder.
    fn to_wire(&self) -> DocumentRequirements {
        DocumentRequirements::builder()
            .id_type(self.id_type.clone())
            .acquisition_config(CaptureSettings::builder().back_side(self.back_side))
            .try_into()
            .expect("both fields are set and neither is constrained")
    }
}

/// The endpoint a key names in a saved document: each endpoint's own key.
fn endpoint_of(key: ListKey) -> Operation {
    match key {
        ListKey::AcceptedIdTypes => Operation::AcceptedIdTypes,
        ListKey::SupportedIdTypes => Operation::SupportedIdTypes,
    }
}

/// Reads either key, with the rule of [`ListKey::select`]; the key names the
/// endpoint.
impl<'de> Deserialize<'de> for Catalogue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        AcceptedIdTypesResponse::deserialize(deserializer).map(Catalogue::from_document)
    }
}

/// Turns a failed decode of `body` as `T` into [`Error::Decode`]: decodes
/// again with `serde_path_to_error` (only on this slow path) to learn the JSON
/// path, and keeps an excerpt around the failing position.
pub(crate) fn decode_error<T: DeserializeOwned>(
    body: &[u8],
    error: serde_json::Error,
    tracking_id: Option<String>,
) -> Error {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let (path, error) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(traced) => (traced.path().to_string(), traced.into_inner()),
        Ok(_) => (".".to_owned(), error),
    };
    let offset = byte_offset(body, error.line(), error.column());
    Error::Decode {
        path,
        // serde quotes offending strings, which may be an echoed header.
        message: mask_basic_credentials(&error.to_string()),
        excerpt: excerpt(body, offset),
        tracking_id,
    }
}

/// serde_json reports 1-based lines and columns counted in bytes.
fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let line_start: usize = body
        .split(|&b| b == b'\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    (line_start + column.saturating_sub(1)).min(body.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_errors_name_the_path_and_show_the_text_around_it() {
        let body = br#"{"timestamp":"2019-03-01T14:13:38.938Z","supportedIdTypes":[
            {"countryCode":"NLD","countryName":"Netherlands","idTypes":[]},
            {"countryCode":"nld","countryName":"Netherlands","idTypes":[]}]}"#;
        let Err(Error::Decode {
            path,
            message,
            excerpt,
            tracking_id,
        }) = Catalogue::from_json(body)
        else {
            panic!("decoded")
        };
        assert_eq!(path, "supportedIdTypes[1].countryCode");
        assert!(
            message.contains("invalid country code \"nld\""),
            "{message}"
        );
        assert!(excerpt.contains(r#""countryCode":"nld""#), "{excerpt}");
        assert_eq!(tracking_id, None);
    }
}
