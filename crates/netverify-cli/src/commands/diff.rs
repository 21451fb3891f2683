//! `diff`: what differs between two catalogues (accepted and supported, a
//! saved file and the live list, or two files), as a table or JSON; the exit
//! code says whether anything does.

use std::io::{self, Write};
use std::path::Path;

use netverify::{Catalogue, CatalogueDiff, ListKey};
use serde_json::json;

use crate::args::{Connection, DiffArgs, DiffFormat, List};
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
            // A saved file is read before any request: a wrong path fails at once.
            let saved = load(from)?;
            let session = Session::connect(connection, ui).await?;
            let live = session.fetch(live_list(ui, &saved, args.list)).await?;
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
    if difference.is_empty() {
        Ok(())
    } else {
        Err(Failure::Negative)
    }
}

/// The live list a saved catalogue is compared with: the one `--list`
/// names, else the one the file's key names. An accepted list can travel
/// under `supportedIdTypes` too, so that reading is said.
fn live_list(ui: Ui, saved: &Catalogue, list: Option<List>) -> List {
    if let Some(list) = list {
        return list;
    }
    match saved.list_key() {
        ListKey::AcceptedIdTypes => List::Accepted,
        ListKey::SupportedIdTypes => {
            ui.notice(
                "the saved file's key is supportedIdTypes: comparing it with the live \
                 supported list (for an accepted list saved under that key, pass --list accepted)",
            );
            List::Supported
        }
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
