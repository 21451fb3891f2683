//! `netverify`: which ID documents Jumio supports and which your account
//! accepts, from a terminal or a CI pipeline.

mod args;
mod files;
mod output;
mod spinner;
mod verbose;

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use clap::{CommandFactory, Parser};
use netverify::{
    Catalogue, CatalogueDiff, Client, ClientBuilder, ConfigError, CountryCode, IdType, ListKey,
    RetryPolicy, env_vars,
};
use netverify_mock::MockServer;
use serde_json::json;

use args::{
    CheckArgs, CheckFormat, Cli, Command, Connection, DiffArgs, DiffFormat, Format, List, ListArgs,
};
use output::Row;
use spinner::Spinner;

/// `-q`: no notices, warnings or spinner on stderr; errors are still shown.
static QUIET: AtomicBool = AtomicBool::new(false);

fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

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
    /// A usage error in the CLI's own terms, for a configuration the facade
    /// refused.
    fn config(error: &ConfigError) -> Failure {
        Failure::Usage(config_message(error))
    }

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
    QUIET.store(cli.quiet, Ordering::Relaxed);
    let json = cli.json();
    let attempts = cli.verbose.then(verbose::install);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return report(&Failure::Output(error), json),
    };
    // The exit code is the answer: a reader that went away (`| head`) does
    // not change it (see `write_stdout`).
    let result = runtime.block_on(run(cli));
    if let Some(attempts) = attempts {
        attempts.flush();
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => report(&failure, json),
    }
}

/// Writes to stdout. A reader that went away (`| head`, `| true`) is not a
/// failure: the rest of the output is dropped and the run ends with the exit
/// code of its answer, 0 or 1, as if the output had been read. Any other
/// write error is a failure (exit 4).
fn write_stdout(render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Failure> {
    let mut stdout = anstream::stdout().lock();
    match render(&mut stdout).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => Err(Failure::Output(error)),
        _ => Ok(()),
    }
}

/// Writes the answer to stdout (also for `-o -`), or with `-o FILE` to FILE:
/// atomically, and only once the whole answer is rendered (see
/// `files::write_atomically`).
fn emit(
    output: Option<&Path>,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Failure> {
    let Some(path) = output.filter(|path| path.as_os_str() != "-") else {
        return write_stdout(render);
    };
    let mut bytes = Vec::new();
    // A file gets no colour, whatever the terminal.
    render(&mut anstream::StripStream::new(&mut bytes))?;
    files::write_atomically(path, &bytes).map_err(Failure::Output)
}

/// A warning on stderr: the answer goes on, but something the user typed
/// probably did not mean what they think. `-q` silences it.
fn warn(message: &str) {
    if quiet() {
        return;
    }
    let mut stderr = anstream::stderr();
    let yellow = anstyle::Style::new()
        .bold()
        .fg_color(Some(anstyle::AnsiColor::Yellow.into()));
    let _ = writeln!(stderr, "{yellow}netverify: warning:{yellow:#} {message}");
}

/// A note on stderr about how the answer was found. `-q` silences it.
fn notice(message: &str) {
    if quiet() {
        return;
    }
    let mut stderr = anstream::stderr();
    let bold = anstyle::Style::new().bold();
    let _ = writeln!(stderr, "{bold}netverify: note:{bold:#} {message}");
}

/// Prints the failure on stderr and picks the exit code: one or two lines,
/// or with `json` one JSON object on one line.
fn report(failure: &Failure, json: bool) -> ExitCode {
    let mut stderr = anstream::stderr();
    let described = match failure {
        Failure::Negative => None,
        Failure::Usage(message) => Some((message.clone(), None)),
        Failure::Api(error) => Some(describe(error)),
        Failure::Output(error) => Some((format!("cannot write the output: {error}"), None)),
    };
    if let Some((message, hint)) = described {
        if json {
            let _ = writeln!(stderr, "{}", error_json(failure, &message, hint.as_deref()));
        } else {
            let red = anstyle::Style::new()
                .bold()
                .fg_color(Some(anstyle::AnsiColor::Red.into()));
            let hint = hint
                .map(|hint| format!("\nhint: {hint}"))
                .unwrap_or_default();
            let _ = writeln!(stderr, "{red}netverify:{red:#} {message}{hint}");
        }
    }
    ExitCode::from(failure.exit_code())
}

/// The failure as one JSON object, for scripts that asked for `--format
/// json`: `kind`, `status`, `message`, `trackingId`, `attempts`, `hint`
/// (each `null` when it does not apply).
fn error_json(failure: &Failure, message: &str, hint: Option<&str>) -> serde_json::Value {
    use netverify::Error::*;
    let (kind, error) = match failure {
        Failure::Negative | Failure::Usage(_) => ("usage", None),
        Failure::Output(_) => ("output", None),
        Failure::Api(error) => {
            let kind = match error {
                Config(_) => "config",
                Unauthorized { .. } => "unauthorized",
                Forbidden { .. } => "forbidden",
                RateLimited { .. } => "rateLimited",
                Api { .. } => "api",
                Timeout { .. } => "timeout",
                Connect { .. } => "connect",
                Incomplete { .. } => "incomplete",
                Decode { .. } => "decode",
                ResponseTooLarge { .. } => "responseTooLarge",
                _ => "other",
            };
            (kind, Some(error))
        }
    };
    json!({
        "kind": kind,
        "status": error.and_then(|error| error.status()).map(|status| status.as_u16()),
        "message": message,
        "trackingId": error.and_then(|error| error.tracking_id()),
        "attempts": error.map(|error| error.attempts()).filter(|&attempts| attempts > 0),
        "hint": hint,
    })
}

/// What failed (the error and each of its causes, once), and a hint by
/// cause.
fn describe(error: &netverify::Error) -> (String, Option<String>) {
    use netverify::Error::*;
    if let Config(config) = error {
        return (config_message(config), None);
    }
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    let attempts = error.attempts();
    let hint = match error {
        Timeout { .. } => {
            "the server did not answer in time: raise --timeout, or try again later".to_owned()
        }
        Connect { .. } => "check the network, and the host: --region or --base-url".to_owned(),
        Incomplete { .. } => "the response was cut off on the way: try again; if it keeps \
            happening, quote the tracking id to Jumio support"
            .to_owned(),
        Decode { .. } | ResponseTooLarge { .. } => "the response is not a Netverify catalogue: \
            check --base-url; if it is Jumio's host, quote the tracking id to Jumio support"
            .to_owned(),
        Api { status, .. } if status.as_u16() == 404 => format!(
            "check --base-url: give the scheme and host only (and a proxy's own path prefix); \
             the client adds {}/... itself",
            netverify::Operation::PATH_PREFIX
        ),
        Api { .. } | RateLimited { .. } if attempts > 1 => {
            format!("the server kept failing after {attempts} attempts: try again later")
        }
        Api { .. } | RateLimited { .. } => "the server failed: try again later; if it keeps \
            happening, quote the tracking id to Jumio support"
            .to_owned(),
        // 401 and 403 carry their hint in the message.
        _ => return (message, None),
    };
    (message, Some(hint))
}

/// The facade's configuration errors in the CLI's terms: flags and
/// variables, never library methods.
fn config_message(error: &ConfigError) -> String {
    const SANDBOX: &str = "for sample data without credentials, use --sandbox";
    match error {
        ConfigError::MissingCredentials => format!(
            "no credentials: the API token and secret are missing; pass --token and --secret, \
             or set {} and {}, or name files holding them with --token-file and --secret-file \
             or {} and {} ({SANDBOX})",
            env_vars::API_TOKEN,
            env_vars::API_SECRET,
            files::TOKEN_FILE.variable,
            files::SECRET_FILE.variable,
        ),
        ConfigError::MissingToken => format!(
            "the API token is missing: pass --token or set {}, or name a file holding it with \
             --token-file or {} ({SANDBOX})",
            env_vars::API_TOKEN,
            files::TOKEN_FILE.variable,
        ),
        ConfigError::MissingSecret => format!(
            "the API secret is missing: pass --secret or set {}, or name a file holding it with \
             --secret-file or {} ({SANDBOX})",
            env_vars::API_SECRET,
            files::SECRET_FILE.variable,
        ),
        ConfigError::MissingUserAgent => format!(
            "the User-Agent is missing: Jumio requires one naming your company and application; \
             pass --user-agent \"Acme KYC/1.0\" or set {}",
            env_vars::USER_AGENT
        ),
        ConfigError::InvalidRegion { value } => format!(
            "unknown region {value:?} (from --region or {}): expected us, eu or sgp, in any case",
            env_vars::REGION
        ),
        ConfigError::RegionAndBaseUrl => format!(
            "{} and {} are both set: unset one of them, or choose with --region or --base-url",
            env_vars::REGION,
            env_vars::BASE_URL
        ),
        ConfigError::ZeroTimeout { .. } => "--timeout must be greater than zero seconds".to_owned(),
        other => format!("invalid configuration: {other}"),
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    match &cli.command {
        Command::Completions(completions) => {
            let mut script = Vec::new();
            clap_complete::generate(
                completions.shell,
                &mut Cli::command(),
                "netverify",
                &mut script,
            );
            return write_stdout(|stdout| stdout.write_all(&script));
        }
        // Files need no server: `diff --from --to` compares them offline.
        Command::Diff(DiffArgs {
            from: Some(from),
            to: Some(to),
            format,
            output,
            ..
        }) => {
            if from.as_os_str() == "-" && to.as_os_str() == "-" {
                return Err(Failure::Usage(
                    "--from - and --to - both read stdin: give at most one of them as -".to_owned(),
                ));
            }
            let (old, new) = (load(from)?, load(to)?);
            return diff(old, new, *format, DiffLabels::OLD_NEW, output.as_deref());
        }
        _ => {}
    }
    // A saved file is read before any request: a wrong path fails at once.
    let saved = match &cli.command {
        Command::Diff(DiffArgs {
            from: Some(from), ..
        }) => Some(load(from)?),
        _ => None,
    };
    let session = Session::connect(&cli.connection).await?;
    match cli.command {
        Command::Supported(list) => print_list(session.supported().await?, &list, "supported"),
        Command::Accepted(list) => print_list(session.accepted().await?, &list, "accepted"),
        Command::Check(check) => check_document(&session, &check).await,
        Command::Diff(DiffArgs {
            list,
            format,
            output,
            ..
        }) => match saved {
            Some(saved) => {
                let live = match live_list(&saved, list) {
                    List::Accepted => session.accepted().await?,
                    List::Supported => session.supported().await?,
                };
                diff(saved, live, format, DiffLabels::OLD_NEW, output.as_deref())
            }
            None => {
                let (accepted, supported) = tokio::join!(session.accepted(), session.supported());
                diff(
                    accepted?,
                    supported?,
                    format,
                    DiffLabels::ACCEPTED_SUPPORTED,
                    output.as_deref(),
                )
            }
        },
        Command::Completions(_) => unreachable!("answered above, offline"),
    }
}

/// The live list a saved catalogue is compared with: the one `--list`
/// names, else the one the file's key names. An accepted list can travel
/// under `supportedIdTypes` too, so that reading is said.
fn live_list(saved: &Catalogue, list: Option<List>) -> List {
    if let Some(list) = list {
        return list;
    }
    match saved.list_key() {
        ListKey::AcceptedIdTypes => List::Accepted,
        ListKey::SupportedIdTypes => {
            notice(
                "the saved file's key is supportedIdTypes: comparing it with the live \
                 supported list (for an accepted list saved under that key, pass --list accepted)",
            );
            List::Supported
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
        let attempt_timeout = Duration::try_from_secs_f64(connection.timeout).map_err(|_| {
            Failure::Usage(format!(
                "invalid --timeout {}: expected a number of seconds greater than zero",
                connection.timeout
            ))
        })?;
        let retry = match connection.retries {
            0 => RetryPolicy::none(),
            retries => RetryPolicy::default().max_attempts(retries.saturating_add(1)),
        };
        let (builder, sandbox) = if connection.sandbox {
            // Only on request, and never from the environment's settings.
            let server = MockServer::builder()
                .start()
                .await
                .map_err(|error| Failure::Usage(format!("cannot start the sandbox: {error}")))?;
            let builder = Client::builder()
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
            (builder, Some(server))
        } else {
            let credentials = Credentials::resolve(connection)?;
            let builder =
                ClientBuilder::from_env_with(|name| settings(connection, &credentials, name))
                    .map_err(|error| match error {
                        netverify::Error::Config(config) => Failure::config(&config),
                        other => Failure::Api(other),
                    })?;
            (builder, None)
        };
        let client = builder
            .attempt_timeout(attempt_timeout)
            .retry_policy(retry)
            .build()?;
        Ok(Session {
            client,
            _sandbox: sandbox,
        })
    }
    async fn supported(&self) -> Result<Catalogue, netverify::Error> {
        let _spinner =
            (!quiet()).then(|| Spinner::after_a_moment("fetching the supported ID types"));
        self.client.supported_id_types().await
    }

    async fn accepted(&self) -> Result<Catalogue, netverify::Error> {
        let _spinner =
            (!quiet()).then(|| Spinner::after_a_moment("fetching the accepted ID types"));
        self.client.accepted_id_types().await
    }
}

/// The token and secret named by a flag, a file or a variable, in the
/// order of docs/settings.md: `--secret` > `--secret-file` >
/// `JUMIO_API_SECRET` > `JUMIO_API_SECRET_FILE` (the same for the token).
/// `None` leaves the setting to `from_env_with`, which then reports it
/// missing.
struct Credentials {
    token: Option<String>,
    secret: Option<String>,
}

impl Credentials {
    fn resolve(connection: &Connection) -> Result<Credentials, Failure> {
        Ok(Credentials {
            token: files::TOKEN_FILE
                .resolve(&connection.token, &connection.token_file)
                .map_err(Failure::Usage)?,
            secret: files::SECRET_FILE
                .resolve(&connection.secret, &connection.secret_file)
                .map_err(Failure::Usage)?,
        })
    }
}

/// The value of a setting, named by its environment variable, with the
/// facade's precedence: a flag wins over its variable, which wins over the
/// default (what `from_env_with` does with `None`). `--region` and
/// `--base-url` choose the same thing, so either flag also hides the other's
/// variable. The credentials come resolved, files included.
fn settings(connection: &Connection, credentials: &Credentials, name: &str) -> Option<String> {
    let (flag, hidden_by_flag) = match name {
        env_vars::REGION => (&connection.region, connection.base_url.is_some()),
        env_vars::BASE_URL => (&connection.base_url, connection.region.is_some()),
        env_vars::API_TOKEN => return credentials.token.clone(),
        env_vars::API_SECRET => return credentials.secret.clone(),
        env_vars::USER_AGENT => (&connection.user_agent, false),
        _ => (&None, false),
    };
    match flag {
        Some(value) => Some(value.clone()),
        None if hidden_by_flag => None,
        None => std::env::var(name).ok(),
    }
}

fn country_code(text: &str) -> Result<CountryCode, Failure> {
    CountryCode::parse_lenient(text).map_err(|error| Failure::Usage(error.to_string()))
}

/// ID types are upper case with `_` on the wire; people type them in any
/// case, with `-` or spaces. A reading that changed more than the case is
/// said on stderr, so the user sees what was looked up.
fn id_type(text: &str) -> IdType {
    let id_type = IdType::parse_lenient(text);
    if !id_type.as_str().eq_ignore_ascii_case(text) {
        warn(&format!("reading the ID type {text:?} as {id_type}"));
    }
    id_type
}

/// The known ID type nearest in spelling to `id_type`: one of the
/// catalogue's, or one this client knows.
fn nearest_id_type(id_type: &IdType, catalogue: &Catalogue) -> Option<IdType> {
    catalogue
        .id_types()
        .cloned()
        .chain(IdType::KNOWN)
        .filter(|known| known != id_type)
        .min_by_key(|known| strsim::levenshtein(known.as_str(), id_type.as_str()))
}

/// Warns about an ID type the catalogue does not have at all; `true` when
/// it has it.
fn known_id_type(id_type: &IdType, catalogue: &Catalogue, which: &str) -> bool {
    if catalogue.id_types().any(|known| known == id_type) {
        return true;
    }
    let nearest = nearest_id_type(id_type, catalogue)
        .map(|nearest| format!("; the nearest known spelling is {nearest}"))
        .unwrap_or_default();
    warn(&format!(
        "{id_type} is not an ID type of the {which} catalogue{nearest}"
    ));
    false
}

/// Warns about a country the catalogue does not list; `true` when it lists
/// it.
fn known_country(code: CountryCode, catalogue: &Catalogue, which: &str) -> bool {
    if catalogue.country(code).is_some() {
        return true;
    }
    let name = code
        .iso_name()
        .map(|name| format!(" ({name})"))
        .unwrap_or_else(|| " (not an ISO 3166-1 code)".to_owned());
    warn(&format!("{code}{name} is not in the {which} catalogue"));
    false
}

/// The catalogue restricted to the requested countries and ID types, in
/// server order. A country filter keeps a country even when the ID-type
/// filter leaves it no documents only if no ID-type filter was given. A
/// filter value the catalogue does not have is warned about on stderr.
fn filtered(catalogue: Catalogue, list: &ListArgs, which: &str) -> Result<Catalogue, Failure> {
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
        known_country(*code, &catalogue, which);
    }
    for id_type in &id_types {
        known_id_type(id_type, &catalogue, which);
    }
    Ok(catalogue.filter(&countries, &id_types))
}

fn print_list(catalogue: Catalogue, list: &ListArgs, which: &str) -> Result<(), Failure> {
    let catalogue = filtered(catalogue, list, which)?;
    emit(list.output.as_deref(), |stdout| match list.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *stdout, &catalogue).map_err(io::Error::from)?;
            writeln!(stdout)
        }
        Format::Table => output::table(stdout, &rows(&catalogue)),
        Format::Csv => output::csv(stdout, &rows(&catalogue)),
    })
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
    let json = check.format == CheckFormat::Json;
    // JSON says whether Jumio supports it in every case: fetch both at once.
    let (accepted, supported) = if json {
        let (accepted, supported) = tokio::join!(session.accepted(), session.supported());
        (accepted?, Some(supported?))
    } else {
        (session.accepted().await?, None)
    };
    let accepted_document = accepted.document(code, &id_type);
    if let (Some(document), false) = (accepted_document, json) {
        let back_side = if document.back_side_required() {
            "the back side is required"
        } else {
            "the back side is not required"
        };
        return write_stdout(|stdout| writeln!(stdout, "{code} {id_type}: accepted; {back_side}"));
    }
    // Say whether enabling it is possible at all; a country or ID type that
    // Jumio's catalogue does not have is a typo, not an answer.
    let supported = match supported {
        Some(supported) => supported,
        None => session.supported().await?,
    };
    if accepted_document.is_none() {
        let country_known = known_country(code, &supported, "supported");
        let id_type_known = known_id_type(&id_type, &supported, "supported");
        if !(country_known && id_type_known) {
            return Err(Failure::Usage(format!(
                "cannot check {code} {id_type}: Jumio's catalogue has no such {}",
                match (country_known, id_type_known) {
                    (false, false) => "country or ID type",
                    (false, true) => "country",
                    _ => "ID type",
                }
            )));
        }
    }
    let supported_document = supported.document(code, &id_type);
    if json {
        let answer = json!({
            "country": code.as_str(),
            "idType": id_type.as_str(),
            "accepted": accepted_document.is_some(),
            "supported": supported_document.is_some(),
            "backSideRequired": accepted_document
                .or(supported_document)
                .map(|document| document.back_side_required()),
        });
        write_stdout(|stdout| {
            serde_json::to_writer(&mut *stdout, &answer).map_err(io::Error::from)?;
            writeln!(stdout)
        })?;
        return match accepted_document {
            Some(_) => Ok(()),
            None => Err(Failure::Negative),
        };
    }
    let why = if supported_document.is_some() {
        "Jumio supports it: enable it in the Customer Portal under Settings > Accepted IDs"
    } else {
        "Jumio does not support it for this country"
    };
    write_stdout(|stdout| writeln!(stdout, "{code} {id_type}: not accepted; {why}"))?;
    Err(Failure::Negative)
}

/// A saved catalogue: a file, or stdin for `-`.
fn load(path: &Path) -> Result<Catalogue, Failure> {
    let stdin = path.as_os_str() == "-";
    let name = if stdin {
        "stdin".to_owned()
    } else {
        path.display().to_string()
    };
    let bytes = if stdin {
        let mut bytes = Vec::new();
        io::Read::read_to_end(&mut io::stdin().lock(), &mut bytes).map(|_| bytes)
    } else {
        std::fs::read(path)
    }
    .map_err(|error| Failure::Usage(format!("cannot read {name}: {error}")))?;
    Catalogue::from_json(&bytes)
        .map_err(|error| Failure::Usage(format!("{name} is not a saved catalogue: {error}")))
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

/// How the two sides of a diff are described, in the table and in JSON.
struct DiffLabels {
    only_left: &'static str,
    only_right: &'static str,
    changed: &'static str,
    /// The JSON keys of the entries only on the left, only on the right,
    /// and of the left and right back-side requirements.
    json_only_left: &'static str,
    json_only_right: &'static str,
    json_left: &'static str,
    json_right: &'static str,
}

impl DiffLabels {
    const ACCEPTED_SUPPORTED: DiffLabels = DiffLabels {
        only_left: "accepted but no longer supported by Jumio",
        only_right: "supported by Jumio, not accepted (could be enabled)",
        changed: "back-side requirement differs (accepted -> supported)",
        json_only_left: "noLongerSupported",
        json_only_right: "couldBeEnabled",
        json_left: "accepted",
        json_right: "supported",
    };
    const OLD_NEW: DiffLabels = DiffLabels {
        only_left: "removed",
        only_right: "added",
        changed: "back-side requirement changed (old -> new)",
        json_only_left: "removed",
        json_only_right: "added",
        json_left: "old",
        json_right: "new",
    };
}

/// The difference as one JSON object in the table's words (see the CLI
/// README): the facade's `CatalogueDiff` says left and right, which a
/// script comparing two files should not have to translate.
fn diff_json(difference: &CatalogueDiff, labels: &DiffLabels) -> serde_json::Value {
    let entries = |entries: &[netverify::DiffEntry]| -> Vec<serde_json::Value> {
        entries
            .iter()
            .map(|entry| {
                json!({
                    "countryCode": entry.country_code.as_str(),
                    "countryName": entry.country_name,
                    "idType": entry.id_type.as_str(),
                    "backSideRequired": entry.back_side,
                })
            })
            .collect()
    };
    let changed: Vec<serde_json::Value> = difference
        .back_side_changed
        .iter()
        .map(|change| {
            let mut required = serde_json::Map::new();
            required.insert(labels.json_left.to_owned(), change.left.into());
            required.insert(labels.json_right.to_owned(), change.right.into());
            json!({
                "countryCode": change.country_code.as_str(),
                "countryName": change.country_name,
                "idType": change.id_type.as_str(),
                "backSideRequired": required,
            })
        })
        .collect();
    let mut object = serde_json::Map::new();
    object.insert(
        labels.json_only_left.to_owned(),
        entries(&difference.only_in_left).into(),
    );
    object.insert(
        labels.json_only_right.to_owned(),
        entries(&difference.only_in_right).into(),
    );
    object.insert("changed".to_owned(), changed.into());
    object.into()
}

fn diff(
    left: Catalogue,
    right: Catalogue,
    format: DiffFormat,
    labels: DiffLabels,
    output: Option<&Path>,
) -> Result<(), Failure> {
    let difference: CatalogueDiff = left.diff(&right);
    emit(output, |stdout| match format {
        DiffFormat::Json => {
            serde_json::to_writer_pretty(&mut *stdout, &diff_json(&difference, &labels))
                .map_err(io::Error::from)?;
            writeln!(stdout)
        }
        DiffFormat::Table => diff_table(stdout, &difference, &labels),
    })?;
    if difference.is_empty() {
        Ok(())
    } else {
        Err(Failure::Negative)
    }
}

fn diff_table(
    out: &mut dyn Write,
    difference: &CatalogueDiff,
    labels: &DiffLabels,
) -> io::Result<()> {
    let section = |out: &mut dyn Write, title: &str, rows: Vec<Row<'_>>| -> io::Result<()> {
        writeln!(out, "{title}: {}", rows.len())?;
        if !rows.is_empty() {
            output::table(out, &rows)?;
        }
        writeln!(out)
    };
    section(out, labels.only_left, entry_rows(&difference.only_in_left))?;
    section(
        out,
        labels.only_right,
        entry_rows(&difference.only_in_right),
    )?;
    writeln!(
        out,
        "{}: {}",
        labels.changed,
        difference.back_side_changed.len()
    )?;
    for change in &difference.back_side_changed {
        let side = |required: bool| if required { "required" } else { "not required" };
        writeln!(
            out,
            "  {} {} {}: back side {} -> {}",
            change.country_code,
            change.country_name,
            change.id_type,
            side(change.left),
            side(change.right)
        )?;
    }
    Ok(())
}
