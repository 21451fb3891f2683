//! `-v`: one line per request attempt on stderr, made from the facade's
//! tracing (the span of each attempt and the event before a retry, named in
//! `netverify::tracing_names`). Only the fields named here are read: never
//! a header, a body or a credential.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::{Arc, Mutex, PoisonError};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;

use netverify::tracing_names::{ATTEMPT_SPAN, RETRY_EVENT};

/// The fields of an attempt span or a retry event this layer reads.
#[derive(Debug, Default)]
struct Fields {
    operation: Option<String>,
    attempt: Option<u64>,
    status: Option<u64>,
    duration_ms: Option<u64>,
    tracking_id: Option<String>,
    wait_ms: Option<u64>,
}

impl Visit for Fields {
    fn record_u64(&mut self, field: &Field, value: u64) {
        match field.name() {
            "attempt" => self.attempt = Some(value),
            "http.response.status_code" => self.status = Some(value),
            "duration_ms" => self.duration_ms = Some(value),
            "wait_ms" => self.wait_ms = Some(value),
            _ => {}
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        if let Ok(value) = u64::try_from(value) {
            self.record_u64(field, value);
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "operation" => self.operation = Some(value.to_owned()),
            "tracking_id" => self.tracking_id = Some(value.to_owned()),
            _ => {}
        }
    }

    fn record_debug(&mut self, _field: &Field, _value: &dyn std::fmt::Debug) {}
}

/// Lines of finished attempts, by operation, waiting to learn whether a
/// retry follows (both lists can be fetched at once, for `diff`).
#[derive(Clone, Default)]
pub struct Attempts {
    pending: Arc<Mutex<BTreeMap<String, String>>>,
}

impl Attempts {
    /// Prints the attempts whose line is still waiting: the last attempt of
    /// each call.
    pub fn flush(&self) {
        let pending = std::mem::take(&mut *self.lock());
        for line in pending.into_values() {
            print(&line);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, String>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn print(line: &str) {
    let _ = writeln!(anstream::stderr(), "netverify: {line}");
}

/// Installs the layer as the process's subscriber; the handle prints what
/// is left at the end.
pub fn install() -> Attempts {
    let attempts = Attempts::default();
    let subscriber = tracing_subscriber::registry().with(Verbose {
        attempts: attempts.clone(),
    });
    // Only fails when a subscriber is already set, which nothing else does.
    let _ = tracing::subscriber::set_global_default(subscriber);
    attempts
}

struct Verbose {
    attempts: Attempts,
}

impl<S> Layer<S> for Verbose
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != ATTEMPT_SPAN {
            return;
        }
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(fields);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(fields) = span.extensions_mut().get_mut::<Fields>()
        {
            values.record(fields);
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        let Some(fields) = span.extensions_mut().remove::<Fields>() else {
            return;
        };
        let operation = fields.operation.clone().unwrap_or_default();
        let line = attempt_line(&fields);
        // A line still waiting for this operation had no retry after it.
        if let Some(earlier) = self.attempts.lock().insert(operation, line) {
            print(&earlier);
        }
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        if event.metadata().name() != RETRY_EVENT {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        let operation = fields.operation.clone().unwrap_or_default();
        let line = self
            .attempts
            .lock()
            .remove(&operation)
            .unwrap_or_else(|| format!("{operation} attempt {}", fields.attempt.unwrap_or(0)));
        let wait = fields.wait_ms.unwrap_or(0);
        print(&format!("{line}; retrying in {wait} ms"));
    }
}

/// `supportedIdTypes attempt 1: 503 in 12 ms, tracking id 5f…`, or
/// `no response` when the attempt got no status.
fn attempt_line(fields: &Fields) -> String {
    let mut line = format!(
        "{} attempt {}: ",
        fields.operation.as_deref().unwrap_or("request"),
        fields.attempt.unwrap_or(0)
    );
    match fields.status {
        Some(status) => write!(line, "{status}"),
        None => write!(line, "no response"),
    }
    .expect("writing to a String");
    if let Some(duration) = fields.duration_ms {
        write!(line, " in {duration} ms").expect("writing to a String");
    }
    if let Some(tracking_id) = &fields.tracking_id {
        write!(line, ", tracking id {tracking_id}").expect("writing to a String");
    }
    line
}
