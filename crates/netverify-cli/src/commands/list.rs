//! `supported` and `accepted`: a list, filtered by country and ID type, as
//! a table, JSON or CSV.

use std::io;

use netverify::{Catalogue, CountryCode, IdType};

use crate::args::{Connection, Format, List, ListArgs};
use crate::failure::Failure;
use crate::lookup;
use crate::output::{self, Row, emit};
use crate::session::Session;
use crate::ui::Ui;

pub async fn run(
    connection: &Connection,
    ui: Ui,
    list: List,
    args: &ListArgs,
) -> Result<(), Failure> {
    // The filters are read before any request: a malformed one fails at once.
    let countries = args
        .countries
        .iter()
        .map(|code| lookup::country_code(code))
        .collect::<Result<Vec<_>, _>>()?;
    let id_types: Vec<IdType> = args
        .id_types
        .iter()
        .map(|id_type| lookup::id_type(ui, id_type))
        .collect();
    let session = Session::connect(connection, ui).await?;
    let catalogue = session.fetch(list).await?;
    let catalogue = filtered(ui, catalogue, &countries, &id_types, list.name())?;
    emit(args.output.as_deref(), |stdout| match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *stdout, &catalogue).map_err(io::Error::from)?;
            writeln!(stdout)
        }
        Format::Table => output::table(stdout, &rows(&catalogue)),
        Format::Csv => output::csv(stdout, &rows(&catalogue)),
    })
}

/// The catalogue restricted to the requested countries and ID types, in
/// server order. A country filter keeps a country even when the ID-type
/// filter leaves it no documents only if no ID-type filter was given. A
/// real country or ID type the catalogue lacks is warned about on stderr; a
/// country code that is not ISO 3166-1 either can never match, and is a
/// usage error.
fn filtered(
    ui: Ui,
    catalogue: Catalogue,
    countries: &[CountryCode],
    id_types: &[IdType],
    which: &str,
) -> Result<Catalogue, Failure> {
    if countries.is_empty() && id_types.is_empty() {
        return Ok(catalogue);
    }
    for code in countries {
        match lookup::missing_country(*code, &[&catalogue], which) {
            Some(missing) if !missing.real => return Err(Failure::Usage(missing.message)),
            Some(missing) => ui.warn(&missing.message),
            None => {}
        }
    }
    for id_type in id_types {
        if let Some(missing) = lookup::missing_id_type(id_type, &[&catalogue], which) {
            ui.warn(&missing.message);
        }
    }
    Ok(catalogue.filter(countries, id_types))
}

fn rows(catalogue: &Catalogue) -> Vec<Row<'_>> {
    catalogue
        .entries()
        .map(|(country, document)| Row {
            country_code: country.code(),
            country_name: country.name(),
            id_type: document.id_type().as_str(),
            back_side: document.back_side_required(),
        })
        .collect()
}
