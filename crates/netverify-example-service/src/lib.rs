//! An example axum service on netverify, the facade README's "In
//! production" section: which documents a user may upload for a country,
//! answered from a [`CachedCatalogue`] that survives Jumio outages and
//! restarts, and a `/healthz` answer from its status.
//!
//! * `GET /documents?country=NLD`: `200` with the country in netverify's
//!   documented JSON shape (its documents with `acquisitionConfig.backSide`);
//!   `404` for a country the account does not accept; `400` for anything
//!   that is not a country code (the input is never echoed); `503` when no
//!   catalogue can be served. An internal error, which may name hosts and
//!   tracking ids, goes to the log, never into an answer.
//! * `GET /healthz`: `200` when the catalogue can be served, else `503`,
//!   with its age, last success, last error kind and failures in a row.

#![deny(missing_docs)]

// The facade README's "In production" shows the code from here to the end
// (tests/readme.rs keeps the two equal).
use std::path::PathBuf;
use std::time::Duration;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use netverify::{CacheStatus, CachedCatalogue, Client, CountryCode};
use serde::Deserialize;
use serde_json::json;

/// Builds the accepted-documents cache, persisted to `state_file`, and waits
/// at most `within` for it to be able to serve: from Jumio, or from the
/// file a previous run left. The status says whether it can.
pub async fn start(
    client: Client,
    state_file: PathBuf,
    within: Duration,
) -> (CachedCatalogue, CacheStatus) {
    let cache = CachedCatalogue::accepted_builder(client)
        .ttl(Duration::from_secs(3600))
        .max_staleness(Duration::from_secs(24 * 3600))
        .persist_to(state_file)
        .build();
    let status = cache.warm_up(within).await;
    if !status.is_servable() {
        tracing::warn!(
            error = ?status.last_error(),
            "no catalogue to serve yet; /documents answers 503 until one arrives"
        );
    }
    (cache, status)
}

/// The service's routes over `cache`.
pub fn app(cache: CachedCatalogue) -> Router {
    Router::new()
        .route("/documents", get(documents))
        .route("/healthz", get(healthz))
        .with_state(cache)
}

#[derive(Deserialize)]
struct DocumentsQuery {
    country: Option<String>,
}

fn problem(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

async fn documents(
    State(cache): State<CachedCatalogue>,
    query: Result<Query<DocumentsQuery>, QueryRejection>,
) -> Response {
    let typed = query
        .ok()
        .and_then(|Query(query)| query.country)
        .unwrap_or_default();
    // The one lenient reading (` nld ` is NLD); the input is not echoed.
    let Ok(country) = CountryCode::parse_lenient(&typed) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "country must be an ISO 3166-1 alpha-3 code, such as NLD",
        );
    };
    let catalogue = match cache.get().await {
        Ok(catalogue) => catalogue,
        Err(error) => {
            tracing::warn!(%error, "no document catalogue to answer from");
            return problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "the document catalogue is not available; try again later",
            );
        }
    };
    match catalogue.country(country) {
        Some(country) => Json(country).into_response(),
        None => problem(
            StatusCode::NOT_FOUND,
            "no documents are accepted for this country",
        ),
    }
}

async fn healthz(State(cache): State<CachedCatalogue>) -> Response {
    let status = cache.status();
    let body = json!({
        "servable": status.is_servable(),
        "ageSecs": status.age().map(|age| age.as_secs()),
        "lastSuccess": status.last_success(),
        "lastErrorKind": status.last_error().map(|error| error.kind().as_str()),
        "consecutiveFailures": status.consecutive_failures(),
    });
    let code = if status.is_servable() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(body)).into_response()
}
