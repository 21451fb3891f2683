//! The JSON Schemas in `openapi/schemas/` (written by `cargo xtask generate`
//! from the generated types) accept the spec's documented samples, reject
//! what the spec forbids, and say the same as the spec's own component
//! schemas. Samples and component schemas are read from the spec, so the
//! schemas cannot drift from it unnoticed.

use netverify_api::Operation;
use serde_json::{Map, Value, json};

fn workspace_file(path: &str) -> String {
    let full = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("cannot read {full}: {e}"))
}

fn spec() -> Value {
    serde_yaml::from_str(&workspace_file("openapi/netverify.yaml")).expect("the spec is YAML")
}

fn json_schema(model: &str) -> Value {
    serde_json::from_str(&workspace_file(&format!("openapi/schemas/{model}.json")))
        .unwrap_or_else(|e| panic!("openapi/schemas/{model}.json is not JSON: {e}"))
}

fn validator(model: &str) -> jsonschema::Validator {
    jsonschema::validator_for(&json_schema(model))
        .unwrap_or_else(|e| panic!("openapi/schemas/{model}.json is not a valid JSON Schema: {e}"))
}

/// The validation errors of `instance`, as readable lines (empty when valid).
fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// The model a `$ref` such as `#/components/schemas/JumioErrorBody` names.
fn model_of(schema: &Value) -> &str {
    let reference = schema["$ref"]
        .as_str()
        .expect("response schemas are references");
    reference
        .rsplit('/')
        .next()
        .expect("a reference has a last segment")
}

/// Every example of every JSON response in the spec, with the model its
/// schema names: the documented 200 samples and the error examples.
fn spec_examples(spec: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    let mut collect = |place: String, response: &Value| {
        let Some(media) = response.pointer("/content/application~1json") else {
            return;
        };
        let model = model_of(&media["schema"]).to_owned();
        if let Some(example) = media.get("example") {
            found.push((place.clone(), model.clone(), example.clone()));
        }
        for (name, example) in media
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            found.push((
                format!("{place} example {name}"),
                model.clone(),
                example["value"].clone(),
            ));
        }
    };
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (status, response) in item["get"]["responses"].as_object().expect("responses") {
            if response.get("$ref").is_none() {
                collect(format!("GET {path} {status}"), response);
            }
        }
    }
    for (name, response) in spec["components"]["responses"]
        .as_object()
        .expect("responses")
    {
        collect(format!("components.responses.{name}"), response);
    }
    found
}

#[test]
fn documented_samples_and_error_examples_validate() {
    let spec = spec();
    let examples = spec_examples(&spec);
    let models: Vec<&str> = examples
        .iter()
        .map(|(_, model, _)| model.as_str())
        .collect();
    // Both documented 200 samples and the error examples are found.
    assert!(models.contains(&"SupportedIdTypesResponse"), "{models:?}");
    assert!(models.contains(&"AcceptedIdTypesResponse"), "{models:?}");
    assert!(
        models.iter().filter(|m| **m == "JumioErrorBody").count() >= 2,
        "{models:?}"
    );
    // The one accessor of the samples holds exactly the spec's examples.
    for operation in Operation::ALL {
        let accessor: Value = serde_json::from_str(operation.documented_sample()).unwrap();
        let in_spec = examples
            .iter()
            .find(|(place, _, _)| {
                place.contains(operation.path()) && place.contains("documentedSample")
            })
            .map(|(_, _, example)| example)
            .unwrap_or_else(|| panic!("no documentedSample for {operation}"));
        assert_eq!(&accessor, in_spec, "{operation}");
    }
    for (place, model, example) in &examples {
        let problems = errors(&validator(model), example);
        assert!(
            problems.is_empty(),
            "{place} does not validate against {model}.json: {problems:#?}"
        );
    }
}

#[test]
fn schemas_reject_what_the_spec_forbids_and_accept_what_it_allows() {
    let supported = validator("SupportedIdTypesResponse");
    let accepted = validator("AcceptedIdTypesResponse");
    let error_body = validator("JumioErrorBody");
    let base: Value =
        serde_json::from_str(Operation::SupportedIdTypes.documented_sample()).unwrap();
    let changed = |pointer: &str, value: Value| {
        let mut sample = base.clone();
        *sample
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("no {pointer} in the sample")) = value;
        sample
    };

    let forbidden = [
        (
            "a lower-case country code",
            changed("/supportedIdTypes/0/countryCode", json!("nld")),
        ),
        (
            "a two-letter country code",
            changed("/supportedIdTypes/0/countryCode", json!("NL")),
        ),
        (
            "a 101-character country name",
            changed("/supportedIdTypes/0/countryName", json!("N".repeat(101))),
        ),
        (
            "a 256-character ID type",
            changed(
                "/supportedIdTypes/0/idTypes/0/idType",
                json!("X".repeat(256)),
            ),
        ),
        (
            "a string backSide",
            changed(
                "/supportedIdTypes/0/idTypes/0/acquisitionConfig/backSide",
                json!("yes"),
            ),
        ),
        (
            "a timestamp that is not a string",
            changed("/timestamp", json!(1_551_449_618)),
        ),
        ("no timestamp", {
            let mut sample = base.clone();
            sample.as_object_mut().unwrap().remove("timestamp");
            sample
        }),
    ];
    for (what, instance) in &forbidden {
        assert!(
            !errors(&supported, instance).is_empty(),
            "{what} was accepted"
        );
    }

    let allowed = [
        (
            "an ID type the spec does not list",
            changed(
                "/supportedIdTypes/1/idTypes/0/idType",
                json!("RESIDENCE_PERMIT"),
            ),
        ),
        (
            "Kosovo's code",
            changed("/supportedIdTypes/1/countryCode", json!("XKX")),
        ),
        (
            "unknown properties",
            changed(
                "/supportedIdTypes/0/idTypes/0/acquisitionConfig",
                json!({"backSide": true, "frontSide": true}),
            ),
        ),
    ];
    for (what, instance) in &allowed {
        let problems = errors(&supported, instance);
        assert!(problems.is_empty(), "{what} was refused: {problems:#?}");
    }

    // The accepted list under either key, as Jumio's documentation disagrees.
    let list = base["supportedIdTypes"].clone();
    for key in ["acceptedIdTypes", "supportedIdTypes"] {
        let instance = json!({ "timestamp": base["timestamp"], key: list });
        let problems = errors(&accepted, &instance);
        assert!(
            problems.is_empty(),
            "the accepted list under {key} was refused: {problems:#?}"
        );
    }
    assert!(
        !errors(&accepted, &json!({ "acceptedIdTypes": list })).is_empty(),
        "no timestamp was accepted"
    );
    // Neither key, or only a misspelled one: no list, refused.
    for instance in [
        json!({ "timestamp": base["timestamp"] }),
        json!({ "timestamp": base["timestamp"], "acceptedIdType": list }),
    ] {
        assert!(
            !errors(&accepted, &instance).is_empty(),
            "a document without a list was accepted: {instance}"
        );
    }

    // Every error field is optional, and httpStatus is a string.
    assert!(errors(&error_body, &json!({})).is_empty());
    assert!(
        !errors(&error_body, &json!({ "httpStatus": 403 })).is_empty(),
        "a numeric httpStatus was accepted"
    );
}

/// What a schema says about valid data, with references (`$ref`, and the
/// one-element `allOf` schemars wraps a described reference in) resolved
/// against `root`, and descriptions and examples left out.
fn shape(schema: &Value, root: &Value) -> Value {
    let mut schema = schema;
    loop {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let pointer = reference.strip_prefix('#').expect("only local references");
            schema = root
                .pointer(pointer)
                .unwrap_or_else(|| panic!("dangling reference {reference}"));
        } else if let Some([only]) = schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            schema = only;
        } else {
            break;
        }
    }
    let mut out = Map::new();
    // Several allOf parts: their shapes, merged (the spec states the
    // accepted list's rule this way).
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        for part in parts {
            let Value::Object(part) = shape(part, root) else {
                unreachable!("shapes are objects")
            };
            for (key, value) in part {
                match (out.get_mut(&key), value) {
                    (Some(Value::Array(have)), Value::Array(more)) => have.extend(more),
                    (Some(Value::Object(have)), Value::Object(more)) => have.extend(more),
                    (_, value) => {
                        out.insert(key, value);
                    }
                }
            }
        }
    }
    if let Some(alternatives) = schema.get("anyOf").and_then(Value::as_array) {
        let alternatives: Vec<Value> = alternatives.iter().map(|a| shape(a, root)).collect();
        out.insert("anyOf".to_owned(), Value::Array(alternatives));
    }
    for key in [
        "type",
        "format",
        "minLength",
        "maxLength",
        "pattern",
        "enum",
        "x-extensible-enum",
        "nullable",
        "additionalProperties",
    ] {
        if let Some(value) = schema.get(key) {
            out.insert(key.to_owned(), value.clone());
        }
    }
    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        let mut required: Vec<&str> = required
            .iter()
            .map(|r| r.as_str().expect("names"))
            .collect();
        required.sort_unstable();
        out.insert("required".to_owned(), json!(required));
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        let properties: Map<String, Value> = properties
            .iter()
            .map(|(name, property)| (name.clone(), shape(property, root)))
            .collect();
        out.insert("properties".to_owned(), Value::Object(properties));
    }
    if let Some(items) = schema.get("items") {
        out.insert("items".to_owned(), shape(items, root));
    }
    Value::Object(out)
}

#[test]
fn schemas_agree_with_the_spec_component_schemas() {
    let spec = spec();
    for model in [
        "SupportedIdTypesResponse",
        "AcceptedIdTypesResponse",
        "JumioErrorBody",
    ] {
        let in_spec = shape(&spec["components"]["schemas"][model], &spec);
        let file = json_schema(model);
        let derived = shape(&file, &file);
        assert_eq!(
            derived,
            in_spec,
            "openapi/schemas/{model}.json (left) disagrees with the spec's {model} (right):\n{}\n---\n{}",
            serde_json::to_string_pretty(&derived).unwrap(),
            serde_json::to_string_pretty(&in_spec).unwrap(),
        );
        // The comparison reached the leaves: a shape without the nested
        // constraints would make this test pass vacuously.
        let text = in_spec.to_string();
        if model != "JumioErrorBody" {
            for leaf in [
                "\"pattern\":\"^[A-Z]{3}$\"",
                "\"maxLength\":100",
                "\"maxLength\":255",
                "date-time",
            ] {
                assert!(text.contains(leaf), "{model}'s shape lacks {leaf}: {text}");
            }
        }
    }
}
