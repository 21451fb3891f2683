//! What the CLI says on stderr besides errors: warnings, notes and the
//! progress line, all silenced by `-q`.

use std::io::Write;

use crate::spinner::Spinner;

/// How much to say on stderr: `-q` drops warnings, notes and the spinner
/// (errors are still shown, by `Failure::report`).
#[derive(Clone, Copy, Debug)]
pub struct Ui {
    pub quiet: bool,
}

impl Ui {
    /// A warning: the answer goes on, but something the user typed
    /// probably did not mean what they think.
    pub fn warn(self, message: &str) {
        let yellow = anstyle::Style::new()
            .bold()
            .fg_color(Some(anstyle::AnsiColor::Yellow.into()));
        self.say(format_args!(
            "{yellow}netverify: warning:{yellow:#} {message}"
        ));
    }

    /// A progress line for a request that takes more than a moment.
    pub fn spinner(self, message: &'static str) -> Option<Spinner> {
        (!self.quiet).then(|| Spinner::after_a_moment(message))
    }

    fn say(self, line: std::fmt::Arguments<'_>) {
        if !self.quiet {
            let _ = writeln!(anstream::stderr(), "{line}");
        }
    }
}
