//! The spec parses as OpenAPI 3.0 and contains every piece the API needs: a
//! missing operation, server, schema, header or example fails here.

mod common;

use common::{ACCEPTED_PATH, SUPPORTED_PATH, spec_json, spec_text};
use openapiv3::{OpenAPI, ReferenceOr, SecurityScheme};
use serde_json::{Value, json};

fn spec() -> OpenAPI {
    serde_yaml::from_str(&spec_text()).expect("the spec parses as OpenAPI 3.0")
}

#[test]
fn is_openapi_3_0_with_license_and_servers_for_every_region() {
    let spec = spec();
    assert_eq!(spec.openapi, "3.0.3");
    let license = spec.info.license.as_ref().expect("info.license");
    assert_eq!(license.name, "MIT OR Apache-2.0");
    let servers: Vec<(&str, bool)> = spec
        .servers
        .iter()
        .map(|s| {
            (
                s.url.as_str(),
                s.description.as_deref().is_some_and(|d| !d.is_empty()),
            )
        })
        .collect();
    assert_eq!(
        servers,
        [
            ("https://netverify.com", true),
            ("https://lon.netverify.com", true),
            ("https://core-sgp.jumio.com", true),
        ]
    );
}

#[test]
fn basic_auth_applies_to_both_operations() {
    let spec = spec();
    let components = spec.components.as_ref().expect("components");
    match components.security_schemes.get("basicAuth") {
        Some(ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. })) => assert_eq!(scheme, "basic"),
        other => panic!("basicAuth is not HTTP basic: {other:?}"),
    }
    for (path, _, op) in spec.operations() {
        let security = op
            .security
            .as_ref()
            .or(spec.security.as_ref())
            .expect("security");
        assert!(
            security.iter().any(|req| req.contains_key("basicAuth")),
            "{path} lacks basicAuth"
        );
    }
}

#[test]
fn both_operations_are_documented_with_required_user_agent_and_all_responses() {
    let spec = spec_json();
    // The one hand-written name of each operation agrees with the spec.
    let mut paths: Vec<&str> = spec["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    paths.sort_unstable();
    assert_eq!(paths, [ACCEPTED_PATH, SUPPORTED_PATH]);
    for operation in netverify_api::Operation::ALL {
        let (path, operation_id) = (operation.path(), operation.operation_id());
        assert_eq!(netverify_api::Operation::from_path(path), Some(operation));
        assert!(path.starts_with(netverify_api::Operation::PATH_PREFIX));
        let op = &spec["paths"][path]["get"];
        assert_eq!(op["operationId"], operation_id, "{path}");
        assert_eq!(op["tags"], json!(["ID types"]), "{path}");
        for field in ["summary", "description"] {
            assert!(
                op[field].as_str().is_some_and(|s| !s.is_empty()),
                "{path} lacks {field}"
            );
        }
        assert_eq!(
            op["parameters"],
            json!([{"$ref": "#/components/parameters/UserAgentHeader"}])
        );
        let responses = op["responses"].as_object().expect("responses");
        let codes: Vec<&str> = responses.keys().map(String::as_str).collect();
        assert_eq!(codes, ["200", "403", "404", "429", "500", "503"], "{path}");
        assert_eq!(
            op["responses"]["200"]["headers"]["X-Trackingid"]["$ref"],
            "#/components/headers/TrackingId"
        );
    }
    let user_agent = &spec["components"]["parameters"]["UserAgentHeader"];
    assert_eq!(user_agent["name"], "User-Agent");
    assert_eq!(user_agent["in"], "header");
    assert_eq!(user_agent["required"], true);
    assert_eq!(user_agent["example"], "Acme KYC/1.0");
    assert!(
        user_agent["description"]
            .as_str()
            .unwrap()
            .contains("Company App/1.0")
    );
    let description = spec["info"]["description"].as_str().unwrap();
    assert!(
        description.contains("Accept: application/json"),
        "Accept rule undocumented"
    );
}

#[test]
fn every_error_response_shares_the_lenient_error_body_and_tracking_id() {
    let spec = spec_json();
    let responses = spec["components"]["responses"].as_object().unwrap();
    for name in [
        "Forbidden",
        "NotFound",
        "TooManyRequests",
        "InternalServerError",
        "ServiceUnavailable",
    ] {
        let response = &responses[name];
        assert_eq!(
            response["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/JumioErrorBody",
            "{name}"
        );
        assert_eq!(
            response["headers"]["X-Trackingid"]["$ref"],
            "#/components/headers/TrackingId"
        );
    }
    for name in ["TooManyRequests", "ServiceUnavailable"] {
        assert_eq!(
            responses[name]["headers"]["Retry-After"]["$ref"],
            "#/components/headers/RetryAfter"
        );
    }
    let error = &spec["components"]["schemas"]["JumioErrorBody"];
    assert!(
        error.get("required").is_none(),
        "no error field may be required"
    );
    for field in ["httpStatus", "message", "requestURI"] {
        assert_eq!(error["properties"][field]["type"], "string", "{field}");
    }
}

#[test]
fn response_schemas_carry_every_documented_field_and_constraint() {
    let spec = spec_json();
    let schemas = &spec["components"]["schemas"];
    let supported = &schemas["SupportedIdTypesResponse"];
    assert_eq!(
        supported["required"],
        json!(["timestamp", "supportedIdTypes"])
    );
    assert_eq!(supported["properties"]["timestamp"]["format"], "date-time");
    // The properties, and the rule that one of the two list keys is
    // required, in an allOf (see the schema's description for why).
    let accepted = &schemas["AcceptedIdTypesResponse"]["allOf"][0];
    assert_eq!(
        schemas["AcceptedIdTypesResponse"]["allOf"][1],
        json!({"anyOf": [{"required": ["acceptedIdTypes"]}, {"required": ["supportedIdTypes"]}]})
    );
    assert_eq!(accepted["required"], json!(["timestamp"]));
    assert_eq!(accepted["properties"]["timestamp"]["format"], "date-time");
    for key in ["acceptedIdTypes", "supportedIdTypes"] {
        assert_eq!(
            accepted["properties"][key]["items"]["$ref"],
            "#/components/schemas/CountryDocuments"
        );
    }
    assert!(
        schemas["AcceptedIdTypesResponse"]["description"]
            .as_str()
            .unwrap()
            .contains("parameter table")
    );

    let country = &schemas["CountryDocuments"];
    assert_eq!(
        country["required"],
        json!(["countryCode", "countryName", "idTypes"])
    );
    assert_eq!(country["properties"]["countryName"]["maxLength"], 100);
    let code = &schemas["CountryAlpha3"];
    assert_eq!(
        (&code["maxLength"], &code["pattern"]),
        (&json!(3), &json!("^[A-Z]{3}$"))
    );
    let document = &schemas["DocumentRequirements"];
    assert_eq!(document["required"], json!(["idType", "acquisitionConfig"]));
    let kind = &schemas["DocumentKind"];
    assert_eq!(kind["type"], "string");
    assert_eq!(kind["maxLength"], 255);
    assert!(
        kind.get("enum").is_none(),
        "a closed enum would break on new ID types"
    );
    assert_eq!(
        kind["x-extensible-enum"],
        json!(["PASSPORT", "DRIVING_LICENSE", "ID_CARD", "VISA"])
    );
    assert_eq!(schemas["CaptureSettings"]["required"], json!(["backSide"]));

    // Unknown fields from the server must be ignored, never rejected.
    fn no_closed_objects(value: &Value, at: &str) {
        match value {
            Value::Object(map) => {
                assert_ne!(
                    map.get("additionalProperties"),
                    Some(&json!(false)),
                    "closed object at {at}"
                );
                map.iter()
                    .for_each(|(k, v)| no_closed_objects(v, &format!("{at}/{k}")));
            }
            Value::Array(items) => items.iter().for_each(|v| no_closed_objects(v, at)),
            _ => {}
        }
    }
    no_closed_objects(&spec, "");
}

#[test]
fn schema_names_cannot_collide_with_property_names_in_other_generators() {
    // openapi-generator names an inline enum after its property (`idType` ->
    // `IdType`), so a schema of that name would clash with it.
    let spec = spec_json();
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    let mut property_types = Vec::new();
    for schema in schemas.values() {
        if let Some(properties) = schema["properties"].as_object() {
            for name in properties.keys() {
                let mut chars = name.chars();
                let first = chars.next().unwrap().to_ascii_uppercase();
                property_types.push(format!("{first}{}", chars.as_str()));
            }
        }
    }
    for name in schemas.keys() {
        assert!(
            !property_types.contains(name),
            "schema {name} clashes with a property name"
        );
    }
}

/// openapi/README.md's advice for generating a client (through the
/// package's `openapi/README.md` link), checked against the spec it is
/// about.
#[test]
fn the_readmes_advice_for_generated_clients_matches_the_spec() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/README.md"))
        .expect("openapi/README.md");
    // The numbered advice of its "Generating a client" section.
    let section = &readme[readme.find("## Generating a client").expect("the section")..];
    let advice = |number: &str| {
        let from = section
            .find(&format!("\n{number}. **"))
            .expect("the advice");
        let rest = &section[from + 1..];
        rest[..rest.find("\n\n").unwrap()].to_owned()
    };
    let statuses = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_ascii_digit())
            .filter(|word| word.len() == 3)
            .map(str::to_owned)
            .collect()
    };
    let spec = spec_json();

    // 4: the documented error statuses share the lenient body; the
    // undocumented ones are not in the spec.
    let lenient = advice("4");
    let documented = statuses(lenient.split(" share").next().unwrap());
    let undocumented = lenient.split_once("undocumented").unwrap().1;
    for path in [SUPPORTED_PATH, ACCEPTED_PATH] {
        let responses = spec["paths"][path]["get"]["responses"].as_object().unwrap();
        let errors: Vec<&String> = responses.keys().filter(|code| *code != "200").collect();
        assert_eq!(errors, documented.iter().collect::<Vec<_>>(), "{lenient}");
        for code in statuses(undocumented) {
            assert!(!responses.contains_key(&code), "{code} is documented");
        }
        for code in &documented {
            let reference = responses[code]["$ref"].as_str().unwrap();
            let name = reference.rsplit('/').next().unwrap();
            assert_eq!(
                spec["components"]["responses"][name]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/JumioErrorBody",
                "{code}"
            );
        }
    }

    // 1: `idType` is an open string with its known values in
    // `x-extensible-enum`, never an `enum`.
    let open = advice("1");
    assert!(open.contains("`x-extensible-enum`"), "{open}");
    let kind = &spec["components"]["schemas"]["DocumentKind"];
    assert_eq!(kind["type"], "string");
    assert!(kind.get("enum").is_none());
    let known = kind["x-extensible-enum"].as_array().unwrap();
    for value in ["PASSPORT", "DRIVING_LICENSE", "ID_CARD", "VISA"] {
        assert!(known.iter().any(|known| known == value), "{value}");
    }
}
