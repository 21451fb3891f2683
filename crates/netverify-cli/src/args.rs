//! The command line: global options (each also read from the environment) and
//! the four commands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Settings: a flag wins over its environment variable (JUMIO_REGION,
JUMIO_BASE_URL, JUMIO_API_TOKEN, JUMIO_API_SECRET, JUMIO_USER_AGENT,
JUMIO_TIMEOUT, JUMIO_RETRIES, JUMIO_DEADLINE), which wins over the default; an
empty variable counts as unset. A secret file
(--secret-file, JUMIO_API_SECRET_FILE) comes after its flag and before its
variable; the same for the token. --sandbox answers from a built-in mock
server with sample data (no credentials, no network): it ignores those
variables, and refuses the flags of the host and the credentials (exit 2).

Exit codes: 0 success, 1 a negative answer (check, diff), 2 usage or
configuration error, 3 refused by the server (401, 403), 4 temporary (network,
timeout, deadline, 429, 5xx: try again later), 5 an answer that cannot be
understood or a request refused as sent (a person must look).

Examples:
  netverify --sandbox supported -c NLD
  netverify --region eu --user-agent 'Acme KYC/1.0' check DEU ID_CARD
  netverify diff --from yesterday.json --to today.json";

/// The default of `--deadline`, in seconds: an unattended run (cron, CI)
/// ends within it, under 2 minutes with the process around it. (The library
/// has no deadline unless one is set.)
pub const DEFAULT_DEADLINE_SECS: u32 = 90;

/// The heading of the options that say where and how to reach the API.
const CONNECTION: &str = "Connection options";
/// The heading of the options that say how much is said on stderr.
const MESSAGES: &str = "Message options";

/// Which ID documents Jumio supports and which your account accepts.
#[derive(Debug, Parser)]
#[command(name = "netverify", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub connection: Connection,

    /// No notices, warnings or progress line on stderr; errors are still shown.
    #[arg(
        short,
        long,
        global = true,
        conflicts_with = "verbose",
        help_heading = MESSAGES
    )]
    pub quiet: bool,

    /// One line per request attempt on stderr: status, duration, tracking id,
    /// and the wait before a retry.
    #[arg(short, long, global = true, help_heading = MESSAGES)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Whether the command's answer was asked for as JSON: its errors are
    /// then one JSON object on stderr too.
    pub fn json(&self) -> bool {
        match &self.command {
            Command::Supported(list) | Command::Accepted(list) => list.format == Format::Json,
            Command::Check(check) => check.format == CheckFormat::Json,
            Command::Diff(diff) => diff.format == DiffFormat::Json,
            Command::Completions(_) => false,
        }
    }
}

/// Where and how to reach the API.
///
/// None of these reads the environment through clap: the facade's
/// `ClientBuilder::from_env_with` resolves flags and variables with one rule
/// (see `Session::connect`), the same for the library and the CLI.
#[derive(Debug, Args)]
#[command(next_help_heading = CONNECTION)]
pub struct Connection {
    /// Jumio region whose host to call: us, eu or sgp, any case [env: JUMIO_REGION] [default: us]
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,

    /// Base URL of the API instead of a region's host [env: JUMIO_BASE_URL]
    #[arg(long, global = true, value_name = "URL", conflicts_with = "region")]
    pub base_url: Option<String>,

    /// API token, the Basic-auth user [env: JUMIO_API_TOKEN]
    #[arg(
        long,
        global = true,
        value_name = "TOKEN",
        conflicts_with = "token_file"
    )]
    pub token: Option<String>,

    /// File holding the API token; one trailing newline is dropped [env: JUMIO_API_TOKEN_FILE]
    #[arg(long, global = true, value_name = "PATH")]
    pub token_file: Option<PathBuf>,

    /// API secret, the Basic-auth password [env: JUMIO_API_SECRET]. Prefer
    /// --secret-file or the environment: command lines are visible to other
    /// users of the machine
    #[arg(
        long,
        global = true,
        value_name = "SECRET",
        conflicts_with = "secret_file"
    )]
    pub secret: Option<String>,

    /// File holding the API secret, e.g. a Docker or Kubernetes secret; one
    /// trailing newline is dropped [env: JUMIO_API_SECRET_FILE]
    #[arg(long, global = true, value_name = "PATH")]
    pub secret_file: Option<PathBuf>,

    /// Your company and application, as Jumio requires, e.g. "Acme KYC/1.0" [env: JUMIO_USER_AGENT]
    #[arg(long, global = true, value_name = "UA")]
    pub user_agent: Option<String>,

    /// Timeout of each attempt, in seconds [env: JUMIO_TIMEOUT] [default: 30]
    #[arg(long, global = true, value_name = "SECONDS")]
    pub timeout: Option<f64>,

    /// Attempts after the first for failures worth retrying; 0 turns retries
    /// off [env: JUMIO_RETRIES] [default: 2]
    #[arg(long, global = true, value_name = "N")]
    pub retries: Option<u32>,

    /// The whole run's limit (its help names the default from
    /// DEFAULT_DEADLINE_SECS).
    #[arg(
        long,
        global = true,
        value_name = "SECONDS",
        help = format!(
            "The most time the whole run may take: every attempt, backoff and retry \
             [env: JUMIO_DEADLINE] [default: {DEFAULT_DEADLINE_SECS}]"
        )
    )]
    pub deadline: Option<f64>,

    /// Answer from the built-in sandbox: sample data, in process, no credentials, no network.
    #[arg(
        long,
        global = true,
        conflicts_with_all = ["base_url", "region", "token", "secret", "token_file", "secret_file"]
    )]
    pub sandbox: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every ID document Jumio supports.
    #[command(after_help = "Examples:
  netverify --sandbox supported -c NLD -c fro
  netverify --sandbox supported -t VISA -f csv
  netverify supported -f json -o supported.json")]
    Supported(ListArgs),

    /// List the ID documents your account accepts.
    #[command(after_help = "Examples:
  netverify --sandbox accepted -c SGP
  netverify --sandbox accepted -f json | jq '.acceptedIdTypes | length'
  netverify accepted -f json -o accepted.json")]
    Accepted(ListArgs),

    /// Whether your account accepts a document, and whether its back side is needed.
    ///
    /// Exits 0 when the document is accepted, 1 when it is not, 2 when
    /// neither the accepted nor the supported list knows the country or ID
    /// type and it is not a real one either (a typo).
    #[command(after_help = "Examples:
  netverify --sandbox check NLD ID_CARD
  netverify --sandbox check sgp passport && echo accepted
  netverify --sandbox check NLD ID_CARD -f json")]
    Check(CheckArgs),

    /// Compare catalogues: accepted vs supported, a saved file vs the live
    /// list, or two saved files.
    ///
    /// Without files: what Jumio supports that the account could still enable,
    /// and what the account accepts that Jumio no longer supports. With --from
    /// alone: what changed between a file saved with `-f json` and the live
    /// list it was saved from (its key: acceptedIdTypes or supportedIdTypes);
    /// with --update, the file then becomes the live list when they differ.
    /// With --from and --to: what changed between two saved files. `-` reads
    /// a file from stdin. Exits 0 when there is no difference (or none of the
    /// kinds --fail-on names), 1 when there is.
    #[command(after_help = "Examples:
  netverify --sandbox diff
  netverify accepted -f json -o accepted.json
  netverify diff --from accepted.json
  netverify -q diff --from accepted.json --update --fail-on removed
  netverify diff --from yesterday.json --to today.json
  netverify --sandbox supported -f json | netverify diff --from - --to b.json")]
    Diff(DiffArgs),

    /// Print a shell completion script on stdout.
    #[command(after_help = "Examples:
  netverify completions bash > /etc/bash_completion.d/netverify
  netverify completions zsh > ~/.zfunc/_netverify
  netverify completions fish > ~/.config/fish/completions/netverify.fish")]
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this issuing country (ISO 3166-1 alpha-3, any case); repeatable.
    #[arg(short = 'c', long = "country", value_name = "CODE")]
    pub countries: Vec<String>,

    /// Only this ID type (e.g. PASSPORT; any case, - for _); repeatable.
    #[arg(short = 't', long = "id-type", value_name = "TYPE")]
    pub id_types: Vec<String>,

    /// Output format.
    #[arg(short, long, value_enum, default_value = "table")]
    pub format: Format,

    /// Write the answer to FILE instead of stdout (`-` is stdout), atomically
    /// and only after a complete answer: a failing run leaves FILE as it was.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns, one row per country and ID type.
    Table,
    /// One document in the API's own JSON shape.
    Json,
    /// Comma-separated values with a header row.
    Csv,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Issuing country (ISO 3166-1 alpha-3, any case).
    pub country: String,
    /// ID type (e.g. PASSPORT, DRIVING_LICENSE, ID_CARD, VISA; any case, - for _).
    pub id_type: String,

    /// Output format.
    #[arg(short, long, value_enum, default_value = "text")]
    pub format: CheckFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// One sentence.
    Text,
    /// One object: country, idType, accepted, supported, backSide.
    Json,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older catalogue, a file printed by `-f json` (`-` for stdin).
    /// Alone, it is compared with the live list its key names.
    #[arg(long, value_name = "OLD.json")]
    pub from: Option<PathBuf>,
    /// The newer catalogue, a file printed by `-f json` (`-` for stdin).
    #[arg(long, value_name = "NEW.json", requires = "from")]
    pub to: Option<PathBuf>,

    /// With --from alone: the live list to compare with, instead of the one
    /// the file's key names (for a file whose origin its key does not tell:
    /// an accepted list saved by netverify 0.2 under supportedIdTypes).
    #[arg(
        long,
        value_enum,
        value_name = "LIST",
        requires = "from",
        conflicts_with = "to"
    )]
    pub list: Option<List>,

    /// With --from FILE alone: when the live list differs, replace FILE,
    /// atomically, with the exact live list compared (one request per run; a
    /// failed run leaves FILE as it was).
    #[arg(long, requires = "from", conflicts_with = "to")]
    pub update: bool,

    /// Which kinds of difference exit 1 (all are printed): added, removed
    /// (for plain `diff`: accepted but no longer supported), changed (the
    /// back-side requirement), or any.
    #[arg(long, value_enum, value_name = "KIND", default_value = "any")]
    pub fail_on: FailOn,

    /// Output format.
    #[arg(short, long, value_enum, default_value = "table")]
    pub format: DiffFormat,

    /// Write the difference to FILE instead of stdout (`-` is stdout),
    /// atomically and only after a complete answer: a failing run leaves FILE
    /// as it was.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum List {
    /// The documents the account accepts.
    Accepted,
    /// Every document Jumio supports.
    Supported,
}

impl List {
    /// The list's name in messages: `accepted`, `supported`.
    pub fn name(self) -> &'static str {
        match self {
            List::Accepted => "accepted",
            List::Supported => "supported",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Any difference.
    Any,
    /// Documents only in the newer (or the supported) catalogue.
    Added,
    /// Documents only in the older (or the accepted) catalogue.
    Removed,
    /// A changed back-side requirement.
    Changed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A section per kind of difference, with aligned columns.
    Table,
    /// One JSON object: `added`, `removed`, `changed` (see the CLI README).
    Json,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
