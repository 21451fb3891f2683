//! A progress line on stderr for a slow request, only on a terminal.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// How long a request may take before the spinner appears: fast answers
/// (the usual case) print nothing extra.
const DELAY: Duration = Duration::from_millis(400);

/// Shows a spinner after [`DELAY`] until dropped.
pub struct Spinner {
    task: Option<tokio::task::JoinHandle<()>>,
    bar: ProgressBar,
}

impl Spinner {
    pub fn after_a_moment(message: &'static str) -> Spinner {
        let bar = ProgressBar::hidden();
        if !std::io::stderr().is_terminal() {
            return Spinner { task: None, bar };
        }
        let shown = bar.clone();
        let task = tokio::spawn(async move {
            tokio::time::sleep(DELAY).await;
            shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            shown.set_style(
                ProgressStyle::with_template("{spinner} {msg}…").expect("a valid template"),
            );
            shown.set_message(message);
            shown.enable_steady_tick(Duration::from_millis(100));
        });
        Spinner {
            task: Some(task),
            bar,
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
        self.bar.finish_and_clear();
    }
}
