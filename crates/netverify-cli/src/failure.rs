//! How a run ends: its exit code, and what stderr says about a failure (one
//! or two lines, or one JSON object). The facade's errors are told apart by
//! their [`ErrorKind`] alone.

use std::io::{self, Write};
use std::process::ExitCode;

use netverify::ErrorKind;
use netverify::reqwest::StatusCode;
use serde_json::json;

use crate::session;

/// How a run ends, and with which exit code.
pub enum Failure {
    /// 1: a negative answer (check, diff); already reported on stdout.
    Negative,
    /// 2: a usage error: the command line, a file it names, a country or ID
    /// type no catalogue has.
    Usage(String),
    /// The facade's error; the exit code follows its kind.
    Api(netverify::Error),
    /// 4: writing the output (or the updated baseline) failed.
    Output(io::Error),
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

impl Failure {
    /// Who must act: 1 a negative answer, 2 usage or configuration (the
    /// operator), 3 refused by the server (the credentials, User-Agent or
    /// region), 4 temporary (retrying later may help; also a failed write of
    /// the output), 5 a person must look: an answer that cannot be
    /// understood, a request refused as sent (400, 404: a wrong `--base-url`
    /// or an API that moved), or a call that could not run.
    fn exit_code(&self) -> u8 {
        match self {
            Failure::Negative => 1,
            Failure::Usage(_) => 2,
            Failure::Api(error) => match error.kind() {
                ErrorKind::Config => 2,
                ErrorKind::Refused => 3,
                ErrorKind::Temporary => 4,
                // Status, InvalidResponse, Runtime, and any kind to come:
                // retrying will not help, and nobody was told what to fix.
                _ => 5,
            },
            Failure::Output(_) => 4,
        }
    }

    /// The JSON `kind`: the CLI's own `usage` and `output`, else the name of
    /// the facade's [`ErrorKind`].
    fn kind(&self) -> &'static str {
        match self {
            Failure::Negative | Failure::Usage(_) => "usage",
            Failure::Api(error) => error.kind().as_str(),
            Failure::Output(_) => "output",
        }
    }

    /// What failed: the error and each of its causes, once. `None` for a
    /// negative answer, which stdout already gave.
    fn message(&self) -> Option<String> {
        match self {
            Failure::Negative => None,
            Failure::Usage(message) => Some(message.clone()),
            Failure::Api(error) => {
                let mut message = error.to_string();
                let mut source = std::error::Error::source(error);
                while let Some(cause) = source {
                    message.push_str(&format!(": {cause}"));
                    source = cause.source();
                }
                Some(message)
            }
            Failure::Output(error) => Some(format!("cannot write the output: {error}")),
        }
    }

    /// Prints the failure on stderr, one or two lines or with `json` one
    /// JSON object on one line, and gives its exit code.
    pub fn report(&self, json: bool) -> ExitCode {
        if let Some(message) = self.message() {
            let hint = match self {
                Failure::Api(error) => hint(error),
                _ => None,
            };
            let mut stderr = anstream::stderr();
            if json {
                let _ = writeln!(stderr, "{}", self.json(&message, hint.as_deref()));
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
        ExitCode::from(self.exit_code())
    }

    /// The failure as one JSON object, for scripts that asked for `--format
    /// json`: `kind`, `status`, `message`, `trackingId`, `attempts`, `hint`
    /// (each `null` when it does not apply).
    fn json(&self, message: &str, hint: Option<&str>) -> serde_json::Value {
        let error = match self {
            Failure::Api(error) => Some(error),
            _ => None,
        };
        json!({
            "kind": self.kind(),
            "status": error.and_then(|error| error.status()).map(|status| status.as_u16()),
            "message": message,
            "trackingId": error.and_then(|error| error.tracking_id()),
            "attempts": error.map(|error| error.attempts()).filter(|&attempts| attempts > 0),
            "hint": hint,
        })
    }
}

/// What to do about the facade's error, by its kind.
fn hint(error: &netverify::Error) -> Option<String> {
    let attempts = error.attempts();
    Some(match error.kind() {
        ErrorKind::Config => return session::flags_hint(&error.to_string()),
        ErrorKind::Temporary if matches!(error, netverify::Error::Deadline { .. }) => {
            "the run's deadline passed: raise --deadline (or JUMIO_DEADLINE), or try again later"
                .to_owned()
        }
        ErrorKind::Temporary if error.status().is_none() => {
            "no complete answer arrived: check the network and the host (--region or \
             --base-url), raise --timeout, or try again later"
                .to_owned()
        }
        ErrorKind::Temporary if attempts > 1 => {
            format!("the server kept failing after {attempts} attempts: try again later")
        }
        ErrorKind::Temporary => "the server failed: try again later; if it keeps happening, \
            quote the tracking id to Jumio support"
            .to_owned(),
        ErrorKind::Status if error.status() == Some(StatusCode::NOT_FOUND) => format!(
            "check --base-url: give the scheme and host only (and a proxy's own path prefix); \
             the client adds {}/... itself",
            netverify::Operation::PATH_PREFIX
        ),
        ErrorKind::Status => "the server refused the request as sent: quote the tracking id \
            to Jumio support"
            .to_owned(),
        ErrorKind::InvalidResponse => "the response is not a Netverify catalogue: check \
            --base-url; if it is Jumio's host, quote the tracking id to Jumio support"
            .to_owned(),
        // 401 and 403 carry their hint in the message; a runtime error says
        // what to do.
        _ => return None,
    })
}
