//! `netverify-mock`: serves Jumio's ID-type endpoints offline. See the README.

use std::io::{IsTerminal, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::builder::TypedValueParser as _;
use clap::{Parser, ValueEnum};
use netverify_mock::{
    Catalogue, DEFAULT_SECRET, DEFAULT_TOKEN, Fault, Fixture, ListKey, MockServer,
};

/// An offline mock of Jumio's Netverify ID-type endpoints, with fault injection.
///
/// Prints `listening on http://ADDR:PORT` on stdout once it accepts requests,
/// logs one line per request on stderr (never the credentials), and stops
/// cleanly on Ctrl-C or SIGTERM.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// The address to listen on.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,

    /// The port to listen on; 0 picks a free one (read it from stdout).
    #[arg(long, default_value_t = 8080)]
    port: u16,

    /// The API token to accept (a public sample value by default).
    #[arg(long, env = "NETVERIFY_MOCK_TOKEN", default_value = DEFAULT_TOKEN)]
    token: String,

    /// The API secret to accept (a public sample value by default).
    #[arg(long, env = "NETVERIFY_MOCK_SECRET", default_value = DEFAULT_SECRET, hide_env_values = true)]
    secret: String,

    /// Serve the catalogue in DIR (supportedIdTypes.json and acceptedIdTypes.json,
    /// each a response saved from the API) instead of the built-in sample.
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,

    /// The key of the accepted endpoint's list: `acceptedIdTypes` (Jumio's
    /// sample response) or `supportedIdTypes` (Jumio's parameter table).
    #[arg(
        long,
        value_name = "KEY",
        default_value = ListKey::AcceptedIdTypes.as_str(),
        value_parser = clap::builder::PossibleValuesParser::new(ListKey::ALL.map(ListKey::as_str))
            .map(|key| ListKey::from_name(&key).expect("one of the possible values")),
    )]
    accepted_key: ListKey,

    /// Delay every response by this many milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency_ms: u64,

    /// Answer the next catalogue requests with this fault (see --fail-next).
    #[arg(long, value_enum, value_name = "KIND", group = "canned")]
    fault: Option<FaultArg>,

    /// Answer the next catalogue requests exactly as this fixture of
    /// openapi/fixtures/ says (status, headers, body; see --fail-next).
    #[arg(long, value_name = "FILE", group = "canned")]
    fixture: Option<PathBuf>,

    /// How many catalogue requests get --fault or --fixture.
    #[arg(long, value_name = "N", default_value_t = 1, requires = "canned")]
    fail_next: usize,

    /// The Retry-After seconds of the 429 and 503 faults.
    #[arg(long, value_name = "SECS", default_value_t = 1)]
    retry_after: u64,

    /// How long the stall fault waits before answering, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 30_000)]
    stall_ms: u64,

    /// Do not log requests (for benchmarks).
    #[arg(long)]
    quiet: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum FaultArg {
    /// 429 with Retry-After.
    #[value(name = "429")]
    TooManyRequests,
    /// 500 with Jumio's error body.
    #[value(name = "500")]
    InternalServerError,
    /// 502 with an HTML body, as a proxy sends it.
    #[value(name = "502")]
    BadGateway,
    /// 503 with Retry-After.
    #[value(name = "503")]
    ServiceUnavailable,
    /// 200 with the JSON cut in half.
    Truncated,
    /// 200 with invalid JSON.
    Malformed,
    /// 200 with a document that holds no list (only the timestamp).
    MissingList,
    /// 200 headers, half the body, then the connection closes.
    Disconnect,
    /// No answer for --stall-ms, then the normal one.
    Stall,
}

impl Args {
    fn fault(&self) -> Option<Fault> {
        let retry_after_secs = Some(self.retry_after);
        Some(match self.fault? {
            FaultArg::TooManyRequests => Fault::TooManyRequests { retry_after_secs },
            FaultArg::InternalServerError => Fault::InternalServerError,
            FaultArg::BadGateway => Fault::BadGateway,
            FaultArg::ServiceUnavailable => Fault::ServiceUnavailable { retry_after_secs },
            FaultArg::Truncated => Fault::TruncatedJson,
            FaultArg::Malformed => Fault::MalformedJson,
            FaultArg::MissingList => Fault::MissingList,
            FaultArg::Disconnect => Fault::Disconnect,
            FaultArg::Stall => Fault::Stall(Duration::from_millis(self.stall_ms)),
        })
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .with_max_level(if args.quiet {
            tracing::Level::WARN
        } else {
            tracing::Level::INFO
        })
        .init();

    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("netverify-mock: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let catalogue = match &args.data {
        Some(dir) => Catalogue::from_dir(dir).map_err(|e| e.to_string())?,
        None => Catalogue::sample(),
    };
    let fixture = args
        .fixture
        .as_deref()
        .map(Fixture::from_file)
        .transpose()?;
    let addr = SocketAddr::new(args.host, args.port);
    let server = MockServer::builder()
        .bind(addr)
        .credentials(&args.token, &args.secret)
        .catalogue(catalogue)
        .accepted_key(args.accepted_key)
        .latency(Duration::from_millis(args.latency_ms))
        .start()
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    if let Some(fault) = args.fault() {
        server.faults().push_n(args.fail_next, fault);
    }
    if let Some(fixture) = fixture {
        server.faults().push_n(args.fail_next, fixture.fault());
    }

    // The one line on stdout, written only once faults are queued, so a
    // script that reads it can start sending requests at once.
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on {}", server.base_url())
        .and_then(|()| stdout.flush())
        .map_err(|e| format!("cannot write to stdout: {e}"))?;
    drop(stdout);

    stop_signal().await;
    tracing::info!("shutting down");
    server
        .shutdown()
        .await
        .map_err(|e| format!("server failed: {e}"))
}

/// Ctrl-C, or on Unix also SIGTERM (what process managers and `kill` send).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
