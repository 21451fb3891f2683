//! `IdType`: shown and decoded as Jumio spells it, unknown values kept.

use netverify_api::IdType;

#[test]
fn an_id_type_shows_as_jumio_spells_it() {
    for (id_type, shown) in [
        (IdType::Passport, "PASSPORT"),
        (IdType::DrivingLicense, "DRIVING_LICENSE"),
        (IdType::IdCard, "ID_CARD"),
        (IdType::Visa, "VISA"),
        (
            IdType::Unknown("RESIDENCE_PERMIT".into()),
            "RESIDENCE_PERMIT",
        ),
    ] {
        assert_eq!(id_type.to_string(), shown);
        assert_eq!(shown.parse::<IdType>().unwrap(), id_type);
    }
}

#[test]
fn decoding_anything_but_a_string_says_what_was_expected() {
    let error = serde_json::from_str::<IdType>("42").unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: integer `42`, expected an ID type string such as \"PASSPORT\" \
         at line 1 column 2"
    );
}
