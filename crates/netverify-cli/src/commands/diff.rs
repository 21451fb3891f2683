//! `diff`: what differs between two catalogues (accepted and supported, a
//! saved file and the live list, or two files), as a table or JSON; the exit
//! code says whether a kind of difference `--fail-on` names does. With
//! `--update`, a saved file becomes the live list it differs from.

use std::io::{self, Write};
use std::path::Path;

use netverify::{Catalogue, CatalogueDiff, Operation};
use serde_json::json;

use crate::args::{Connection, DiffArgs, DiffFormat, FailOn, List};
use crate::failure::Failure;
use crate::files;
use crate::output::{self, Row, emit};
use crate::session::Session;
use crate::ui::Ui;

pub async fn run(connection: &Connection, ui: Ui, args: &DiffArgs) -> Result<(), Failure> {
    let load = |path: &Path| files::load(path).map_err(Failure::Usage);
    let (left, right, labels) = match (&args.from, &args.to) {
        // Files need no server: `diff --from --to` compares them offline.
        (Some(from), Some(to)) => {
            if from.as_os_str() == "-" && to.as_os_str() == "-" {
                return Err(Failure::Usage(
                    "--from - and --to - both read stdin: give at most one of them as -".to_owned(),
                ));
            }
            (load(from)?, load(to)?, DiffLabels::OLD_NEW)
        }
        (Some(from), None) => {
            if args.update && from.as_os_str() == "-" {
                return Err(Failure::Usage(
                    "--update replaces the file --from names: give a file, not -".to_owned(),
                ));
            }
            // A saved file is read before any request: a wrong path fails at once.
            let saved = load(from)?;
            let session = Session::connect(connection, ui).await?;
            let live = session.fetch(live_list(&saved, args.list)).await?;
            (saved, live, DiffLabels::OLD_NEW)
        }
        (None, _) => {
            let session = Session::connect(connection, ui).await?;
            let (accepted, supported) = tokio::join!(
                session.fetch(List::Accepted),
                session.fetch(List::Supported)
            );
            (accepted?, supported?, DiffLabels::ACCEPTED_SUPPORTED)
        }
    };
    let difference = left.diff(&right);
    emit(args.output.as_deref(), |stdout| match args.format {
        DiffFormat::Json => {
            serde_json::to_writer_pretty(&mut *stdout, &diff_json(&difference, &labels))
                .map_err(io::Error::from)?;
            writeln!(stdout)
        }
        DiffFormat::Table => diff_table(stdout, &difference, &labels),
    })?;
    // The baseline moves only after the whole difference was written, to
    // the very list it was compared with: one request per run.
    if let (true, Some(from), false) = (args.update, &args.from, difference.is_empty()) {
        let mut bytes = serde_json::to_vec_pretty(&right).map_err(io::Error::from)?;
        bytes.push(b'\n');
        files::write_atomically(from, &bytes)?;
    }
    if fails(&difference, args.fail_on) {
        Err(Failure::Negative)
    } else {
        Ok(())
    }
}

/// Whether the difference has a kind that `--fail-on` names.
fn fails(difference: &CatalogueDiff, fail_on: FailOn) -> bool {
    match fail_on {
        FailOn::Any => !difference.is_empty(),
        FailOn::Added => !difference.only_in_right.is_empty(),
        FailOn::Removed => !difference.only_in_left.is_empty(),
        FailOn::Changed => !difference.back_side_changed.is_empty(),
    }
}

/// The live list a saved catalogue is compared with: the one `--list`
/// names, else the endpoint it was saved from.
fn live_list(saved: &Catalogue, list: Option<List>) -> List {
    match (list, saved.endpoint()) {
        (Some(list), _) => list,
        (None, Operation::AcceptedIdTypes) => List::Accepted,
        (None, Operation::SupportedIdTypes) => List::Supported,
    }
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
                "backSide": required,
            })
        })
        .collect();
    // An added or removed entry is the facade's `DiffEntry`, in its own
    // documented JSON shape.
    let mut object = serde_json::Map::new();
    object.insert(
        labels.json_only_left.to_owned(),
        json!(difference.only_in_left),
    );
    object.insert(
        labels.json_only_right.to_owned(),
        json!(difference.only_in_right),
    );
    object.insert("changed".to_owned(), changed.into());
    object.into()
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
