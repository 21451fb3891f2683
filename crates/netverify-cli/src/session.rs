//! Settings and credentials: a connected client, from the flags, the
//! environment and credential files, by the rules of docs/settings.md.

use netverify::{Catalogue, Client, ClientBuilder, env_vars};
use netverify_mock::MockServer;

use crate::args::{Connection, DEFAULT_DEADLINE_SECS, List};
use crate::failure::Failure;
use crate::files::{self, CredentialFile};
use crate::ui::Ui;

/// The User-Agent the sandbox sends when none is given; the real API needs
/// the customer's own.
const SANDBOX_USER_AGENT: &str = concat!("netverify-cli/", env!("CARGO_PKG_VERSION"));

/// The flags for the facade's variables that are not credentials (those
/// come from [`CredentialFile`]).
const FLAGS: [(&str, &str); 6] = [
    (env_vars::REGION, "--region"),
    (env_vars::BASE_URL, "--base-url"),
    (env_vars::USER_AGENT, "--user-agent"),
    (env_vars::TIMEOUT, "--timeout"),
    (env_vars::RETRIES, "--retries"),
    (env_vars::DEADLINE, "--deadline"),
];

/// A connected client, and the in-process sandbox server when it answers.
pub struct Session {
    client: Client,
    ui: Ui,
    // Kept alive for as long as the client talks to it.
    _sandbox: Option<MockServer>,
}

impl Session {
    pub async fn connect(connection: &Connection, ui: Ui) -> Result<Session, Failure> {
        for (flag, value) in [
            ("--timeout", connection.timeout),
            ("--deadline", connection.deadline),
        ] {
            if let Some(seconds) = value.filter(|&seconds| !(seconds > 0.0 && seconds.is_finite()))
            {
                return Err(Failure::Usage(format!(
                    "invalid {flag} {seconds}: expected a number of seconds greater than zero"
                )));
            }
        }
        let (builder, sandbox) = if connection.sandbox {
            // Only on request, and never from the environment's settings.
            let server = MockServer::builder()
                .start()
                .await
                .map_err(|error| Failure::Usage(format!("cannot start the sandbox: {error}")))?;
            // The sandbox takes the limits from the flags only.
            let builder = ClientBuilder::from_env_with(|name| limit(connection, name, false))?
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
            let token = files::TOKEN_FILE.resolve(ui, &connection.token, &connection.token_file);
            let secret =
                files::SECRET_FILE.resolve(ui, &connection.secret, &connection.secret_file);
            let (token, secret) = (
                token.map_err(Failure::Usage)?,
                secret.map_err(Failure::Usage)?,
            );
            let builder = ClientBuilder::from_env_with(|name| match name {
                env_vars::API_TOKEN => token.clone(),
                env_vars::API_SECRET => secret.clone(),
                env_vars::TIMEOUT | env_vars::RETRIES | env_vars::DEADLINE => {
                    limit(connection, name, true)
                }
                name => setting(connection, name),
            })?;
            (builder, None)
        };
        let client = builder.build()?;
        Ok(Session {
            client,
            ui,
            _sandbox: sandbox,
        })
    }

    /// The list, with a progress line while it takes more than a moment.
    pub async fn fetch(&self, list: List) -> Result<Catalogue, netverify::Error> {
        match list {
            List::Supported => {
                let _spinner = self.ui.spinner("fetching the supported ID types");
                self.client.supported_id_types().await
            }
            List::Accepted => {
                let _spinner = self.ui.spinner("fetching the accepted ID types");
                self.client.accepted_id_types().await
            }
        }
    }
}

/// The value of a setting other than the credentials, named by its
/// environment variable, with the facade's precedence: a flag wins over its
/// variable, which wins over the default (what `from_env_with` does with
/// `None`). `--region` and `--base-url` choose the same thing, so either
/// flag also hides the other's variable.
fn setting(connection: &Connection, name: &str) -> Option<String> {
    let (flag, hidden_by_flag) = match name {
        env_vars::REGION => (&connection.region, connection.base_url.is_some()),
        env_vars::BASE_URL => (&connection.base_url, connection.region.is_some()),
        env_vars::USER_AGENT => (&connection.user_agent, false),
        _ => (&None, false),
    };
    match flag {
        Some(value) => Some(value.clone()),
        None if hidden_by_flag => None,
        None => std::env::var(name).ok(),
    }
}

/// The value of a limit (`JUMIO_TIMEOUT`, `JUMIO_RETRIES`, `JUMIO_DEADLINE`)
/// with the same precedence: its flag, then (when `environment`) its
/// variable, then the default, which for the deadline is the CLI's own.
fn limit(connection: &Connection, name: &str, environment: bool) -> Option<String> {
    let flag = match name {
        env_vars::TIMEOUT => connection.timeout.map(|seconds| seconds.to_string()),
        env_vars::RETRIES => connection.retries.map(|retries| retries.to_string()),
        env_vars::DEADLINE => connection.deadline.map(|seconds| seconds.to_string()),
        _ => return None,
    };
    flag.or_else(|| {
        environment
            .then(|| std::env::var(name).ok())
            .flatten()
            .filter(|value| !value.is_empty())
    })
    .or_else(|| (name == env_vars::DEADLINE).then(|| DEFAULT_DEADLINE_SECS.to_string()))
}

/// The command line's names for the variables a configuration error of the
/// facade names: `on the command line, JUMIO_USER_AGENT is --user-agent`.
/// `None` when it names none.
pub fn flags_hint(message: &str) -> Option<String> {
    let credential = |file: CredentialFile| {
        let flags = format!("{}, {} or {}", file.flag, file.file_flag, file.variable);
        (file.value_variable, flags)
    };
    let credentials = [
        credential(files::TOKEN_FILE),
        credential(files::SECRET_FILE),
    ];
    let named: Vec<String> = FLAGS
        .map(|(variable, flag)| (variable, flag.to_owned()))
        .into_iter()
        .chain(credentials.clone())
        .filter(|(variable, _)| message.contains(variable))
        .map(|(variable, flags)| format!("{variable} is {flags}"))
        .collect();
    if named.is_empty() {
        return None;
    }
    let mut hint = format!("on the command line, {}", named.join("; "));
    if credentials
        .iter()
        .any(|(variable, _)| message.contains(variable))
    {
        hint.push_str("; for sample data without credentials, use --sandbox");
    }
    Some(hint)
}
