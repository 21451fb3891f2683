//! What the user typed: country codes and ID types, read leniently and
//! looked up in a catalogue, with the nearest known spelling of a slip.

use netverify::{Catalogue, CountryCode, IdType};

use crate::failure::Failure;
use crate::ui::Ui;

/// A country code as typed: alpha-3 in any case. Anything else is a usage
/// error (one that names the alpha-3 code of an alpha-2 code).
pub fn country_code(text: &str) -> Result<CountryCode, Failure> {
    CountryCode::parse_lenient(text).map_err(|error| Failure::Usage(error.to_string()))
}

/// ID types are upper case with `_` on the wire; people type them in any
/// case, with `-` or spaces. A reading that changed more than the case is
/// said on stderr, so the user sees what was looked up.
pub fn id_type(ui: Ui, text: &str) -> IdType {
    let id_type = IdType::parse_lenient(text);
    if !id_type.as_str().eq_ignore_ascii_case(text) {
        ui.warn(&format!("reading the ID type {text:?} as {id_type}"));
    }
    id_type
}

/// A country or ID type that a catalogue lacks.
pub struct Missing {
    /// What to tell the user, with the nearest known spelling when the
    /// value looks like a slip.
    pub message: String,
    /// Whether the value is real all the same: an ISO 3166-1 code, or an ID
    /// type Jumio documents. Never a slip, so never given a spelling.
    pub real: bool,
}

/// `None` when one of the catalogues lists the country. A code that is not
/// ISO 3166-1 gets the nearest of the catalogues' and the ISO table's codes.
pub fn missing_country(
    code: CountryCode,
    catalogues: &[&Catalogue],
    which: &str,
) -> Option<Missing> {
    if catalogues
        .iter()
        .any(|catalogue| catalogue.country(code).is_some())
    {
        return None;
    }
    if let Some(name) = code.iso_name() {
        return Some(Missing {
            message: format!("{code} ({name}) is not in the {which} catalogue"),
            real: true,
        });
    }
    let known = catalogues
        .iter()
        .flat_map(|catalogue| catalogue.countries())
        .map(|country| country.code())
        .chain(CountryCode::iso_countries().map(|(code, _)| code))
        .map(|code| code.as_str().to_owned());
    Some(Missing {
        message: format!(
            "{code} is neither an ISO 3166-1 country code nor in the {which} catalogue{}",
            nearest(code.as_str(), known)
                .map(|nearest| format!("; the nearest known code is {nearest}"))
                .unwrap_or_default()
        ),
        real: false,
    })
}

/// `None` when one of the catalogues has the ID type. One Jumio does not
/// document gets the nearest of the catalogues' and the documented ID types.
pub fn missing_id_type(
    id_type: &IdType,
    catalogues: &[&Catalogue],
    which: &str,
) -> Option<Missing> {
    let in_catalogues = || catalogues.iter().flat_map(|catalogue| catalogue.id_types());
    if in_catalogues().any(|known| known == id_type) {
        return None;
    }
    let real = IdType::KNOWN.contains(id_type);
    let known: Vec<String> = in_catalogues()
        .chain(&IdType::KNOWN)
        .map(|known| known.as_str().to_owned())
        .collect();
    let nearest = (!real)
        .then(|| nearest(id_type.as_str(), known.into_iter()))
        .flatten()
        .map(|nearest| format!("; the nearest known spelling is {nearest}"))
        .unwrap_or_default();
    Some(Missing {
        message: format!("{id_type} is not an ID type of the {which} catalogue{nearest}"),
        real,
    })
}

/// The known spelling nearest to `typed`, if it is close enough to be a
/// slip: at most one edit per three characters (at least one), where a
/// swap of two neighbours counts as one edit and wins a tie (`NDL` is
/// `NLD` rather than `NPL`).
fn nearest(typed: &str, known: impl Iterator<Item = String>) -> Option<String> {
    let most = (typed.chars().count() / 3).max(1);
    let letters = |text: &str| {
        let mut letters: Vec<char> = text.chars().collect();
        letters.sort_unstable();
        letters
    };
    known
        .map(|known| {
            let edits = strsim::osa_distance(typed, &known);
            ((edits, letters(&known) != letters(typed)), known)
        })
        .filter(|((edits, _), _)| *edits <= most)
        .min()
        .map(|(_, known)| known)
}
