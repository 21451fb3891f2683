//! Decodes one `supportedIdTypes` document (the mock's sample catalogue: 250
//! countries) N times with one decoder, for instruction counts under
//! callgrind, which are stable on a shared machine where wall-clock time is
//! not:
//!
//! ```sh
//! cargo build --release -p netverify-bench --example decode_instructions
//! for decoder in facade generated borrowed; do for n in 0 100; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/decode_instructions $decoder $n 2>&1 | grep Collected
//! done; done
//! ```
//!
//! (instructions at 100 − instructions at 0) / 100 is the cost of one decode.
//! `facade` is `netverify::Catalogue::from_json`, which decodes exactly as a
//! call does; `generated` the generated model alone; `borrowed` a hand-written
//! model of borrowed strings, the floor.

use std::hint::black_box;

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "fields decoded to be measured, not read")]
struct Borrowed<'a> {
    timestamp: &'a str,
    #[serde(borrow)]
    supported_id_types: Vec<BorrowedCountry<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "fields decoded to be measured, not read")]
struct BorrowedCountry<'a> {
    country_code: &'a str,
    country_name: &'a str,
    #[serde(borrow)]
    id_types: Vec<BorrowedDocument<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "fields decoded to be measured, not read")]
struct BorrowedDocument<'a> {
    id_type: &'a str,
    acquisition_config: BorrowedCapture,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[expect(dead_code, reason = "fields decoded to be measured, not read")]
struct BorrowedCapture {
    back_side: bool,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let decoder = args
        .next()
        .expect("usage: decode_instructions facade|generated|borrowed N");
    let times: usize = args.next().and_then(|n| n.parse().ok()).expect("a count");
    let sample = netverify_mock::Catalogue::sample();
    let document = format!(
        r#"{{"timestamp":"2019-03-01T14:13:38.938Z","supportedIdTypes":{}}}"#,
        serde_json::to_string(sample.supported()).expect("serializable")
    )
    .into_bytes();
    for _ in 0..times {
        match decoder.as_str() {
            "facade" => {
                black_box(netverify::Catalogue::from_json(black_box(&document)).unwrap());
            }
            "generated" => {
                black_box(
                    serde_json::from_slice::<netverify_api::types::SupportedIdTypesResponse>(
                        black_box(&document),
                    )
                    .unwrap(),
                );
            }
            "borrowed" => {
                black_box(serde_json::from_slice::<Borrowed<'_>>(black_box(&document)).unwrap());
            }
            other => panic!("unknown decoder {other}"),
        }
    }
}
