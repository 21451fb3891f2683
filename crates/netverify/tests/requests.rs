//! What goes over the wire, and what comes back on success.

mod common;

use common::*;
use netverify::{CountryCode, IdType, ListKey};

#[tokio::test]
async fn supported_request_carries_exactly_the_documented_headers() {
    let server = wiremock::MockServer::start().await;
    serve(&server, SUPPORTED_PATH, json(SUPPORTED)).await;
    let client = client(&server);

    let catalogue = client.supported_id_types().await.unwrap();
    assert_eq!(catalogue.len(), 2);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), SUPPORTED_PATH);
    assert_eq!(request.url.query(), None);
    assert!(request.body.is_empty());

    let mut names: Vec<&str> = request.headers.keys().map(|name| name.as_str()).collect();
    names.sort_unstable();
    // No api-version, no accept-encoding, nothing else.
    assert_eq!(names, ["accept", "authorization", "host", "user-agent"]);
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(header("accept"), "application/json");
    assert_eq!(
        header("authorization"),
        format!("Basic {}", secret_forms()[1])
    );
    assert_eq!(
        header("user-agent"),
        format!("Acme KYC/1.0 netverify-rs/{}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(client.user_agent(), header("user-agent"));
}

#[tokio::test]
async fn accepted_request_uses_its_own_path() {
    let server = wiremock::MockServer::start().await;
    serve(&server, ACCEPTED_PATH, json(ACCEPTED)).await;
    client(&server).accepted_id_types().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].url.path(), ACCEPTED_PATH);
    assert!(requests[0].headers.get("api-version").is_none());
}

#[tokio::test]
async fn supported_catalogue_keeps_server_order_and_answers_look_ups() {
    let server = wiremock::MockServer::start().await;
    serve(&server, SUPPORTED_PATH, json(SUPPORTED)).await;
    let catalogue = client(&server).supported_id_types().await.unwrap();

    assert_eq!(catalogue.list_key(), ListKey::SupportedIdTypes);
    assert_eq!(
        catalogue.timestamp().to_rfc3339(),
        "2019-03-01T14:13:38.938+00:00"
    );
    let codes: Vec<String> = catalogue
        .countries()
        .iter()
        .map(|c| c.code().to_string())
        .collect();
    assert_eq!(codes, ["NLD", "FRO"]);
    let nld = CountryCode::new("NLD").unwrap();
    let kinds: Vec<&IdType> = catalogue
        .country(nld)
        .unwrap()
        .documents()
        .iter()
        .map(|d| d.id_type())
        .collect();
    assert_eq!(
        kinds,
        [&IdType::IdCard, &IdType::DrivingLicense, &IdType::Passport]
    );
    assert_eq!(
        catalogue.back_side_required(nld, &IdType::IdCard),
        Some(true)
    );
}

#[tokio::test]
async fn accepted_reads_the_accepted_key() {
    let server = wiremock::MockServer::start().await;
    serve(&server, ACCEPTED_PATH, json(ACCEPTED)).await;
    let catalogue = client(&server).accepted_id_types().await.unwrap();
    assert_eq!(catalogue.list_key(), ListKey::AcceptedIdTypes);
    let codes: Vec<String> = catalogue
        .countries()
        .iter()
        .map(|c| c.code().to_string())
        .collect();
    assert_eq!(codes, ["GAB", "SGP"]);
}

#[tokio::test]
async fn accepted_also_reads_the_supported_key() {
    // Jumio's parameter table names the accepted list `supportedIdTypes`.
    let server = wiremock::MockServer::start().await;
    let body = ACCEPTED.replace("acceptedIdTypes", "supportedIdTypes");
    serve(&server, ACCEPTED_PATH, json(&body)).await;
    let catalogue = client(&server).accepted_id_types().await.unwrap();
    assert_eq!(catalogue.list_key(), ListKey::SupportedIdTypes);
    assert_eq!(catalogue.len(), 2);
    assert!(catalogue.contains(CountryCode::new("SGP").unwrap(), &IdType::IdCard));
    // Written back under the endpoint's own key: the file says which list.
    assert_eq!(catalogue.endpoint(), netverify::Operation::AcceptedIdTypes);
    let saved = serde_json::to_value(&catalogue).unwrap();
    assert!(saved.get("acceptedIdTypes").is_some() && saved.get("supportedIdTypes").is_none());
}

#[tokio::test]
async fn unknown_id_types_and_fields_are_kept_not_fatal() {
    let server = wiremock::MockServer::start().await;
    let body = r#"{"timestamp":"2024-05-06T07:08:09.010Z","newTopLevel":1,"supportedIdTypes":[
        {"countryCode":"XKX","countryName":"Kosovo","extra":true,"idTypes":[
          {"acquisitionConfig":{"backSide":true,"frontOnly":false},"idType":"RESIDENCE_PERMIT"},
          {"acquisitionConfig":{"backSide":false},"idType":"VISA"}]}]}"#;
    serve(&server, SUPPORTED_PATH, json(body)).await;
    let catalogue = client(&server).supported_id_types().await.unwrap();
    let xkx = CountryCode::new("XKX").unwrap();
    let permit = IdType::Unknown("RESIDENCE_PERMIT".into());
    assert_eq!(catalogue.back_side_required(xkx, &permit), Some(true));
    assert_eq!(
        catalogue.back_side_required(xkx, &IdType::Visa),
        Some(false)
    );
    let saved = serde_json::to_string(&catalogue).unwrap();
    assert!(saved.contains(r#""idType":"RESIDENCE_PERMIT""#), "{saved}");
}

#[tokio::test]
async fn a_caller_supplied_http_builder_still_gets_credentials_and_no_extra_headers() {
    let server = wiremock::MockServer::start().await;
    serve(&server, SUPPORTED_PATH, json(SUPPORTED)).await;
    let transport = netverify::reqwest::Client::builder().pool_max_idle_per_host(0);
    let client = builder(&server)
        .http_client_builder(transport)
        .build()
        .unwrap();
    client.supported_id_types().await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let mut names: Vec<&str> = requests[0]
        .headers
        .keys()
        .map(|name| name.as_str())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["accept", "authorization", "host", "user-agent"]);
    let authorization = requests[0].headers.get("authorization").unwrap();
    assert_eq!(
        authorization.to_str().unwrap(),
        format!("Basic {}", secret_forms()[1])
    );
}
