//! Settings and credentials: a connected client, from the flags, the
//! environment and credential files, by the rules of docs/settings.md.

use std::time::Duration;

use netverify::{Catalogue, Client, ClientBuilder, RetryPolicy, env_vars};
use netverify_mock::MockServer;

use crate::args::{Connection, List};
use crate::failure::Failure;
use crate::files::{self, CredentialFile};
use crate::ui::Ui;

/// The User-Agent the sandbox sends when none is given; the real API needs
/// the customer's own.
const SANDBOX_USER_AGENT: &str = concat!("netverify-cli/", env!("CARGO_PKG_VERSION"));

/// The flags for the facade's variables that are not credentials (those
/// come from [`CredentialFile`]).
const FLAGS: [(&str, &str); 3] = [
    (env_vars::REGION, "--region"),
    (env_vars::BASE_URL, "--base-url"),
    (env_vars::USER_AGENT, "--user-agent"),
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
        let attempt_timeout = Duration::try_from_secs_f64(connection.timeout)
            .ok()
            .filter(|timeout| !timeout.is_zero())
            .ok_or_else(|| {
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
                name => setting(connection, name),
            })?;
            (builder, None)
        };
        let client = builder
            .attempt_timeout(attempt_timeout)
            .retry_policy(retry)
            .build()?;
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
