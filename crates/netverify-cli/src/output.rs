//! The answer on stdout, or atomically in a file, and its rendering as an
//! aligned table or CSV (JSON is the catalogue's own serialization).

use std::io::{self, Write};
use std::path::Path;

use anstyle::Style;
use netverify::CountryCode;

use crate::failure::Failure;
use crate::files;

/// Writes the answer to stdout (also for `-o -`), or with `-o FILE` to FILE:
/// atomically, and only once the whole answer is rendered (see
/// `files::write_atomically`).
pub fn emit(
    output: Option<&Path>,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Failure> {
    let Some(path) = output.filter(|path| path.as_os_str() != "-") else {
        return write_stdout(render);
    };
    let mut bytes = Vec::new();
    // A file gets no colour, whatever the terminal.
    render(&mut anstream::StripStream::new(&mut bytes))?;
    files::write_atomically(path, &bytes).map_err(Failure::Output)
}

/// Writes to stdout. A reader that went away (`| head`, `| true`) is not a
/// failure: the rest of the output is dropped and the run ends with the exit
/// code of its answer, 0 or 1, as if the output had been read. Any other
/// write error is a failure (exit 4).
pub fn write_stdout(render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Failure> {
    let mut stdout = anstream::stdout().lock();
    match render(&mut stdout).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => Err(Failure::Output(error)),
        _ => Ok(()),
    }
}

/// One line of output: a document of one country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row<'a> {
    pub country_code: CountryCode,
    pub country_name: &'a str,
    pub id_type: &'a str,
    pub back_side: bool,
}

const HEADER: [&str; 4] = ["COUNTRY", "NAME", "ID TYPE", "BACK SIDE"];
const BOLD: Style = Style::new().bold();

fn back_side_text(required: bool) -> &'static str {
    if required { "required" } else { "not required" }
}

/// Writes an aligned table. `out` decides about colour (an `anstream` stream
/// strips the styling when it is not a terminal or `NO_COLOR` is set).
pub fn table(out: &mut (impl Write + ?Sized), rows: &[Row<'_>]) -> io::Result<()> {
    let cells = |row: &Row<'_>| {
        [
            row.country_code.as_str(),
            row.country_name,
            row.id_type,
            back_side_text(row.back_side),
        ]
        .map(str::to_owned)
    };
    let mut widths = HEADER.map(|h| h.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(cells(row)) {
            *width = (*width).max(cell.chars().count());
        }
    }
    write!(out, "{BOLD}")?;
    write_line(out, HEADER.map(str::to_owned), widths)?;
    writeln!(out, "{BOLD:#}")?;
    for row in rows {
        write_line(out, cells(row), widths)?;
        writeln!(out)?;
    }
    Ok(())
}

/// Writes the cells padded to `widths`, the last one unpadded (no trailing
/// blanks for `grep` and `diff` to trip over).
fn write_line(
    out: &mut (impl Write + ?Sized),
    cells: [String; 4],
    widths: [usize; 4],
) -> io::Result<()> {
    let last = cells.len() - 1;
    for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
        if i == last {
            write!(out, "{cell}")?;
        } else {
            // Pad by characters, not bytes: names such as "Åland Islands".
            let pad = width - cell.chars().count();
            write!(out, "{cell}{:pad$}  ", "")?;
        }
    }
    Ok(())
}

/// Writes CSV with a header row; fields are quoted where needed ("Korea, Republic of").
pub fn csv(out: impl Write, rows: &[Row<'_>]) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(["country_code", "country_name", "id_type", "back_side"])?;
    for row in rows {
        let back_side = if row.back_side { "true" } else { "false" };
        writer.write_record([
            row.country_code.as_str(),
            row.country_name,
            row.id_type,
            back_side,
        ])?;
    }
    writer.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> [Row<'static>; 2] {
        let code = |c| CountryCode::new(c).unwrap();
        [
            Row {
                country_code: code("ALA"),
                country_name: "Åland Islands",
                id_type: "PASSPORT",
                back_side: false,
            },
            Row {
                country_code: code("KOR"),
                country_name: "Korea, Republic of",
                id_type: "ID_CARD",
                back_side: true,
            },
        ]
    }

    #[test]
    fn table_columns_align_by_characters() {
        let mut out = Vec::new();
        table(&mut out, &rows()).unwrap();
        let text = String::from_utf8(out).unwrap();
        let text = text
            .replace(&format!("{BOLD}"), "")
            .replace(&format!("{BOLD:#}"), "");
        insta::assert_snapshot!(text, @r"
        COUNTRY  NAME                ID TYPE   BACK SIDE
        ALA      Åland Islands       PASSPORT  not required
        KOR      Korea, Republic of  ID_CARD   required
        ");
    }

    #[test]
    fn csv_quotes_names_with_commas() {
        let mut out = Vec::new();
        csv(&mut out, &rows()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "country_code,country_name,id_type,back_side\n\
             ALA,Åland Islands,PASSPORT,false\n\
             KOR,\"Korea, Republic of\",ID_CARD,true\n"
        );
    }
}
