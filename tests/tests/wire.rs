//! Wire conformance: every case of Stripe's official SDKs' recorded File Links traffic
//! (`fixtures/official-sdk-wire-vectors.jsonl`, stripe-python 16.1.0 and stripe-node 23.1.0) is
//! replayed through the real `UreqTransport` against a recording server on 127.0.0.1, and what we
//! send is compared request by request: method, path, decoded query and body pairs in order, and
//! the Stripe headers. Then the outcome (ids returned, or the error's kind, status, code, request
//! id) is compared with what the SDK returned.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a broken fixture fails loudly"
)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use file_link::{CreateFileLink, FileLink, FileLinkId, ListFileLinks, UpdateFileLink};
use resource_core::{
    Client, DEFAULT_API_VERSION, Error, ErrorKind, ExpiresAt, RangeQuery, RequestOptions,
    RetrieveParams,
};
use serde_json::{Value, json};
use tests::{Recorded, RecordingServer, Reply, decode_form, openapi_fixture};

const VECTORS: &str = include_str!("../fixtures/official-sdk-wire-vectors.jsonl");

/// The API version the SDKs pin by default; where a vector shows it, we send ours instead.
const SDK_DEFAULT_VERSION: &str = "2026-10-28.endive";

/// Cases not replayed, with the reason. Everything else in the file is replayed.
const SKIPPED: &[(&str, &str, &str)] = &[
    (
        "retrieve_empty_id",
        "stripe-python",
        "stripe-python sends GET /v1/file_links/ (the list endpoint); we refuse the empty id before sending \
         (asserted by retrieve_empty_id_is_refused_before_sending)",
    ),
    (
        "retry_default_client_500_always",
        "stripe-python",
        "stripe-python's StripeClient defaults to 0 retries; DESIGN 5.4 (and stripe-node, replayed) default to 2",
    ),
];

/// Cases whose caller passed parameters in another order than our params structs declare them.
/// The SDKs keep the caller's dict order; we send declaration order (DESIGN 5.1), so for these the
/// SDK's pairs are compared after a stable sort into our order. Every other case is compared as is.
const REORDERED: &[&str] = &[
    "create_key_order",
    "list_created_int_and_expand",
    "list_autopaging_forward_with_filters",
    "list_autopaging_backward",
    "legacy_list_filters_autopaging",
];

/// Our declaration order of top-level parameters (params structs, DESIGN section 6).
const PARAM_ORDER: &[&str] = &[
    "created",
    "ending_before",
    "expired",
    "file",
    "expires_at",
    "metadata",
    "limit",
    "starting_after",
    "expand",
];

#[derive(Debug, PartialEq)]
enum Outcome {
    One(String),
    Many(Vec<String>),
    Failed {
        kind: ErrorKind,
        status: Option<u16>,
        code: Option<String>,
        request_id: Option<String>,
        message: Option<String>,
    },
}

fn outcome<T>(result: Result<T, Error>, ids: impl FnOnce(T) -> Outcome) -> Outcome {
    match result {
        Ok(value) => ids(value),
        Err(e) => Outcome::Failed {
            kind: e.kind(),
            status: e.status(),
            code: e.code().map(str::to_owned),
            request_id: e.request_id().map(str::to_owned),
            message: e.message().map(str::to_owned),
        },
    }
}

fn one(link: FileLink) -> Outcome {
    Outcome::One(link.id.to_string())
}

fn many(links: Vec<FileLink>) -> Outcome {
    Outcome::Many(links.into_iter().map(|l| l.id.to_string()).collect())
}

fn paginate(client: &Client, params: &ListFileLinks) -> Outcome {
    outcome(
        FileLink::paginate(client, params).collect::<Result<Vec<_>, _>>(),
        many,
    )
}

/// An id as a response would carry it: decoding never checks the prefix or charset.
fn decoded_id(raw: &str) -> FileLinkId {
    serde_json::from_value(json!(raw)).unwrap()
}

fn id(raw: &str) -> FileLinkId {
    raw.parse().unwrap()
}

/// Replays the SDK call of `case` in Rust.
fn call(case: &str, sdk: &str, client: &Client, explicit_key: Option<&str>) -> Outcome {
    let full = || {
        CreateFileLink::new("file_123")
            .expires_at(1_700_000_000)
            .metadata("order_id", "6735")
            .metadata("a b", "c&d=e")
            .expand("file")
    };
    let keyed = |key: &str| client.with_options(RequestOptions::new().idempotency_key(key));
    let options = |key: &str| {
        client.with_options(
            RequestOptions::new()
                .stripe_account("acct_123")
                .idempotency_key(key)
                .api_version("2024-06-20"),
        )
    };
    let create = |c: &Client, p: &CreateFileLink| outcome(FileLink::create(c, p), one);
    let retrieve = |c: &Client, id: &FileLinkId| outcome(FileLink::retrieve(c, id), one);
    let update =
        |id: &FileLinkId, p: &UpdateFileLink| outcome(FileLink::update(client, id, p), one);
    let list = |p: &ListFileLinks| outcome(FileLink::list(client, p), |page| many(page.data));
    let expand_file = RetrieveParams::new().expand("file");
    let created_range = RangeQuery::new().gte(1_680_000_000).lt(1_690_000_000);
    match case {
        "create_file_only"
        | "retry_500_then_200_post"
        | "retry_500_always_post"
        | "retry_default_client_500_always"
        | "retry_zero_500"
        | "retry_429"
        | "retry_429_should_retry_true"
        | "retry_500_should_retry_false" => create(client, &CreateFileLink::new("file_123")),
        "retry_500_then_200_post_explicit_key" => create(
            &keyed(explicit_key.unwrap()),
            &CreateFileLink::new("file_123"),
        ),
        "create_full" | "urllib_transport_create_full" | "legacy_create_full" => {
            create(client, &full())
        }
        "create_special_chars" => create(
            client,
            &CreateFileLink::new("file_123")
                .metadata("k~*-._", "ü €/+?#[]@!$'()*,;:")
                .metadata("x[y]", "1")
                .expand("file")
                .expand("file.links"),
        ),
        "create_key_order" => create(
            client,
            &CreateFileLink::new("file_123")
                .expires_at(1_700_000_000)
                .metadata("z", "1")
                .metadata("a", "2")
                .expand("file"),
        ),
        "create_none_and_bool" => {
            let params = CreateFileLink::new("file_123")
                .metadata("flag", "true")
                .metadata("n", "0");
            // stripe-node sends `null` as an empty value: the same as unsetting the key.
            let params = if sdk == "stripe-node" {
                params.metadata("nul", "")
            } else {
                params
            };
            create(client, &params)
        }
        "create_with_request_options" | "legacy_options" => create(
            &options(explicit_key.unwrap()),
            &CreateFileLink::new("file_123"),
        ),
        "retrieve" | "retry_500_then_200_get" => retrieve(client, &id("link_123")),
        "retrieve_expand" | "legacy_retrieve_expand" => outcome(
            FileLink::retrieve_with(client, &id("link_123"), &expand_file),
            one,
        ),
        "retrieve_odd_id" | "legacy_retrieve_odd_id" => retrieve(client, &decoded_id("link_a/b?c")),
        "retrieve_odd_id_2" => retrieve(client, &decoded_id("link a+b%c&d=é#~")),
        "retrieve_with_request_options" => {
            retrieve(&options(explicit_key.unwrap()), &id("link_123"))
        }
        "custom_headers_option" => retrieve(
            &client.with_options(RequestOptions::new().header("X-Custom", "1")),
            &id("link_123"),
        ),
        "error_404" => retrieve(client, &id("link_x")),
        "update_metadata" => update(
            &id("link_123"),
            &UpdateFileLink::new().metadata("order_id", "6735"),
        ),
        "update_expires_now" | "retry_409_should_retry_true" | "retry_409_plain" => update(
            &id("link_123"),
            &UpdateFileLink::new().expires_at(ExpiresAt::Now),
        ),
        "update_odd_id" => update(
            &decoded_id("link_a/b?c"),
            &UpdateFileLink::new().expires_at(ExpiresAt::Now),
        ),
        "update_unset_metadata_key" => update(
            &id("link_123"),
            &UpdateFileLink::new().unset_metadata("order_id"),
        ),
        "update_unset_all_metadata" | "legacy_modify_unset_all" => {
            update(&id("link_123"), &UpdateFileLink::new().clear_metadata())
        }
        "update_no_params" => update(&id("link_123"), &UpdateFileLink::new()),
        "legacy_instance_save" => {
            let link = FileLink::retrieve(client, &id("link_123")).unwrap();
            update(
                &link.id,
                &UpdateFileLink::new().metadata("order_id", "6735"),
            )
        }
        "list_no_params" => list(&ListFileLinks::new()),
        "list_limit" | "retry_429_retry_after" => list(&ListFileLinks::new().limit(3)),
        "client_level_account_and_version" => list(&ListFileLinks::new().limit(1)),
        "list_filters" => list(
            &ListFileLinks::new()
                .created(created_range)
                .expired(false)
                .file("file_123"),
        ),
        "list_created_int_and_expand" => list(
            &ListFileLinks::new()
                .created(1_680_000_000)
                .expired(true)
                .expand("data.file")
                .limit(100),
        ),
        "urllib_transport_list_filters" => list(
            &ListFileLinks::new()
                .created(created_range)
                .expired(false)
                .file("file_123")
                .expand("data.file"),
        ),
        "list_autopaging_forward" => paginate(client, &ListFileLinks::new().limit(2)),
        "list_autopaging_forward_with_filters" => paginate(
            client,
            &ListFileLinks::new()
                .limit(2)
                .created(RangeQuery::new().gte(1_680_000_000))
                .expired(false)
                .expand("data.file"),
        ),
        "list_autopaging_backward" => paginate(
            client,
            &ListFileLinks::new().limit(2).ending_before("link_start"),
        ),
        "list_autopaging_starting_after" => paginate(
            client,
            &ListFileLinks::new().limit(2).starting_after("link_start"),
        ),
        "legacy_list_filters_autopaging" => paginate(
            client,
            &ListFileLinks::new()
                .limit(2)
                .created(created_range)
                .expired(false)
                .file("file_123"),
        ),
        other => panic!("no Rust call for case {other}"),
    }
}

fn link_json(id: &str) -> Value {
    let mut link = openapi_fixture("file_link");
    link["id"] = json!(id);
    link
}

fn page(ids: &[&str], has_more: bool) -> Value {
    json!({"object": "list", "url": "/v1/file_links", "has_more": has_more, "data": ids.iter().map(|id| link_json(id)).collect::<Vec<_>>()})
}

/// The error body and request id the SDK received in an error case.
fn error_reply(outcome: &Value) -> (Value, String) {
    let request_id = outcome
        .get("request_id")
        .or_else(|| outcome.get("requestId"))
        .and_then(Value::as_str)
        .unwrap_or("req_test");
    let body = outcome.get("json_body").cloned().unwrap_or_else(|| {
        let mut error = json!({"type": outcome["rawType"], "message": outcome["message"]});
        for field in ["code", "param"] {
            if let Some(value) = outcome.get(field) {
                error[field] = value.clone();
            }
        }
        json!({ "error": error })
    });
    (body, request_id.to_owned())
}

/// The server side of a case: stripe-mock-like answers, or the scripted failure modes.
fn server_for(mode: &str, outcome: &Value) -> RecordingServer {
    let mode = mode.to_owned();
    let (error_body, request_id) = error_reply(outcome);
    let mut count = 0;
    RecordingServer::start(move |request: &Recorded| {
        count += 1;
        let ok = || {
            let path = request.path();
            if request.method == "GET" && path == "/v1/file_links" || path == "/v1/file_links/" {
                Reply::json(200, &page(&["link_1Mr23jLkdIwHu7ix65betcoo"], false))
            } else if request.method == "GET" {
                let raw = path.trim_start_matches("/v1/file_links/");
                Reply::json(200, &link_json(&tests::percent_decode(raw, false)))
            } else {
                Reply::json(200, &link_json("link_1Mr23jLkdIwHu7ix65betcoo"))
            }
        };
        let error = |status| Reply::json(status, &error_body).header("Request-Id", &request_id);
        match (mode.as_str(), count) {
            ("normal", _) => ok(),
            ("paginate", 1) => Reply::json(200, &page(&["link_p1_a", "link_p1_b"], true)),
            ("paginate", _) => Reply::json(200, &page(&["link_p2_a"], false)),
            ("500_then_200", 1) => error(500),
            ("500_always", _) => error(500),
            ("500_should_retry_false", _) => error(500).header("Stripe-Should-Retry", "false"),
            ("409_should_retry", 1) => error(409).header("Stripe-Should-Retry", "true"),
            ("409_plain", 1) => error(409),
            ("429", _) => error(429),
            ("429_retry_after", _) => error(429).header("Retry-After", "1"),
            ("429_should_retry", 1) => error(429).header("Stripe-Should-Retry", "true"),
            ("404", _) => error(404),
            _ => ok(),
        }
    })
}

fn retries_in(call: &str) -> Option<u32> {
    ["max_network_retries=", "maxNetworkRetries: "]
        .iter()
        .find_map(|marker| call.split(marker).nth(1))
        .and_then(|rest| {
            rest.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .ok()
        })
}

/// `pairs` in our declaration order; a cursor the paginator appended (absent from the first
/// request) stays last.
fn in_declaration_order(
    pairs: &[(String, String)],
    appended_cursor: Option<&str>,
) -> Vec<(String, String)> {
    let rank = |key: &str| {
        let top = key.split('[').next().unwrap_or(key);
        if Some(top) == appended_cursor {
            usize::MAX
        } else {
            PARAM_ORDER.iter().position(|p| *p == top).expect(key)
        }
    };
    let mut sorted = pairs.to_vec();
    sorted.sort_by_key(|(key, _)| rank(key));
    sorted
}

fn expected_outcome(sdk_outcome: &Value, server_error: &Value) -> Option<Outcome> {
    if let Some(ids) = sdk_outcome
        .get("returned")
        .or_else(|| sdk_outcome.get("returned_data_ids"))
    {
        return Some(Outcome::Many(
            ids.as_array()?
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect(),
        ));
    }
    if let Some(id) = sdk_outcome.get("returned_id").and_then(Value::as_str) {
        return Some(Outcome::One(id.to_owned()));
    }
    let class = sdk_outcome.get("exception_class")?.as_str()?;
    let kind = match class.rsplit(['.', ' ']).next()? {
        "APIError" | "StripeAPIError" => ErrorKind::Api,
        "RateLimitError" | "StripeRateLimitError" => ErrorKind::RateLimit,
        "InvalidRequestError" | "StripeInvalidRequestError" => ErrorKind::InvalidRequest,
        other => panic!("unmapped exception {other}"),
    };
    let status = sdk_outcome
        .get("http_status")
        .or_else(|| sdk_outcome.get("statusCode"))
        .and_then(Value::as_u64);
    let request_id = sdk_outcome
        .get("request_id")
        .or_else(|| sdk_outcome.get("requestId"))
        .and_then(Value::as_str);
    let error = &server_error["error"];
    Some(Outcome::Failed {
        kind,
        status: status.map(|s| u16::try_from(s).unwrap()),
        code: error.get("code").and_then(Value::as_str).map(str::to_owned),
        request_id: request_id.map(str::to_owned),
        message: error
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

fn is_uuid_v4(key: &str) -> bool {
    let groups: Vec<&str> = key.split('-').collect();
    groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && key
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c))
        && groups[2].starts_with('4')
}

/// Compares one of our requests with the SDK's; returns the differences, and whether the SDK's
/// pairs had to be put into our declaration order.
fn compare(
    case: &str,
    sdk: &str,
    index: usize,
    ours: &Recorded,
    theirs: &Value,
    first_key: Option<&str>,
    cursor: Option<&str>,
) -> (Vec<String>, bool) {
    let mut problems = Vec::new();
    let mut order_differs = false;
    let mut check = |what: &str, ours: String, theirs: String| {
        if ours != theirs {
            problems.push(format!(
                "{case} [{sdk}] request {index}: {what}: ours {ours:?}, theirs {theirs:?}"
            ));
        }
    };
    check(
        "method",
        ours.method.clone(),
        theirs["method"].as_str().unwrap().to_owned(),
    );
    // stripe-python writes a space in a path as `+`, which a server reads as a plus sign;
    // stripe-node and DESIGN 5.1 write `%20`.
    check(
        "path",
        ours.path().to_owned(),
        theirs["path"].as_str().unwrap().replace('+', "%20"),
    );

    let reordered = REORDERED.contains(&case);
    for (what, our_raw, key) in [
        ("query", ours.query(), "query_pairs"),
        ("body", ours.body_str(), "body_pairs"),
    ] {
        let their_pairs: Vec<(String, String)> =
            serde_json::from_value(theirs[key].clone()).unwrap();
        let expected = in_declaration_order(&their_pairs, cursor);
        order_differs |= expected != their_pairs;
        check(
            what,
            format!("{:?}", decode_form(our_raw)),
            format!("{expected:?}"),
        );
        // The raw bytes too, where the SDK's encoding is the one DESIGN 5.1 specifies (stripe-python's;
        // its default HTTP library escapes brackets in the query, which its urllib transport shows it does not).
        if sdk == "stripe-python" && !reordered {
            let raw = if what == "query" {
                theirs["query"].as_str().unwrap_or("")
            } else {
                theirs["body"].as_str().unwrap_or("")
            };
            check(
                &format!("raw {what}"),
                our_raw.to_owned(),
                raw.replace("%5B", "[").replace("%5D", "]"),
            );
        }
    }

    let header = |name: &str| {
        theirs["headers"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str().unwrap().to_owned())
    };
    let ours_header = |name: &str| ours.header(name).map(str::to_owned);
    check(
        "Authorization",
        format!("{:?}", ours_header("Authorization")),
        format!("{:?}", header("Authorization")),
    );
    // stripe-node sends a Content-Type on every request; stripe-python and DESIGN 5.1 none on GET.
    let content_type = if ours.method == "GET" {
        None
    } else {
        header("Content-Type")
    };
    check(
        "Content-Type",
        format!("{:?}", ours_header("Content-Type")),
        format!("{content_type:?}"),
    );
    check(
        "Stripe-Account",
        format!("{:?}", ours_header("Stripe-Account")),
        format!("{:?}", header("Stripe-Account")),
    );
    check(
        "X-Custom",
        format!("{:?}", ours_header("X-Custom")),
        format!("{:?}", header("X-Custom")),
    );
    let version = header("Stripe-Version").map(|v| {
        if v == SDK_DEFAULT_VERSION {
            DEFAULT_API_VERSION.to_owned()
        } else {
            v
        }
    });
    check(
        "Stripe-Version",
        format!("{:?}", ours_header("Stripe-Version")),
        format!("{version:?}"),
    );
    match (header("Idempotency-Key"), ours_header("Idempotency-Key")) {
        (None, ours) => check("Idempotency-Key", format!("{ours:?}"), "None".into()),
        (Some(theirs), Some(ours)) if theirs.contains("SAME value") => {
            check(
                "Idempotency-Key (same on retry)",
                ours,
                first_key.unwrap_or("").to_owned(),
            );
        }
        (Some(theirs), Some(ours)) if theirs.starts_with("<auto-idempotency-key") => {
            check(
                "Idempotency-Key is a UUID v4",
                is_uuid_v4(&ours).to_string(),
                "true".into(),
            );
        }
        (Some(theirs), ours) => check(
            "Idempotency-Key",
            format!("{ours:?}"),
            format!("{:?}", Some(theirs)),
        ),
    }
    let user_agent = ours_header("User-Agent").unwrap_or_default();
    check(
        "User-Agent names this library",
        user_agent
            .starts_with("Stripe/v1 RustResourceCore/")
            .to_string(),
        "true".into(),
    );
    let client_ua: Value =
        serde_json::from_str(&ours_header("X-Stripe-Client-User-Agent").unwrap_or_default())
            .unwrap_or(Value::Null);
    check(
        "X-Stripe-Client-User-Agent lang",
        client_ua["lang"].to_string(),
        "\"rust\"".into(),
    );
    check(
        "X-Stripe-Client-User-Agent bindings_version",
        client_ua["bindings_version"].to_string(),
        format!("\"{}\"", env!("CARGO_PKG_VERSION")),
    );
    (problems, order_differs)
}

#[test]
fn every_official_sdk_vector_is_replayed_byte_for_byte() {
    let cases: Vec<Value> = VECTORS
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(cases.len(), 80);
    let (mut replayed, mut skipped, mut problems) = (0, 0, Vec::new());
    for case in &cases {
        let name = case["case"].as_str().unwrap();
        let sdk = case["sdk"].as_str().unwrap().split(' ').next().unwrap();
        if SKIPPED.iter().any(|(n, s, _)| *n == name && *s == sdk) {
            skipped += 1;
            continue;
        }
        let requests = case["requests"].as_array().unwrap();
        let mode = case["server_mode"].as_str().unwrap();
        let server = server_for(mode, &case["outcome"]);
        let delays = Arc::new(Mutex::new(Vec::new()));
        let mut builder = Client::builder("sk_test_123")
            .base_url(server.base_url())
            .sleeper({
                let delays = Arc::clone(&delays);
                move |delay| delays.lock().unwrap().push(delay)
            });
        if let Some(retries) = retries_in(case["call"].as_str().unwrap()) {
            builder = builder.max_network_retries(retries);
        }
        if name == "client_level_account_and_version" {
            builder = builder.stripe_account("acct_123").api_version("2024-06-20");
        }
        let client = builder.build().unwrap();
        let explicit_key = requests[0]["headers"]["Idempotency-Key"]
            .as_str()
            .filter(|k| !k.starts_with('<'));
        let got = call(name, sdk, &client, explicit_key);
        let ours = server.requests();
        drop(server);

        if ours.len() != requests.len() {
            problems.push(format!(
                "{name} [{sdk}]: {} requests, theirs {}",
                ours.len(),
                requests.len()
            ));
            continue;
        }
        let first_key = ours[0].header("Idempotency-Key");
        // A cursor the caller did not give is appended by the paginator.
        let cursor = ["starting_after", "ending_before"]
            .into_iter()
            .find(|c| requests.len() > 1 && !requests[0]["query_pairs"].to_string().contains(c));
        let mut order_differs = false;
        for (index, (our, their)) in ours.iter().zip(requests).enumerate() {
            let (found, differs) = compare(name, sdk, index, our, their, first_key, cursor);
            problems.extend(found);
            order_differs |= differs;
        }
        if order_differs != REORDERED.contains(&name) {
            problems.push(format!(
                "{name} [{sdk}]: REORDERED must list exactly the cases whose order differs"
            ));
        }
        let (error_body, _) = error_reply(&case["outcome"]);
        let expected = expected_outcome(&case["outcome"], &error_body).unwrap();
        if got != expected {
            problems.push(format!(
                "{name} [{sdk}]: outcome {got:?}, expected {expected:?}"
            ));
        }
        let waits = delays.lock().unwrap().clone();
        if waits.len() + 1 != requests.len() && mode != "paginate" && name != "legacy_instance_save"
        {
            problems.push(format!(
                "{name} [{sdk}]: slept {} times for {} attempts",
                waits.len(),
                requests.len()
            ));
        }
        for wait in waits {
            if !(Duration::from_millis(500)..=Duration::from_secs(1)).contains(&wait) {
                problems.push(format!(
                    "{name} [{sdk}]: first retries wait 0.5 to 1 s, we waited {wait:?}"
                ));
            }
        }
        replayed += 1;
    }
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert_eq!((replayed, skipped), (80 - SKIPPED.len(), SKIPPED.len()));
}

/// stripe-python sends `retrieve("")` to `GET /v1/file_links/`, the list endpoint, and hands back
/// a list. We refuse an empty id before sending, whether parsed or decoded from a response.
#[test]
fn retrieve_empty_id_is_refused_before_sending() {
    let server = RecordingServer::start(|_| Reply::json(200, &page(&["link_1"], false)));
    let client = Client::builder("sk_test_123")
        .base_url(server.base_url())
        .build()
        .unwrap();
    assert_eq!(
        "".parse::<FileLinkId>().unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    for raw in ["", ".", ".."] {
        let error = FileLink::retrieve(&client, &decoded_id(raw)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{raw:?}");
    }
    assert!(server.requests().is_empty());
}
