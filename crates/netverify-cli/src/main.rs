//! `netverify`: which ID documents Jumio supports and which your account
//! accepts, from a terminal or a CI pipeline.

mod args;
mod output;
mod spinner;

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use netverify::{Catalogue, CatalogueDiff, Client, CountryCode, IdType, Region, RetryPolicy};
use netverify_mock::MockServer;

use args::{
    CheckArgs, Cli, Command, Connection, DiffArgs, DiffFormat, Format, ListArgs, RegionArg,
};
use output::Row;
use spinner::Spinner;

/// The User-Agent the sandbox sends when none is given; the real API needs
/// the customer's own.
const SANDBOX_USER_AGENT: &str = concat!("netverify-cli/", env!("CARGO_PKG_VERSION"));

/// How a run ends, and with which exit code.
enum Failure {
    /// 1: a negative answer (check, diff); already reported on stdout.
    Negative,
    /// 2: usage or configuration error.
    Usage(String),
    /// 3: refused by the server (401, 403); 4: every other failure.
    Api(netverify::Error),
    /// 4: writing the output failed.
    Output(io::Error),
}

impl Failure {
    fn exit_code(&self) -> u8 {
        match self {
            Failure::Negative => 1,
            Failure::Usage(_) => 2,
            Failure::Api(netverify::Error::Config(_)) => 2,
            Failure::Api(
                netverify::Error::Forbidden { .. } | netverify::Error::Unauthorized { .. },
            ) => 3,
            Failure::Api(_) | Failure::Output(_) => 4,
        }
    }
}

impl From<netverify::Error> for Failure {
    fn from(error: netverify::Error) -> Self {
        Failure::Api(error)
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        Failure::Output(error)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return report(&Failure::Output(error)),
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that went away (`| head`) is not a failure of ours.
        Err(Failure::Output(error)) if error.kind() == io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(failure) => report(&failure),
    }
}

/// Prints the failure in one or two lines on stderr and picks the exit code.
fn report(failure: &Failure) -> ExitCode {
    let mut stderr = anstream::stderr();
    let red = anstyle::Style::new()
        .bold()
        .fg_color(Some(anstyle::AnsiColor::Red.into()));
    let message = match failure {
        Failure::Negative => None,
        Failure::Usage(message) => Some(message.clone()),
        Failure::Api(error) => Some(describe(error)),
        Failure::Output(error) => Some(format!("cannot write the output: {error}")),
    };
    if let Some(message) = message {
        let _ = writeln!(stderr, "{red}netverify:{red:#} {message}");
    }
    ExitCode::from(failure.exit_code())
}

/// What failed, the status and tracking id when there was a response (the
/// error's `Display` already carries them), and a hint for the usual causes.
fn describe(error: &netverify::Error) -> String {
    use netverify::Error::*;
    let hint = match error {
        Timeout { .. } => {
            Some("the server did not answer in time: raise --timeout or try again later")
        }
        Connect { .. } => Some("check the network, the region and --base-url"),
        Decode { .. } | ResponseTooLarge { .. } => Some(
            "the response is not a Netverify catalogue: check --base-url; quote the tracking id to Jumio support",
        ),
        Api { .. } | RateLimited { .. } => {
            Some("the server kept failing after the retries: try again later")
        }
        _ => None,
    };
    match hint {
        Some(hint) => format!("{error}\nhint: {hint}"),
        None => error.to_string(),
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    // Files need no server: `diff --from --to` compares them offline.
    if let Command::Diff(DiffArgs {
        from: Some(from),
        to: Some(to),
        format,
    }) = &cli.command
    {
        return diff(load(from)?, load(to)?, *format, DiffLabels::OLD_NEW);
    }
    let session = Session::connect(&cli.connection).await?;
    match cli.command {
        Command::Supported(list) => print_list(session.supported().await?, &list),
        Command::Accepted(list) => print_list(session.accepted().await?, &list),
        Command::Check(check) => check_document(&session, &check).await,
        Command::Diff(DiffArgs { format, .. }) => {
            let (accepted, supported) = tokio::join!(session.accepted(), session.supported());
            diff(
                accepted?,
                supported?,
                format,
                DiffLabels::ACCEPTED_SUPPORTED,
            )
        }
    }
}

/// A connected client, and the in-process sandbox server when it answers.
struct Session {
    client: Client,
    // Kept alive for as long as the client talks to it.
    _sandbox: Option<MockServer>,
}

impl Session {
    async fn connect(connection: &Connection) -> Result<Session, Failure> {
        let implicit_sandbox = connection.token.is_none()
            && connection.secret.is_none()
            && connection.base_url.is_none();
        let attempt_timeout = Duration::try_from_secs_f64(connection.timeout)
            .ok()
            .filter(|timeout| !timeout.is_zero())
            .ok_or_else(|| {
                Failure::Usage(format!(
                    "invalid --timeout {}: expected a positive number of seconds",
                    connection.timeout
                ))
            })?;
        let retry = match connection.retries {
            0 => RetryPolicy::none(),
            retries => RetryPolicy::default().max_attempts(retries.saturating_add(1)),
        };
        let mut builder = Client::builder()
            .attempt_timeout(attempt_timeout)
            .retry_policy(retry);

        let sandbox = if connection.sandbox || implicit_sandbox {
            if implicit_sandbox && !connection.sandbox {
                eprintln!(
                    "netverify: no credentials or base URL given; answering from the built-in sandbox (sample data, not Jumio's)"
                );
            }
            let server = MockServer::builder()
                .start()
                .await
                .map_err(|error| Failure::Usage(format!("cannot start the sandbox: {error}")))?;
            builder = builder
                .base_url(server.base_url())
                .credentials(
                    netverify_mock::DEFAULT_TOKEN,
                    netverify_mock::DEFAULT_SECRET,
                )
                .user_agent(
                    connection
                        .user_agent
                        .as_deref()
                        .unwrap_or(SANDBOX_USER_AGENT),
                );
            Some(server)
        } else {
            builder = match &connection.base_url {
                Some(url) => builder.base_url(url),
                None => builder.region(region(connection.region)),
            };
            if let (Some(token), Some(secret)) = (&connection.token, &connection.secret) {
                builder = builder.credentials(token.as_str(), secret.as_str());
            }
            if let Some(user_agent) = &connection.user_agent {
                builder = builder.user_agent(user_agent);
            }
            None
        };
        let client = builder.build()?;
        Ok(Session {
            client,
            _sandbox: sandbox,
        })
    }

    async fn supported(&self) -> Result<Catalogue, netverify::Error> {
        let _spinner = Spinner::after_a_moment("fetching the supported ID types");
        self.client.supported_id_types().await
    }

    async fn accepted(&self) -> Result<Catalogue, netverify::Error> {
        let _spinner = Spinner::after_a_moment("fetching the accepted ID types");
        self.client.accepted_id_types().await
    }
}

fn region(region: RegionArg) -> Region {
    match region {
        RegionArg::Us => Region::Us,
        RegionArg::Eu => Region::Eu,
        RegionArg::Sgp => Region::Sgp,
    }
}

fn country_code(text: &str) -> Result<CountryCode, Failure> {
    CountryCode::parse_lenient(text).map_err(|error| Failure::Usage(error.to_string()))
}

/// ID types are upper case on the wire; people type them in any case.
fn id_type(text: &str) -> IdType {
    IdType::from(text.trim().to_ascii_uppercase())
}

/// The catalogue restricted to the requested countries and ID types, in
/// server order. A country filter keeps a country even when the ID-type
/// filter leaves it no documents only if no ID-type filter was given.
fn filtered(catalogue: Catalogue, list: &ListArgs) -> Result<Catalogue, Failure> {
    let countries = list
        .countries
        .iter()
        .map(|c| country_code(c))
        .collect::<Result<Vec<_>, _>>()?;
    let id_types: Vec<IdType> = list.id_types.iter().map(|t| id_type(t)).collect();
    if countries.is_empty() && id_types.is_empty() {
        return Ok(catalogue);
    }
    for code in &countries {
        if catalogue.country(*code).is_none() {
            eprintln!("netverify: {code} is not in the catalogue");
        }
    }
    Ok(catalogue.filter(&countries, &id_types))
}

fn print_list(catalogue: Catalogue, list: &ListArgs) -> Result<(), Failure> {
    let catalogue = filtered(catalogue, list)?;
    let mut stdout = anstream::stdout().lock();
    match list.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut stdout, &catalogue).map_err(io::Error::from)?;
            writeln!(stdout)?;
        }
        Format::Table => output::table(&mut stdout, &rows(&catalogue))?,
        Format::Csv => output::csv(&mut stdout, &rows(&catalogue))?,
    }
    stdout.flush()?;
    Ok(())
}

fn rows(catalogue: &Catalogue) -> Vec<Row<'_>> {
    catalogue
        .entries()
        .map(|(country, document)| Row {
            country_code: country.code(),
            country_name: country.name(),
            id_type: document.id_type().as_str(),
            back_side: document.back_side_required(),
        })
        .collect()
}

async fn check_document(session: &Session, check: &CheckArgs) -> Result<(), Failure> {
    let code = country_code(&check.country)?;
    let id_type = id_type(&check.id_type);
    let accepted = session.accepted().await?;
    let mut stdout = io::stdout().lock();
    if let Some(document) = accepted.document(code, &id_type) {
        let back_side = if document.back_side_required() {
            "the back side is required"
        } else {
            "the back side is not required"
        };
        writeln!(stdout, "{code} {id_type}: accepted; {back_side}")?;
        return Ok(());
    }
    // Say whether enabling it is possible at all.
    let supported = session.supported().await?;
    let why = if supported.contains(code, &id_type) {
        "Jumio supports it: enable it in the Customer Portal under Settings > Accepted IDs"
    } else {
        "Jumio does not support it either"
    };
    writeln!(stdout, "{code} {id_type}: not accepted; {why}")?;
    Err(Failure::Negative)
}

fn load(path: &Path) -> Result<Catalogue, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|error| Failure::Usage(format!("cannot read {}: {error}", path.display())))?;
    Catalogue::from_json(&bytes).map_err(|error| {
        Failure::Usage(format!(
            "{} is not a saved catalogue: {error}",
            path.display()
        ))
    })
}

fn entry_rows(entries: &[netverify::DiffEntry]) -> Vec<Row<'_>> {
    entries
        .iter()
        .map(|entry| Row {
            country_code: entry.country_code,
            country_name: &entry.country_name,
            id_type: entry.id_type.as_str(),
            back_side: entry.back_side,
        })
        .collect()
}

/// How the two sides of a diff are described.
struct DiffLabels {
    only_left: &'static str,
    only_right: &'static str,
    changed: &'static str,
}

impl DiffLabels {
    const ACCEPTED_SUPPORTED: DiffLabels = DiffLabels {
        only_left: "accepted but no longer supported by Jumio",
        only_right: "supported by Jumio, not accepted (could be enabled)",
        changed: "back-side requirement differs (accepted -> supported)",
    };
    const OLD_NEW: DiffLabels = DiffLabels {
        only_left: "removed",
        only_right: "added",
        changed: "back-side requirement changed (old -> new)",
    };
}

fn diff(
    left: Catalogue,
    right: Catalogue,
    format: DiffFormat,
    labels: DiffLabels,
) -> Result<(), Failure> {
    let difference: CatalogueDiff = left.diff(&right);
    let mut stdout = anstream::stdout().lock();
    match format {
        DiffFormat::Json => {
            serde_json::to_writer_pretty(&mut stdout, &difference).map_err(io::Error::from)?;
            writeln!(stdout)?;
        }
        DiffFormat::Table => {
            let section =
                |out: &mut dyn Write, title: &str, rows: Vec<Row<'_>>| -> io::Result<()> {
                    writeln!(out, "{title}: {}", rows.len())?;
                    if !rows.is_empty() {
                        output::table(out, &rows)?;
                    }
                    writeln!(out)
                };
            section(
                &mut stdout,
                labels.only_left,
                entry_rows(&difference.only_in_left),
            )?;
            section(
                &mut stdout,
                labels.only_right,
                entry_rows(&difference.only_in_right),
            )?;
            writeln!(
                stdout,
                "{}: {}",
                labels.changed,
                difference.back_side_changed.len()
            )?;
            for change in &difference.back_side_changed {
                let side = |required: bool| if required { "required" } else { "not required" };
                writeln!(
                    stdout,
                    "  {} {} {}: back side {} -> {}",
                    change.country_code,
                    change.country_name,
                    change.id_type,
                    side(change.left),
                    side(change.right)
                )?;
            }
        }
    }
    stdout.flush()?;
    if difference.is_empty() {
        Ok(())
    } else {
        Err(Failure::Negative)
    }
}
