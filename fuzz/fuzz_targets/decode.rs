//! Feeds arbitrary bytes to the catalogue decoder. The decoder must never
//! panic; what it accepts must serialize back to JSON that decodes to an
//! equal catalogue and serializes to the same bytes again.

#![no_main]

use libfuzzer_sys::fuzz_target;
use netverify::{Catalogue, Error};

fuzz_target!(|data: &[u8]| {
    match Catalogue::from_json(data) {
        Ok(catalogue) => {
            let json = serde_json::to_vec(&catalogue).expect("a catalogue serializes");
            let again = Catalogue::from_json(&json).expect("its own JSON decodes");
            assert_eq!(again, catalogue, "round trip changed the catalogue");
            assert_eq!(serde_json::to_vec(&again).unwrap(), json);
            for country in &catalogue {
                assert!(catalogue.country(country.code()).is_some());
                for document in country.documents() {
                    assert!(catalogue.contains(country.code(), document.id_type()));
                }
            }
        }
        Err(error @ Error::Decode { .. }) => {
            // Error text is bounded whatever the input's size.
            let Error::Decode { excerpt, .. } = &error else { unreachable!() };
            assert!(excerpt.chars().count() <= netverify::Error::EXCERPT_MAX_CHARS, "excerpt too long");
            let _ = format!("{error} {error:?}");
        }
        Err(other) => panic!("from_json gave a non-decode error: {other:?}"),
    }
});
