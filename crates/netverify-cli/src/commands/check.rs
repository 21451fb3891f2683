//! `check`: whether the account accepts a document, and whether its back
//! side is needed; the exit code is the answer.

use std::io;

use serde_json::json;

use crate::args::{CheckArgs, CheckFormat, Connection, List};
use crate::failure::Failure;
use crate::lookup;
use crate::output::write_stdout;
use crate::session::Session;
use crate::ui::Ui;

pub async fn run(connection: &Connection, ui: Ui, args: &CheckArgs) -> Result<(), Failure> {
    let code = lookup::country_code(&args.country)?;
    let id_type = lookup::id_type(ui, &args.id_type);
    let json = args.format == CheckFormat::Json;
    let session = Session::connect(connection, ui).await?;
    // Both lists at once: one deadline bounds the run, and a value either
    // list knows is a real question.
    let (accepted, supported) = tokio::join!(
        session.fetch(List::Accepted),
        session.fetch(List::Supported)
    );
    let accepted = accepted?;
    let accepted_document = accepted.document(code, &id_type);
    if let (Some(document), false) = (accepted_document, json) {
        // The answer needs nothing of the supported list, nor its success.
        let back_side = if document.back_side_required() {
            "the back side is required"
        } else {
            "the back side is not required"
        };
        return write_stdout(|stdout| writeln!(stdout, "{code} {id_type}: accepted; {back_side}"));
    }
    let supported = supported?;
    // A country or ID type that neither list has, and that is no real one
    // either, is a typo, not an answer.
    if accepted_document.is_none() {
        let lists = [&accepted, &supported];
        let missing: Vec<String> = [
            lookup::missing_country(code, &lists, "accepted or supported"),
            lookup::missing_id_type(&id_type, &lists, "accepted or supported"),
        ]
        .into_iter()
        .flatten()
        .filter(|missing| !missing.real)
        .map(|missing| missing.message)
        .collect();
        if !missing.is_empty() {
            return Err(Failure::Usage(format!(
                "cannot check {code} {id_type}: {}",
                missing.join("; and ")
            )));
        }
    }
    let supported_document = supported.document(code, &id_type);
    if json {
        let answer = json!({
            "country": code.as_str(),
            "idType": id_type.as_str(),
            "accepted": accepted_document.is_some(),
            "supported": supported_document.is_some(),
            "backSide": accepted_document
                .or(supported_document)
                .map(|document| document.back_side_required()),
        });
        write_stdout(|stdout| {
            serde_json::to_writer(&mut *stdout, &answer).map_err(io::Error::from)?;
            writeln!(stdout)
        })?;
        return match accepted_document {
            Some(_) => Ok(()),
            None => Err(Failure::Negative),
        };
    }
    let why = if supported_document.is_some() {
        "Jumio supports it: enable it in the Customer Portal under Settings > Accepted IDs"
    } else {
        "Jumio does not support it for this country"
    };
    write_stdout(|stdout| writeln!(stdout, "{code} {id_type}: not accepted; {why}"))?;
    Err(Failure::Negative)
}
