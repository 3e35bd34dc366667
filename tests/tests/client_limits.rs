//! Limits that keep hostile or oversized input cheap: metadata with tens of thousands of keys
//! decodes in linear time (client and emulator), the emulator refuses more than 50 metadata keys
//! before storing them, an id too long for a URL is refused before sending, and
//! `RequestOptions`' `Debug` shows no header value.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a broken fixture fails loudly"
)]

use std::fmt::Write as _;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use file_link::emulator::{add_file, register};
use file_link::{CreateFileLink, FileLink, FileLinkId, FilePurpose, UpdateFileLink};
use resource_core::{
    Client, ErrorKind, MAX_ID_LEN, Metadata, MetadataParam, Method, Operation, RequestOptions,
    Response, path,
};
use resource_emulator::{Emulator, Incoming};
use serde_json::{Value, json};
use tests::{InProcess, json_response, openapi_fixture};

const KEY: &str = "sk_test_RECOGNISABLE_51Hx9";
const MANY: usize = 80_000;
/// Generous: in a release build the linear-time decoders take tens of milliseconds, and the
/// quadratic ones took 10 s for 80,000 keys (over a minute in a debug build, where these
/// take a few hundred milliseconds).
const QUICK: Duration = Duration::from_secs(if cfg!(debug_assertions) { 3 } else { 1 });

/// The timed tests run one at a time, so that they do not slow each other down.
static TIMED: Mutex<()> = Mutex::new(());

fn timed() -> MutexGuard<'static, ()> {
    TIMED.lock().unwrap_or_else(PoisonError::into_inner)
}

fn client(transport: &InProcess) -> Client {
    Client::builder(KEY)
        .transport(transport.clone())
        .max_network_retries(0)
        .build()
        .unwrap()
}

/// A file link whose metadata has `count` keys `k0`, `k1`, ... with values `v0`, `v1`, ...,
/// serialized by hand so that the keys stay in order.
fn link_with_metadata(count: usize) -> Vec<u8> {
    let mut link = openapi_fixture("file_link");
    link["id"] = json!("link_many");
    link["metadata"] = json!({});
    let mut text = link.to_string();
    let mut metadata = String::with_capacity(count * 16);
    metadata.push('{');
    for i in 0..count {
        if i > 0 {
            metadata.push(',');
        }
        write!(metadata, "\"k{i}\":\"v{i}\"").unwrap();
    }
    metadata.push('}');
    text = text.replacen("\"metadata\":{}", &format!("\"metadata\":{metadata}"), 1);
    text.into_bytes()
}

#[test]
fn a_response_with_80000_metadata_keys_decodes_in_linear_time() {
    let _timed = timed();
    let body = link_with_metadata(MANY);
    let transport = InProcess::new(move |_| {
        Ok(Response {
            status: 200,
            headers: vec![("Request-Id".into(), "req_many".into())],
            body: body.clone(),
        })
    });
    let client = client(&transport);
    let id: FileLinkId = "link_many".parse().unwrap();

    let started = Instant::now();
    let link = FileLink::retrieve(&client, &id).unwrap();
    let elapsed = started.elapsed();
    eprintln!("decoding {MANY} metadata keys through the client: {elapsed:?}");
    assert!(elapsed < QUICK, "took {elapsed:?}");

    let metadata = &link.metadata;
    assert_eq!(metadata.len(), MANY);
    assert_eq!(metadata.get("k0"), Some("v0"));
    assert_eq!(metadata.get("k40000"), Some("v40000"));
    assert_eq!(metadata.get("k79999"), Some("v79999"));
    assert_eq!(metadata.get("k80000"), None);
    // Order is kept, and serialization gives it back.
    let keys: Vec<&str> = metadata.iter().take(3).map(|(k, _)| k).collect();
    assert_eq!(keys, ["k0", "k1", "k2"]);
    let started = Instant::now();
    let json = serde_json::to_string(metadata).unwrap();
    let again: Metadata = serde_json::from_str(&json).unwrap();
    assert!(started.elapsed() < QUICK, "took {:?}", started.elapsed());
    assert!(json.starts_with(r#"{"k0":"v0","k1":"v1","#));
    assert_eq!(&again, metadata);
}

#[test]
fn building_80000_metadata_params_is_linear_and_repeated_keys_keep_their_place() {
    let _timed = timed();
    let started = Instant::now();
    let mut param = MetadataParam::new();
    for i in 0..MANY {
        param.set(format!("k{i}"), "v");
    }
    // Setting a key again replaces its value in place.
    param.set("k0", "again");
    let metadata: Metadata = (0..MANY).map(|i| (format!("k{i}"), "v")).collect();
    let elapsed = started.elapsed();
    assert!(elapsed < QUICK, "took {elapsed:?}");
    assert_eq!(metadata.len(), MANY);

    let encoded = resource_core::form::to_string(&json!({ "m": param })).unwrap();
    assert!(
        encoded.starts_with("m[k0]=again&m[k1]=v&"),
        "{}",
        &encoded[..40]
    );
    assert_eq!(encoded.matches('&').count(), MANY - 1);
}

fn emulator() -> Emulator {
    let emulator = Emulator::new();
    register(&emulator);
    emulator
}

/// `POST /v1/file_links` with `body`, straight into the emulator (no client-side encoding).
fn post_file_links(emulator: &Emulator, body: &str) -> (u16, Value) {
    let headers = [
        ("Authorization".to_owned(), format!("Bearer {KEY}")),
        (
            "Content-Type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        ),
    ];
    let outgoing = emulator.handle(&Incoming {
        method: "POST",
        path: "/v1/file_links",
        query: "",
        headers: &headers,
        body: body.as_bytes(),
    });
    (
        outgoing.status,
        serde_json::from_slice(&outgoing.body).unwrap(),
    )
}

fn form_with_metadata(file: &str, count: usize) -> String {
    let mut body = format!("file={file}");
    for i in 0..count {
        write!(body, "&metadata[k{i}]=v{i}").unwrap();
    }
    body
}

#[test]
fn the_emulator_refuses_80000_metadata_keys_quickly_with_stripes_message() {
    let _timed = timed();
    let emulator = emulator();
    let file = add_file(&emulator, &FilePurpose::DisputeEvidence, "e.pdf", b"%PDF").unwrap();
    let body = form_with_metadata(file.id.as_str(), MANY);

    let started = Instant::now();
    let (status, answer) = post_file_links(&emulator, &body);
    let elapsed = started.elapsed();
    eprintln!("the emulator refusing {MANY} metadata keys: {elapsed:?}");
    assert!(elapsed < QUICK, "took {elapsed:?}");
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["error"]["type"], "invalid_request_error");
    assert_eq!(answer["error"]["param"], "metadata");
    assert_eq!(
        answer["error"]["message"],
        "Invalid metadata: metadata can have up to 50 keys, but you passed in 80000 keys."
    );
}

#[test]
fn fifty_metadata_keys_are_taken_and_the_51st_is_refused() {
    let emulator = emulator();
    let file = add_file(&emulator, &FilePurpose::DisputeEvidence, "e.pdf", b"%PDF").unwrap();

    let (status, answer) = post_file_links(&emulator, &form_with_metadata(file.id.as_str(), 50));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["metadata"].as_object().unwrap().len(), 50);

    let (status, answer) = post_file_links(&emulator, &form_with_metadata(file.id.as_str(), 51));
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["error"]["param"], "metadata");
    assert_eq!(
        answer["error"]["message"],
        "Invalid metadata: metadata can have up to 50 keys, but you passed in 51 keys."
    );

    // Unsetting keys (`metadata[k]=`) does not count towards the limit of a request.
    let mut body = form_with_metadata(file.id.as_str(), 50);
    for i in 50..120 {
        write!(body, "&metadata[k{i}]=").unwrap();
    }
    let (status, answer) = post_file_links(&emulator, &body);
    assert_eq!(status, 200, "{answer}");
}

#[test]
fn through_the_client_80000_metadata_keys_are_refused_by_the_emulator_quickly() {
    let _timed = timed();
    let emulator = emulator();
    let file = add_file(&emulator, &FilePurpose::DisputeEvidence, "e.pdf", b"%PDF").unwrap();
    let client = emulator.client(KEY).unwrap();

    let started = Instant::now();
    let mut params = CreateFileLink::new(file.id.as_str());
    for i in 0..MANY {
        params = params.metadata(format!("k{i}"), "v");
    }
    let error = FileLink::create(&client, &params).unwrap_err();
    let elapsed = started.elapsed();
    eprintln!("building, sending and refusing {MANY} metadata keys in process: {elapsed:?}");
    assert!(elapsed < QUICK, "took {elapsed:?}");
    assert_eq!(
        (error.kind(), error.status(), error.param()),
        (ErrorKind::InvalidRequest, Some(400), Some("metadata")),
        "{error}"
    );

    // The same limit on an update.
    let link = FileLink::create(&client, &CreateFileLink::new(file.id.as_str())).unwrap();
    let mut update = UpdateFileLink::new();
    for i in 0..51 {
        update = update.metadata(format!("k{i}"), "v");
    }
    let error = FileLink::update(&client, &link.id, &update).unwrap_err();
    assert_eq!(error.param(), Some("metadata"), "{error}");
}

#[test]
fn decode_params_refuses_more_than_50_metadata_keys_before_building_a_tree() {
    let _timed = timed();
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Params {
        #[serde(default)]
        metadata: MetadataParam,
    }
    let pairs: Vec<(String, String)> = (0..MANY)
        .map(|i| (format!("metadata[k{i}]"), format!("v{i}")))
        .collect();
    let started = Instant::now();
    let rejection = resource_emulator::decode::decode_params::<Params>(&pairs).unwrap_err();
    assert!(started.elapsed() < QUICK, "took {:?}", started.elapsed());
    assert_eq!(
        (rejection.status, rejection.param.as_deref()),
        (400, Some("metadata")),
        "{rejection:?}"
    );

    // A free-form hash that is no metadata (so not limited to 50 keys; a nested `[metadata]`
    // is) still decodes in linear time.
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Nested {
        #[serde(default)]
        data: std::collections::BTreeMap<String, Metadata>,
    }
    let pairs: Vec<(String, String)> = (0..MANY / 2)
        .map(|i| (format!("data[labels][k{i}]"), format!("v{i}")))
        .collect();
    let started = Instant::now();
    let decoded = resource_emulator::decode::decode_params::<Nested>(&pairs).unwrap();
    let elapsed = started.elapsed();
    eprintln!("decoding {} nested free-form keys: {elapsed:?}", MANY / 2);
    assert!(elapsed < QUICK, "took {elapsed:?}");
    assert_eq!(
        decoded["data"]["labels"].as_object().unwrap().len(),
        MANY / 2
    );
}

#[test]
fn request_options_debug_shows_header_names_but_no_value() {
    let options = RequestOptions::new()
        .header("Authorization", format!("Bearer {KEY}"))
        .header("X-Custom", "visible-value-123")
        .idempotency_key("order-1");
    let shown = format!("{options:?}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(!shown.contains("visible-value-123"), "{shown}");
    assert!(
        shown.contains("Authorization") && shown.contains("X-Custom"),
        "{shown}"
    );
    let shown = format!("{options:#?}");
    assert!(!shown.contains(KEY) && !shown.contains("visible-value-123"));

    let transport = InProcess::new(|_| json_response(200, &json!({})));
    let derived = client(&transport).with_options(options);
    let shown = format!("{derived:?}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(!shown.contains("visible-value-123"), "{shown}");
}

#[test]
fn an_id_too_long_for_a_url_is_invalid_input_and_nothing_is_sent() {
    let transport = InProcess::new(|_| json_response(200, &openapi_fixture("file_link")));
    let client = client(&transport);
    let long = format!("link_{}", "a".repeat(70 * 1024));

    // Parsed: refused by the id syntax.
    let error = long.parse::<FileLinkId>().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert!(error.to_string().len() < 500, "the error quotes an excerpt");

    // Decoded (leniently, as from a response): refused when it would go into a path.
    let id: FileLinkId = serde_json::from_value(json!(long)).unwrap();
    let error = FileLink::retrieve(&client, &id).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
    assert!(error.to_string().len() < 500, "{}", error.to_string().len());
    let error = FileLink::update(&client, &id, &UpdateFileLink::new()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");

    // Every path placeholder, through `call` and `path::fill`.
    const VERIFY: Operation = Operation::new(
        "verify",
        Method::Post,
        "/v1/customers/{customer}/sources/{id}/verify",
    );
    let error = client
        .call::<Value, _>(&VERIFY, &["cus_1", &long], &json!({}))
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
    let error = client
        .call::<Value, _>(&VERIFY, &[&long, "ba_1"], &json!({}))
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
    let error = path::fill("/v1/x/{id}", &[&long]).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);

    assert!(transport.requests().is_empty(), "nothing was sent");

    // The longest id allowed still goes out, percent-encoded or not.
    let longest = format!("link_{}", "b".repeat(MAX_ID_LEN - 5));
    let id: FileLinkId = longest.parse().unwrap();
    FileLink::retrieve(&client, &id).unwrap();
    assert!(path::fill("/v1/x/{id}", &[&"b".repeat(MAX_ID_LEN + 1)]).is_err());
    assert_eq!(transport.requests().len(), 1);
}
