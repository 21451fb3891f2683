//! The Arazzo workflow of `openapi/workflows/drift-check.arazzo.yaml`, run
//! by Redocly's `respect` against netverify-mock, once for each key the
//! accepted endpoint may use; then its last step, which Arazzo cannot
//! express: the report of what is accepted but no longer supported,
//! computed from the two answers respect records, and compared with what
//! the mock's data holds.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Value, json};

use crate::spec_smoke::{MockProcess, SECRET, TOKEN};
use crate::tools::{self, node_tool};

pub const WORKFLOW: &str = "openapi/workflows/drift-check.arazzo.yaml";

/// The data the mock serves: the accepted list keeps a document Jumio no
/// longer supports (NLD's driving licence) and a country it no longer lists
/// (GAB).
fn data() -> (Value, Value) {
    let document = |id_type: &str, back_side: bool| json!({ "acquisitionConfig": { "backSide": back_side }, "idType": id_type });
    let supported = json!({
        "timestamp": "2019-03-01T14:13:38.938Z",
        "supportedIdTypes": [{
            "countryCode": "NLD", "countryName": "Netherlands",
            "idTypes": [document("ID_CARD", true), document("PASSPORT", false)],
        }],
    });
    let accepted = json!({
        "timestamp": "2019-03-26T14:16:14.421Z",
        "acceptedIdTypes": [
            {
                "countryCode": "NLD", "countryName": "Netherlands",
                "idTypes": [document("ID_CARD", true), document("DRIVING_LICENSE", true)],
            },
            { "countryCode": "GAB", "countryName": "Gabon", "idTypes": [document("PASSPORT", false)] },
        ],
    });
    (supported, accepted)
}

const EXPECTED_REPORT: [(&str, &str); 2] = [("GAB", "PASSPORT"), ("NLD", "DRIVING_LICENSE")];

pub fn run(node: &Path, mock: &Path, dir: &Path) -> Result<(), String> {
    let data_dir = dir.join("data");
    std::fs::create_dir_all(&data_dir)
        .map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
    let (supported, accepted) = data();
    for (file, value) in [
        ("supportedIdTypes.json", supported),
        ("acceptedIdTypes.json", accepted),
    ] {
        std::fs::write(data_dir.join(file), value.to_string())
            .map_err(|e| format!("cannot write {file}: {e}"))?;
    }
    for key in ["acceptedIdTypes", "supportedIdTypes"] {
        println!("-- the mock names the accepted list `{key}`");
        let server = MockProcess::start(
            mock,
            &data_dir,
            key,
            &[],
            &dir.join(format!("mock-{key}.log")),
        )?;
        let report_file = dir.join(format!("respect-{key}.json"));
        let result = tools::run(
            node_tool(node, "redocly")
                .args(["respect", WORKFLOW, "--server"])
                .arg(format!("netverify={}", server.base_url))
                .args(["--input", &format!("token={TOKEN}")])
                .args(["--input", &format!("secret={SECRET}")])
                .args(["--input", "userAgent=netverify-rs spec-smoke (respect)"])
                .arg("--json-output")
                .arg(&report_file),
        )
        .and_then(|()| report(&report_file));
        if result.is_err() {
            eprintln!("{}", server.log());
        }
        let report = result?;
        let expected: BTreeSet<(String, String)> = EXPECTED_REPORT
            .iter()
            .map(|(country, id_type)| ((*country).to_owned(), (*id_type).to_owned()))
            .collect();
        if report != expected {
            return Err(format!(
                "the drift-check report is {report:?}, but the mock's data gives {expected:?}"
            ));
        }
        println!("report: accepted but no longer supported: {report:?}");
    }
    Ok(())
}

/// Step 3 of the workflow, from respect's record of steps 1 and 2: every
/// (country, ID type) of the accepted list (under `acceptedIdTypes` when
/// present, else `supportedIdTypes`) that the supported list lacks.
fn report(file: &Path) -> Result<BTreeSet<(String, String)>, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let record: Value =
        serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", file.display()))?;
    let steps = record["files"][WORKFLOW]["executedWorkflows"][0]["executedSteps"]
        .as_array()
        .ok_or_else(|| format!("{} records no steps", file.display()))?;
    let body = |step_id: &str| {
        steps
            .iter()
            .find(|step| step["stepId"] == step_id)
            .map(|step| &step["response"]["body"])
            .ok_or_else(|| format!("{} has no step {step_id}", file.display()))
    };
    let pairs = |list: &Value| -> BTreeSet<(String, String)> {
        let mut pairs = BTreeSet::new();
        for country in list.as_array().into_iter().flatten() {
            for document in country["idTypes"].as_array().into_iter().flatten() {
                let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
                pairs.insert((text(&country["countryCode"]), text(&document["idType"])));
            }
        }
        pairs
    };
    let supported = pairs(&body("fetchSupported")?["supportedIdTypes"]);
    let accepted = body("fetchAccepted")?;
    let list = match accepted.get("acceptedIdTypes") {
        Some(list) => list,
        None => &accepted["supportedIdTypes"],
    };
    Ok(pairs(list).difference(&supported).cloned().collect())
}
