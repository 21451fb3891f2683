//! The facade, the generated client and a hand-written baseline, side by
//! side, in one process: per-call latency, throughput at 64 calls in flight,
//! the cached catalogue under 1,000 concurrent callers (cold, warm, and while
//! a refresh is in flight), a warm cached `get()` alone and with 64
//! concurrent callers, the blocking client against the async one, the mock
//! server's requests per second, decoding at three catalogue sizes and
//! look-ups.
//!
//! `cargo xtask bench` runs this and prints one table from criterion's
//! estimates; BENCHMARKS.md explains every figure.

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use criterion::{BenchmarkId, Criterion, Throughput};
use netverify::{CachedCatalogue, Catalogue, CountryCode, IdType};
use netverify_api::ClientContext;
use netverify_api::types::{
    CaptureSettings, CountryDocuments, DocumentRequirements, SupportedIdTypesResponse,
};
use netverify_mock::{DEFAULT_SECRET, DEFAULT_TOKEN, MockServer, SUPPORTED_PATH};
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue, USER_AGENT};
use serde::Deserialize;

const CUSTOMER_USER_AGENT: &str = "Acme KYC/1.0";
const IN_FLIGHT: usize = 64;
const CACHE_CALLERS: usize = 1_000;
const CATALOGUE_SIZES: [usize; 3] = [250, 2_500, 25_000];
/// Look-ups cycle through this many keys (a power of two, so the next index
/// is a mask, not a division).
const LOOKUP_KEYS: usize = 1_024;

/// The baseline's model: the response in plain structs, strings as strings.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "fields decoded to be measured, not read")]
struct PlainResponse {
    timestamp: String,
    supported_id_types: Vec<PlainCountry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "fields decoded to be measured, not read")]
struct PlainCountry {
    country_code: String,
    country_name: String,
    id_types: Vec<PlainDocument>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "fields decoded to be measured, not read")]
struct PlainDocument {
    id_type: String,
    acquisition_config: PlainCaptureSettings,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "fields decoded to be measured, not read")]
struct PlainCaptureSettings {
    back_side: bool,
}

/// What makes one `supportedIdTypes` call.
enum Subject {
    /// (a) `netverify::Client::supported_id_types`.
    Facade(netverify::Client),
    /// (b) the generated `netverify_api::Client`.
    Generated(netverify_api::Client),
    /// (c) reqwest and serde_json into [`PlainResponse`].
    Baseline(Baseline),
    /// The baseline's request without decoding: what the mock server can serve.
    BodyOnly(Baseline),
}

struct Baseline {
    http: reqwest::Client,
    url: String,
    user_agent: HeaderValue,
}

impl Baseline {
    async fn body(&self) -> reqwest::Result<impl AsRef<[u8]> + use<>> {
        self.http
            .get(&self.url)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, self.user_agent.clone())
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await
    }
}

impl Subject {
    async fn call(&self) {
        match self {
            Subject::Facade(client) => {
                black_box(client.supported_id_types().await.expect("facade call"));
            }
            Subject::Generated(client) => {
                let response = client
                    .supported_id_types()
                    .user_agent(CUSTOMER_USER_AGENT)
                    .send()
                    .await
                    .expect("generated call");
                black_box(response.into_inner());
            }
            Subject::Baseline(baseline) => {
                let body = baseline.body().await.expect("baseline call");
                let decoded: PlainResponse =
                    serde_json::from_slice(body.as_ref()).expect("baseline decode");
                black_box(decoded);
            }
            Subject::BodyOnly(baseline) => {
                black_box(baseline.body().await.expect("body-only call"));
            }
        }
    }
}

/// A reqwest client with the settings the facade's builder gives its own:
/// Basic auth as a sensitive default header, a 10 s connect timeout, no
/// redirects (and reqwest's defaults otherwise: keep-alive, HTTP/1.1 on
/// plain-HTTP loopback).
fn http_client() -> reqwest::Client {
    let credentials = base64::engine::general_purpose::STANDARD
        .encode(format!("{DEFAULT_TOKEN}:{DEFAULT_SECRET}"));
    let mut authorization =
        HeaderValue::from_str(&format!("Basic {credentials}")).expect("valid header");
    authorization.set_sensitive(true);
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, authorization);
    reqwest::Client::builder()
        .default_headers(headers)
        .connect_timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client")
}

fn main() {
    // reqwest is built without a default TLS provider (see the workspace's
    // Cargo.toml); none is used on plain-HTTP loopback, but building a
    // client needs one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    network(&mut criterion);
    decode(&mut criterion);
    look_ups(&mut criterion);
    criterion.final_summary();
}

/// The three clients of sections 1 and 2, each with its own connection pool
/// to `base_url`.
fn subjects(base_url: &str) -> [(&'static str, Arc<Subject>); 3] {
    let facade = netverify::Client::builder()
        .base_url(base_url)
        .credentials(DEFAULT_TOKEN, DEFAULT_SECRET)
        .user_agent(CUSTOMER_USER_AGENT)
        .build()
        .expect("facade client");
    let baseline = Baseline {
        http: http_client(),
        url: format!("{base_url}{SUPPORTED_PATH}"),
        // The same User-Agent the facade sends.
        user_agent: HeaderValue::from_str(facade.user_agent()).expect("valid header"),
    };
    let generated =
        netverify_api::Client::new_with_client(base_url, http_client(), ClientContext::new());
    [
        ("facade", Arc::new(Subject::Facade(facade))),
        ("generated", Arc::new(Subject::Generated(generated))),
        ("baseline", Arc::new(Subject::Baseline(baseline))),
    ]
}

/// Sections 1, 2, 5 and 6: calls against an in-process mock serving the
/// default catalogue.
fn network(criterion: &mut Criterion) {
    // Latency: one call at a time on a single-threaded runtime, where the
    // client and the mock take turns on one thread. What is measured is the
    // work of a call, not how two threads happen to wake each other, which
    // on this 2-core VM moved the medians by ±15% from run to run.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let mock = runtime
        .block_on(MockServer::builder().start())
        .expect("mock server");
    let mut group = criterion.benchmark_group("latency");
    for (name, subject) in subjects(&mock.base_url()) {
        group.bench_function(name, |b| {
            b.iter_custom(|calls| runtime.block_on(in_flight(subject.clone(), calls, 1)));
        });
    }
    group.finish();
    drop(mock);
    drop(runtime);

    // Everything else: a worker per core, as a service would run.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let mock = runtime
        .block_on(MockServer::builder().start())
        .expect("mock server");
    let base_url = mock.base_url();
    let subjects = subjects(&base_url);
    let Subject::Facade(facade) = &*subjects[0].1 else {
        unreachable!("the facade comes first")
    };
    let facade = facade.clone();
    let Subject::Baseline(baseline) = &*subjects[2].1 else {
        unreachable!("the baseline comes last")
    };
    let body_only = Arc::new(Subject::BodyOnly(Baseline {
        http: http_client(),
        url: baseline.url.clone(),
        user_agent: baseline.user_agent.clone(),
    }));

    let mut group = criterion.benchmark_group("throughput");
    group.throughput(Throughput::Elements(1));
    for (name, subject) in &subjects {
        group.bench_function(*name, |b| {
            b.iter_custom(|calls| runtime.block_on(in_flight(subject.clone(), calls, IN_FLIGHT)));
        });
    }
    group.finish();

    let mut group = criterion.benchmark_group("mock");
    group.throughput(Throughput::Elements(1));
    group.bench_function("requests", |b| {
        b.iter_custom(|calls| runtime.block_on(in_flight(body_only.clone(), calls, IN_FLIGHT)));
    });
    group.finish();

    let mut group = criterion.benchmark_group("cache");
    group.bench_function("cold_1000_callers", |b| {
        b.iter_custom(|rounds| {
            runtime.block_on(async {
                let mut total = Duration::ZERO;
                for _ in 0..rounds {
                    total += cold_cache_burst(&facade, &mock).await;
                }
                total
            })
        });
    });
    group.finish();

    cached_gets(criterion, &runtime, &facade);
    blocking_vs_async(criterion, &runtime, &facade, &mock);
}

/// Sections 7 and 8: a warm cached `get()`, one caller and 64 concurrent
/// ones; 1,000 callers on a warm cache and on a stale one whose refresh is
/// in flight (none of them may wait for it).
fn cached_gets(
    criterion: &mut Criterion,
    runtime: &tokio::runtime::Runtime,
    facade: &netverify::Client,
) {
    let warm = CachedCatalogue::supported(facade.clone(), Duration::from_secs(3600));
    runtime.block_on(warm.get()).expect("warm cache");

    let mut group = criterion.benchmark_group("cache");
    group.bench_function("warm_get", |b| {
        b.iter_custom(|gets| {
            runtime.block_on(async {
                let started = Instant::now();
                for _ in 0..gets {
                    black_box(warm.get().await.expect("cached"));
                }
                started.elapsed()
            })
        });
    });
    // 64 tasks on the runtime's workers, each doing its share of the gets:
    // the figure is wall time per get, so with 2 workers a flat cost shows as
    // about half the single caller's.
    group.bench_function("warm_get_64_callers", |b| {
        b.iter_custom(|gets| {
            let share = gets.div_ceil(IN_FLIGHT as u64);
            runtime.block_on(async {
                let started = Instant::now();
                let callers: Vec<_> = (0..IN_FLIGHT)
                    .map(|_| {
                        let cache = warm.clone();
                        tokio::spawn(async move {
                            for _ in 0..share {
                                black_box(cache.get().await.expect("cached"));
                            }
                        })
                    })
                    .collect();
                for caller in callers {
                    caller.await.expect("caller");
                }
                started.elapsed()
            })
        });
    });

    // A mock slow enough (10 s) that a refresh in flight when a burst starts
    // outlasts it (a burst takes about a millisecond); a TTL of zero makes
    // every burst find the catalogue expired.
    let slow = runtime
        .block_on(
            MockServer::builder()
                .latency(Duration::from_secs(10))
                .start(),
        )
        .expect("slow mock server");
    let stale = CachedCatalogue::supported(
        netverify::Client::builder()
            .base_url(slow.base_url())
            .credentials(DEFAULT_TOKEN, DEFAULT_SECRET)
            .user_agent(CUSTOMER_USER_AGENT)
            .build()
            .expect("facade client"),
        Duration::ZERO,
    );
    runtime.block_on(stale.get()).expect("first fetch");
    for (name, cache, refreshing) in [
        ("warm_1000_callers", &warm, false),
        ("stale_1000_callers", &stale, true),
    ] {
        group.bench_function(name, |b| {
            b.iter_custom(|rounds| {
                runtime.block_on(async {
                    let mut total = Duration::ZERO;
                    for _ in 0..rounds {
                        // Untimed: starts a refresh on the stale cache
                        // unless one is in flight already (twice, in case
                        // the one in flight ended in between).
                        cache.get().await.expect("cached");
                        if !cache.status().is_refreshing() {
                            cache.get().await.expect("cached");
                        }
                        let status = cache.status();
                        assert_eq!(
                            status.is_refreshing(),
                            refreshing,
                            "{name}: a refresh must be in flight exactly for the stale cache \
                             when the burst starts (last error: {:?})",
                            status.last_error()
                        );
                        total += burst(cache).await;
                    }
                    total
                })
            });
        });
    }
    group.finish();
}

/// 1,000 callers ask a cache that holds a catalogue; returns the time until
/// all have it.
async fn burst(cache: &CachedCatalogue) -> Duration {
    let started = Instant::now();
    let callers: Vec<_> = (0..CACHE_CALLERS)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { cache.get().await.map(|catalogue| catalogue.len()) })
        })
        .collect();
    for caller in callers {
        assert!(caller.await.expect("caller").expect("cached catalogue") > 0);
    }
    started.elapsed()
}

/// Section 9: one call at a time through the blocking client (from this
/// thread, which has no runtime) and through the async client it wraps,
/// against the same mock on the multi-threaded runtime.
fn blocking_vs_async(
    criterion: &mut Criterion,
    runtime: &tokio::runtime::Runtime,
    facade: &netverify::Client,
    mock: &MockServer,
) {
    let blocking =
        netverify::blocking::Client::from_async(facade.clone()).expect("blocking client");
    let asynchronous = Arc::new(Subject::Facade(facade.clone()));
    let before = mock.request_count();
    blocking.supported_id_types().expect("blocking call");
    assert_eq!(mock.request_count(), before + 1);
    let mut group = criterion.benchmark_group("blocking");
    group.bench_function("blocking_client", |b| {
        b.iter(|| black_box(blocking.supported_id_types().expect("blocking call")));
    });
    group.bench_function("async_client", |b| {
        b.iter_custom(|calls| runtime.block_on(in_flight(asynchronous.clone(), calls, 1)));
    });
    group.finish();
}

/// Makes `calls` calls with `width` of them in flight at a time, on the
/// runtime's workers, and returns the wall time they took.
async fn in_flight(subject: Arc<Subject>, calls: u64, width: usize) -> Duration {
    let remaining = Arc::new(AtomicU64::new(calls));
    let started = Instant::now();
    let workers: Vec<_> = (0..width)
        .map(|_| {
            let subject = subject.clone();
            let remaining = remaining.clone();
            tokio::spawn(async move {
                while remaining
                    .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                        left.checked_sub(1)
                    })
                    .is_ok()
                {
                    subject.call().await;
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("worker");
    }
    started.elapsed()
}

/// 1,000 callers ask a cold cached catalogue at once; returns the time until
/// all have their answer, after checking that they cost one HTTP request.
async fn cold_cache_burst(facade: &netverify::Client, mock: &MockServer) -> Duration {
    let cached = Arc::new(CachedCatalogue::supported(
        facade.clone(),
        Duration::from_secs(3600),
    ));
    let requests_before = mock.request_count();
    let started = Instant::now();
    let callers: Vec<_> = (0..CACHE_CALLERS)
        .map(|_| {
            let cached = cached.clone();
            tokio::spawn(async move { cached.get().await.map(|catalogue| catalogue.len()) })
        })
        .collect();
    for caller in callers {
        let countries = caller.await.expect("caller").expect("cached catalogue");
        assert!(countries > 0);
    }
    let elapsed = started.elapsed();
    assert_eq!(
        mock.request_count() - requests_before,
        1,
        "{CACHE_CALLERS} callers on a cold cache must share one HTTP request"
    );
    elapsed
}

/// A `supportedIdTypes` document with `countries` entries: the default
/// catalogue's entries (names, ID types, back-side flags) over and over, with
/// three-letter codes counted up from `AAA`.
///
/// There are only 26³ = 17,576 such codes, so the 25,000-entry document
/// repeats 7,424 of them. The facade merges a repeated country into its first
/// entry, so each repeat carries the known ID types its code's first entry
/// lacks: every entry is decoded and indexed, none is a repeated (country,
/// ID type) pair, and the catalogue ends with 17,576 countries holding all
/// 25,000 entries' documents.
fn synthetic_document(countries: usize) -> Vec<u8> {
    let sample = netverify_mock::Catalogue::sample();
    let sample = sample.supported();
    let mut entries: Vec<CountryDocuments> = Vec::with_capacity(countries);
    for position in 0..countries {
        let mut entry = sample[position % sample.len()].clone();
        entry.country_code = synthetic_code(position);
        if let Some(first) = position.checked_sub(CODES) {
            let first_types: Vec<IdType> = entries[first]
                .id_types
                .iter()
                .map(|document| document.id_type.clone())
                .collect();
            entry.id_types = IdType::KNOWN
                .into_iter()
                .filter(|id_type| !first_types.contains(id_type))
                .map(|id_type| DocumentRequirements {
                    acquisition_config: CaptureSettings {
                        back_side: id_type != IdType::Passport,
                    },
                    id_type,
                })
                .collect();
        }
        entries.push(entry);
    }
    let document = format!(
        r#"{{"timestamp":"2019-03-01T14:13:38.938Z","supportedIdTypes":{}}}"#,
        serde_json::to_string(&entries).expect("serializable")
    );
    document.into_bytes()
}

/// How many three-letter codes there are.
const CODES: usize = 26 * 26 * 26;

fn synthetic_code(position: usize) -> CountryCode {
    let n = position % CODES;
    let letters = [n / 676, n / 26 % 26, n % 26].map(|digit| b'A' + digit as u8);
    CountryCode::new(std::str::from_utf8(&letters).expect("ASCII")).expect("three letters")
}

/// Section 3: bytes to a ready-to-query catalogue.
fn decode(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("decode");
    for size in CATALOGUE_SIZES {
        let document = synthetic_document(size);
        let catalogue = Catalogue::from_json(&document).expect("decodes");
        let plain: PlainResponse = serde_json::from_slice(&document).expect("decodes");
        assert_eq!(catalogue.len(), size.min(CODES), "countries after merging");
        assert_eq!(
            catalogue.entries().count(),
            plain
                .supported_id_types
                .iter()
                .map(|c| c.id_types.len())
                .sum::<usize>(),
            "every document of every entry is kept"
        );
        group.throughput(Throughput::Bytes(document.len() as u64));
        group.bench_with_input(BenchmarkId::new("facade", size), &document, |b, json| {
            b.iter_with_large_drop(|| {
                let catalogue = Catalogue::from_json(black_box(json)).expect("decodes");
                // Ready to query: the first look-up builds the index by ID
                // type, which the facade otherwise builds lazily.
                black_box(catalogue.contains(synthetic_code(0), &IdType::Passport));
                catalogue
            });
        });
        group.bench_with_input(BenchmarkId::new("generated", size), &document, |b, json| {
            b.iter_with_large_drop(|| {
                serde_json::from_slice::<SupportedIdTypesResponse>(black_box(json))
                    .expect("decodes")
            });
        });
        group.bench_with_input(BenchmarkId::new("plain", size), &document, |b, json| {
            b.iter_with_large_drop(|| {
                serde_json::from_slice::<PlainResponse>(black_box(json)).expect("decodes")
            });
        });
    }
    group.finish();
}

/// Section 4: look-ups cycling through keys spread over the catalogue.
fn look_ups(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("lookup");
    for size in CATALOGUE_SIZES {
        let catalogue = Catalogue::from_json(&synthetic_document(size)).expect("decodes");
        let entries: Vec<_> = catalogue.entries().collect();
        let keys: Vec<(CountryCode, IdType)> = (0..LOOKUP_KEYS)
            .map(|k| {
                let (country, document) = entries[k * 7_919 % entries.len()];
                (country.code(), document.id_type().clone())
            })
            .collect();
        assert!(
            keys.iter()
                .all(|(code, id_type)| catalogue.contains(*code, id_type))
        );
        group.bench_with_input(BenchmarkId::new("country", size), &keys, |b, keys| {
            let mut k = 0;
            b.iter(|| {
                k = (k + 1) & (LOOKUP_KEYS - 1);
                catalogue.country(black_box(keys[k].0)).is_some()
            });
        });
        group.bench_with_input(BenchmarkId::new("document", size), &keys, |b, keys| {
            let mut k = 0;
            b.iter(|| {
                k = (k + 1) & (LOOKUP_KEYS - 1);
                let (code, id_type) = &keys[k];
                catalogue.back_side_required(black_box(*code), black_box(id_type))
            });
        });
    }
    group.finish();
}
