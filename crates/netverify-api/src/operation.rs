//! Which endpoint, which list: the one place that names the two operations,
//! their paths and the keys their lists travel under (hand-written).

use std::fmt;

/// One of the two catalogue endpoints.
///
/// The facade, the mock server, the CLI and the tests all name an endpoint
/// through this type; its path and operation id are the spec's (a test of
/// this crate compares them with `openapi/netverify.yaml`).
// Exhaustive on purpose: a new endpoint is a new major version of this
// crate, and every layer matching on the operation should then be revisited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `GET /api/netverify/v2/supportedIdTypes`: every document Jumio can verify.
    SupportedIdTypes,
    /// `GET /api/netverify/v2/acceptedIdTypes`: the documents this account accepts.
    AcceptedIdTypes,
}

impl Operation {
    /// The path both operations start with; a base URL must not repeat it.
    pub const PATH_PREFIX: &'static str = "/api/netverify/v2";

    /// Both operations, in the spec's order.
    pub const ALL: [Operation; 2] = [Operation::SupportedIdTypes, Operation::AcceptedIdTypes];

    /// The request path.
    pub const fn path(self) -> &'static str {
        match self {
            Operation::SupportedIdTypes => "/api/netverify/v2/supportedIdTypes",
            Operation::AcceptedIdTypes => "/api/netverify/v2/acceptedIdTypes",
        }
    }

    /// The spec's `operationId`, also used in traces.
    pub const fn operation_id(self) -> &'static str {
        match self {
            Operation::SupportedIdTypes => "supportedIdTypes",
            Operation::AcceptedIdTypes => "acceptedIdTypes",
        }
    }

    /// Jumio's documented sample answer of this operation, exactly as the
    /// spec embeds it (its `documentedSample` example), as JSON. The one
    /// source of the samples for the mock server, the tests and the docs.
    ///
    /// ```
    /// use netverify_api::{AcceptedIdTypesResponse, ListKey, Operation};
    /// let sample = Operation::AcceptedIdTypes.documented_sample();
    /// let typed: AcceptedIdTypesResponse = serde_json::from_str(sample).unwrap();
    /// assert_eq!(typed.list_key, ListKey::AcceptedIdTypes);
    /// ```
    pub const fn documented_sample(self) -> &'static str {
        match self {
            Operation::SupportedIdTypes => crate::generated_samples::SUPPORTED_ID_TYPES,
            Operation::AcceptedIdTypes => crate::generated_samples::ACCEPTED_ID_TYPES,
        }
    }

    /// The operation whose path is `path`, if any.
    pub fn from_path(path: &str) -> Option<Operation> {
        Operation::ALL
            .into_iter()
            .find(|operation| operation.path() == path)
    }

    /// The keys this operation's answer may carry its list under, the
    /// preferred one first. See [`ListKey::select`] for the rule.
    pub fn list_keys(self) -> &'static [ListKey] {
        match self {
            Operation::SupportedIdTypes => &[ListKey::SupportedIdTypes],
            Operation::AcceptedIdTypes => &[ListKey::AcceptedIdTypes, ListKey::SupportedIdTypes],
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.operation_id())
    }
}

/// Which top-level key holds the list of countries in a response document.
///
/// `supportedIdTypes` answers carry `supportedIdTypes`. For
/// `acceptedIdTypes`, Jumio's documentation shows both keys (the sample
/// response `acceptedIdTypes`, the parameter table `supportedIdTypes`), so a
/// decoded document remembers which one it had and is written back under it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ListKey {
    /// `supportedIdTypes`
    SupportedIdTypes,
    /// `acceptedIdTypes`
    AcceptedIdTypes,
}

impl ListKey {
    /// Both keys, the one that wins first.
    pub const ALL: [ListKey; 2] = [ListKey::AcceptedIdTypes, ListKey::SupportedIdTypes];

    /// The key as it appears in the JSON document.
    pub const fn as_str(self) -> &'static str {
        match self {
            ListKey::SupportedIdTypes => "supportedIdTypes",
            ListKey::AcceptedIdTypes => "acceptedIdTypes",
        }
    }

    /// The key whose name is `name`, if any.
    pub fn from_name(name: &str) -> Option<ListKey> {
        ListKey::ALL.into_iter().find(|key| key.as_str() == name)
    }

    /// The rule that decides which list a document holds, written once and
    /// used by every reader in this workspace (the generated client's
    /// [`AcceptedIdTypesResponse`](crate::AcceptedIdTypesResponse),
    /// the facade's `Catalogue::from_json`, the mock's saved catalogues):
    ///
    /// * `acceptedIdTypes`, when the document has that key, even if its list
    ///   is empty and `supportedIdTypes` is present too;
    /// * else `supportedIdTypes`, when the document has that key;
    /// * else nothing: the document holds no list, which is an error for the
    ///   caller to report (see [`MissingList`]), never an empty catalogue.
    pub fn select<T>(
        accepted: Option<T>,
        supported: Option<T>,
    ) -> Result<(ListKey, T), MissingList> {
        match (accepted, supported) {
            (Some(list), _) => Ok((ListKey::AcceptedIdTypes, list)),
            (None, Some(list)) => Ok((ListKey::SupportedIdTypes, list)),
            (None, None) => Err(MissingList),
        }
    }
}

impl fmt::Display for ListKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A response document with neither `acceptedIdTypes` nor `supportedIdTypes`:
/// a missing or misspelled list key, which must never read as an empty
/// catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MissingList;

impl fmt::Display for MissingList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "the document has no list of countries: expected the key `acceptedIdTypes` or \
             `supportedIdTypes`",
        )
    }
}

impl std::error::Error for MissingList {}
