//! Makes N `supportedIdTypes` calls with one client against the mock, for
//! instruction counts of a whole call (HTTP included) under callgrind, which
//! are stable on a shared machine where wall-clock time is not:
//!
//! ```sh
//! cargo build --release -p netverify-bench --example call_instructions
//! for client in facade generated borrowed; do for n in 0 50; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/call_instructions $client $n 2>&1 | grep Collected
//! done; done
//! ```
//!
//! (instructions at 50 − instructions at 0) / 50 is the cost of one call;
//! `cargo xtask bench` does this. Both runs first make [`WARM_UP`] calls, so
//! the connection is open and the pools are grown before the counted calls.
//!
//! The mock (the sample catalogue: 250 countries, chunked, a fresh timestamp
//! and tracking id per answer) runs in a child process, this program started
//! again with `serve`: callgrind does not follow children, so only the
//! client's instructions are counted, and the mock runs at native speed.
//!
//! The clients, each with its own connection pool and the settings the
//! facade's builder gives its own HTTP client:
//! * `facade`: `netverify::Client::supported_id_types`;
//! * `generated`: the generated `netverify_api::Client`, decoding into the
//!   generated models;
//! * `borrowed`: reqwest `get().send()`, `bytes()`, one UTF-8 check of the
//!   body, then `serde_json::from_str` into structs of borrowed `&str`
//!   fields: the floor.

use std::hint::black_box;
use std::io::{BufRead as _, BufReader, Read as _};
use std::process::{Command, Stdio};
use std::time::Duration;

use base64::Engine as _;
use netverify_mock::{DEFAULT_SECRET, DEFAULT_TOKEN, MockServer, SUPPORTED_PATH};
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue, USER_AGENT};
use serde::Deserialize;

/// Calls made before counting starts, in both runs.
const WARM_UP: usize = 5;
const CUSTOMER_USER_AGENT: &str = "Acme KYC/1.0";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "fields decoded to be measured, not read")]
struct Borrowed<'a> {
    timestamp: &'a str,
    #[serde(borrow)]
    supported_id_types: Vec<BorrowedCountry<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "fields decoded to be measured, not read")]
struct BorrowedCountry<'a> {
    country_code: &'a str,
    country_name: &'a str,
    #[serde(borrow)]
    id_types: Vec<BorrowedDocument<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "fields decoded to be measured, not read")]
struct BorrowedDocument<'a> {
    id_type: &'a str,
    acquisition_config: BorrowedCapture,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "fields decoded to be measured, not read")]
struct BorrowedCapture {
    back_side: bool,
}

enum Subject {
    Facade(netverify::Client),
    Generated(netverify_api::Client),
    Borrowed {
        http: reqwest::Client,
        url: String,
        user_agent: HeaderValue,
    },
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
            Subject::Borrowed {
                http,
                url,
                user_agent,
            } => {
                let body = http
                    .get(url)
                    .header(ACCEPT, HeaderValue::from_static("application/json"))
                    .header(USER_AGENT, user_agent.clone())
                    .send()
                    .await
                    .and_then(reqwest::Response::error_for_status)
                    .expect("borrowed call")
                    .bytes()
                    .await
                    .expect("borrowed body");
                // The body's UTF-8 checked once, as the facade does, not once
                // per string (`from_slice`).
                let text = std::str::from_utf8(&body).expect("UTF-8 body");
                black_box(serde_json::from_str::<Borrowed<'_>>(text).expect("borrowed decode"));
            }
        }
    }
}

/// A reqwest client with the settings the facade's builder gives its own:
/// Basic auth as a sensitive default header, a 10 s connect timeout, no
/// redirects.
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

fn subject(name: &str, base_url: &str) -> Subject {
    let facade = netverify::Client::builder()
        .base_url(base_url)
        .credentials(DEFAULT_TOKEN, DEFAULT_SECRET)
        .user_agent(CUSTOMER_USER_AGENT)
        .build()
        .expect("facade client");
    match name {
        "facade" => Subject::Facade(facade),
        "generated" => Subject::Generated(netverify_api::Client::new_with_client(
            base_url,
            http_client(),
            netverify_api::ClientContext::new(),
        )),
        "borrowed" => Subject::Borrowed {
            http: http_client(),
            url: format!("{base_url}{SUPPORTED_PATH}"),
            // The same User-Agent the facade sends.
            user_agent: HeaderValue::from_str(facade.user_agent()).expect("valid header"),
        },
        other => panic!("unknown client {other}"),
    }
}

/// The mock, until stdin closes (the parent exits).
fn serve(runtime: &tokio::runtime::Runtime) {
    runtime.block_on(async {
        let mock = MockServer::builder().start().await.expect("mock server");
        println!("{}", mock.base_url());
        tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new()))
            .await
            .expect("stdin reader")
            .expect("stdin");
        mock.shutdown().await.expect("mock shutdown");
    });
}

fn main() {
    // reqwest is built without a default TLS provider; building a client
    // needs one, even for plain HTTP.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let mut args = std::env::args().skip(1);
    let name = args
        .next()
        .expect("usage: call_instructions facade|generated|borrowed N | serve");
    if name == "serve" {
        return serve(&runtime);
    }
    let times: usize = args.next().and_then(|n| n.parse().ok()).expect("a count");
    let mut mock = Command::new(std::env::current_exe().expect("own path"))
        .arg("serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("mock process");
    let mut base_url = String::new();
    BufReader::new(mock.stdout.take().expect("mock stdout"))
        .read_line(&mut base_url)
        .expect("mock's address");
    let subject = subject(&name, base_url.trim());
    runtime.block_on(async {
        for _ in 0..WARM_UP {
            subject.call().await;
        }
        for _ in 0..times {
            subject.call().await;
        }
    });
    drop(mock.stdin.take());
    mock.wait().expect("mock exit");
}
