//! The command line: global options (each also read from the environment) and
//! the four commands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Settings: a flag wins over its environment variable (JUMIO_REGION,
JUMIO_BASE_URL, JUMIO_API_TOKEN, JUMIO_API_SECRET, JUMIO_USER_AGENT), which wins
over the default; an empty variable counts as unset. --sandbox answers from a
built-in mock server with sample data (no credentials, no network) and ignores
those variables.

Exit codes: 0 success, 1 a negative answer (check, diff), 2 usage or
configuration error, 3 refused by the server (401, 403), 4 any other failure.

Examples:
  netverify --sandbox supported --country NLD
  netverify --region eu --user-agent 'Acme KYC/1.0' check DEU ID_CARD
  netverify diff --from yesterday.json --to today.json";

/// Which ID documents Jumio supports and which your account accepts.
#[derive(Debug, Parser)]
#[command(name = "netverify", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub connection: Connection,

    #[command(subcommand)]
    pub command: Command,
}

/// Where and how to reach the API.
///
/// None of these reads the environment through clap: the facade's
/// `ClientBuilder::from_env_with` resolves flags and variables with one rule
/// (see `Session::connect`), the same for the library and the CLI.
#[derive(Debug, Args)]
pub struct Connection {
    /// Jumio region whose host to call: us, eu or sgp, any case [env: JUMIO_REGION] [default: us]
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,

    /// Base URL of the API instead of a region's host [env: JUMIO_BASE_URL]
    #[arg(long, global = true, value_name = "URL", conflicts_with = "region")]
    pub base_url: Option<String>,

    /// API token, the Basic-auth user [env: JUMIO_API_TOKEN]
    #[arg(long, global = true, value_name = "TOKEN")]
    pub token: Option<String>,

    /// API secret, the Basic-auth password [env: JUMIO_API_SECRET]. Prefer the
    /// environment variable: command lines are visible to other users of the machine
    #[arg(long, global = true, value_name = "SECRET")]
    pub secret: Option<String>,

    /// Your company and application, as Jumio requires, e.g. "Acme KYC/1.0" [env: JUMIO_USER_AGENT]
    #[arg(long, global = true, value_name = "UA")]
    pub user_agent: Option<String>,

    /// Timeout of each attempt, in seconds.
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 30.0)]
    pub timeout: f64,

    /// Attempts after the first for failures worth retrying; 0 turns retries off.
    #[arg(long, global = true, value_name = "N", default_value_t = 2)]
    pub retries: u32,

    /// Answer from the built-in sandbox: sample data, in process, no credentials, no network.
    #[arg(
        long,
        global = true,
        conflicts_with_all = ["base_url", "region", "token", "secret"]
    )]
    pub sandbox: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every ID document Jumio supports.
    #[command(
        after_help = "Examples:\n  netverify --sandbox supported --country NLD --country fro\n  netverify --sandbox supported --id-type VISA --format csv"
    )]
    Supported(ListArgs),

    /// List the ID documents your account accepts.
    #[command(
        after_help = "Examples:\n  netverify --sandbox accepted --country SGP\n  netverify --sandbox accepted --format json | jq '.acceptedIdTypes | length'"
    )]
    Accepted(ListArgs),

    /// Whether your account accepts a document, and whether its back side is needed.
    ///
    /// Exits 0 when the document is accepted, 1 when it is not, 2 when the
    /// country or ID type is not in Jumio's catalogue at all (a typo).
    #[command(
        after_help = "Examples:\n  netverify --sandbox check NLD ID_CARD\n  netverify --sandbox check sgp passport && echo accepted"
    )]
    Check(CheckArgs),

    /// Compare catalogues: accepted vs supported, or two saved files.
    ///
    /// Without files: what Jumio supports that the account could still enable, and
    /// what the account accepts that Jumio no longer supports. With --from and --to:
    /// what changed between two files saved with `--format json`.
    /// Exits 0 when there is no difference, 1 when there is.
    #[command(
        after_help = "Examples:\n  netverify --sandbox diff\n  netverify --sandbox supported --format json > today.json\n  netverify diff --from yesterday.json --to today.json"
    )]
    Diff(DiffArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this issuing country (ISO 3166-1 alpha-3, any case); repeatable.
    #[arg(long = "country", value_name = "CODE")]
    pub countries: Vec<String>,

    /// Only this ID type (e.g. PASSPORT; any case, - for _); repeatable.
    #[arg(long = "id-type", value_name = "TYPE")]
    pub id_types: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
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
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older catalogue, a file printed by `--format json`.
    #[arg(long, value_name = "OLD.json", requires = "to")]
    pub from: Option<PathBuf>,
    /// The newer catalogue, a file printed by `--format json`.
    #[arg(long, value_name = "NEW.json", requires = "from")]
    pub to: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: DiffFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A section per kind of difference, with aligned columns.
    Table,
    /// One JSON object: `onlyInLeft`, `onlyInRight`, `backSideChanged`.
    Json,
}
