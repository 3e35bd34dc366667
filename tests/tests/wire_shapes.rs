//! Wire conformance for the shapes beyond File Links: every case of the official SDKs' recorded
//! traffic in `fixtures/shapes/official-sdk-shapes.jsonl` (stripe-python 16.1.0 and stripe-node
//! 23.1.0: actions, a nested resource, search, a singleton, a nested singleton, a `DELETE` with
//! parameters, a binary answer) is replayed with the resources of `common-resources` through the
//! real `UreqTransport`, against two recording servers on 127.0.0.1 (the API host and the files
//! host). Compared request by request: method, path, host, decoded query and body pairs in
//! order, whether an idempotency key and a content type were sent; then the ids returned.
//!
//! The servers answer as the capture's did, with Stripe's example objects
//! (`fixtures/shapes/objects.json`, ids set from the request), except where noted in `answer`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a broken fixture fails loudly"
)]

use std::sync::{Arc, Mutex};

use common_resources::{
    Balance, CancelPaymentIntent, CancelSubscription, CapturePaymentIntent, ConfirmPaymentIntent,
    CreateCustomerBalanceTransaction, Customer, CustomerBalanceTransaction, Discount,
    ListCustomerBalanceTransactions, PaymentIntent, Quote, Subscription,
};
use resource_core::{Client, Error, RetrieveParams, SearchParams};
use serde_json::{Value, json};
use tests::{Recorded, RecordingServer, Reply, decode_form};

const CASES: &str = include_str!("../fixtures/shapes/official-sdk-shapes.jsonl");
const OBJECTS: &str = include_str!("../fixtures/shapes/objects.json");

const SEARCH_QUERY: &str = "email:'jenny@example.com' AND metadata['order_id']:'6735'";

/// Cases not replayed, with the reason; every other case of the file is.
const SKIPPED: &[(&str, &str, &str)] = &[(
    "binary_pdf",
    "stripe-node",
    "stripe-node has one host setting: given a custom host it sends the PDF there, not to the \
     files host (replayed instead: binary_pdf_default_hosts, where it picks files.stripe.com)",
)];

/// Where we differ from one of the SDKs on purpose; asserted below, case by case.
///
/// - stripe-node sends `Content-Type: application/x-www-form-urlencoded` on every GET and DELETE;
///   we send none where there is no body, like stripe-python (DESIGN 5.1).
/// - stripe-python percent-encodes `[` and `]` in a query string (urllib3 re-encodes them),
///   stripe-node sends them literally, as we do; a space is `+` in python, `%20` in node, `+`
///   here. The decoded pairs are the same, which is what is compared.
/// - The SDKs' pdf methods answer a stream, as ours does (`Download`, a `Read`).
#[derive(Debug, PartialEq)]
enum Outcome {
    One(String),
    Many(Vec<String>),
    Object(String),
    Bytes(usize),
}

fn objects() -> Value {
    serde_json::from_str(OBJECTS).unwrap()
}

/// Stripe's example object of `kind` with `fields` set.
fn example(kind: &str, fields: &Value) -> Value {
    let mut object = objects()[kind].clone();
    for (key, value) in fields.as_object().unwrap() {
        object[key] = value.clone();
    }
    object
}

fn pairs(raw: &str) -> Vec<(String, String)> {
    decode_form(raw)
}

/// What the recording servers answer, the same as `scripts/shapes/server.py`.
fn answer(request: &Recorded) -> Reply {
    let path = request.path();
    let query = pairs(request.query());
    let param = |key: &str| {
        query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let segments: Vec<&str> = path.split('/').collect();
    let json = |body: Value| Reply::json(200, &body).header("Request-Id", "req_replay");
    match (request.method.as_str(), segments.as_slice()) {
        ("POST", ["", "v1", "payment_intents", id, _action]) => {
            json(example("payment_intent", &json!({"id": id})))
        }
        ("POST", ["", "v1", "customers", customer, "balance_transactions"]) => json(example(
            "customer_balance_transaction",
            &json!({"customer": customer}),
        )),
        ("GET", ["", "v1", "customers", customer, "balance_transactions", id]) => json(example(
            "customer_balance_transaction",
            &json!({"id": id, "customer": customer}),
        )),
        ("GET", ["", "v1", "customers", customer, "balance_transactions"]) => {
            let all = ["cbtxn_1", "cbtxn_2", "cbtxn_3", "cbtxn_4", "cbtxn_5"];
            let start = param("starting_after")
                .and_then(|after| all.iter().position(|id| *id == after))
                .map_or(0, |at| at + 1);
            let limit: usize = param("limit").unwrap_or("10").parse().unwrap();
            let page = &all[start..(start + limit).min(all.len())];
            let data: Vec<Value> = page
                .iter()
                .map(|id| {
                    example(
                        "customer_balance_transaction",
                        &json!({"id": id, "customer": customer}),
                    )
                })
                .collect();
            json(
                json!({"object": "list", "url": path, "has_more": start + limit < all.len(), "data": data}),
            )
        }
        ("GET", ["", "v1", "customers", "search"]) => {
            let (ids, next): (&[&str], Value) = match param("page") {
                None => (&["cus_1", "cus_2"], json!("page_2")),
                Some("page_2") => (&["cus_3", "cus_4"], json!("page_3")),
                Some("page_3") => (&["cus_5"], Value::Null),
                Some(other) => panic!("unknown page {other}"),
            };
            let data: Vec<Value> = ids
                .iter()
                .map(|id| example("customer", &json!({"id": id, "email": "jenny@example.com"})))
                .collect();
            json(json!({
                "object": "search_result", "url": path, "has_more": !next.is_null(),
                "next_page": next, "data": data,
            }))
        }
        ("GET", ["", "v1", "balance"]) => json(example("balance", &json!({}))),
        // Stripe answers a cancel with the canceled subscription (the capture server answered
        // a deleted form, which only the SDKs' untyped objects read).
        ("DELETE", ["", "v1", "subscriptions", id]) => json(example(
            "subscription",
            &json!({"id": id, "status": "canceled"}),
        )),
        ("DELETE", ["", "v1", "customers", _, "discount"]) => {
            let id = objects()["discount"]["id"].clone();
            json(json!({"id": id, "object": "discount", "deleted": true}))
        }
        ("GET", ["", "v1", "quotes", _, "pdf"]) => Reply {
            status: 200,
            headers: vec![
                ("Content-Type".into(), "application/pdf".into()),
                ("Request-Id".into(), "req_replay".into()),
            ],
            body: b"%PDF-1.7 ok\n".to_vec(),
        },
        _ => Reply::json(
            404,
            &json!({"error": {"type": "invalid_request_error", "message": format!("no route {path}")}}),
        ),
    }
}

fn id_of<T: serde::Serialize>(object: &T) -> String {
    serde_json::to_value(object).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn one<T: serde::Serialize>(result: Result<T, Error>) -> Outcome {
    Outcome::One(id_of(&result.unwrap()))
}

fn many<T: serde::Serialize>(results: impl Iterator<Item = Result<T, Error>>) -> Outcome {
    Outcome::Many(results.map(|r| id_of(&r.unwrap())).collect())
}

/// Replays the SDK call of `case` in Rust.
fn call(case: &str, client: &Client) -> Outcome {
    let intent = "pi_123".parse().unwrap();
    let customer = "cus_123".parse().unwrap();
    match case {
        "action_confirm" => one(PaymentIntent::confirm(
            client,
            &intent,
            &ConfirmPaymentIntent {
                payment_method: Some("pm_card_visa".into()),
                return_url: Some("https://example.com/return".into()),
                metadata: [("order_id", "6735")].into_iter().collect(),
                expand: vec!["latest_charge".into()],
            },
        )),
        "action_capture" => one(PaymentIntent::capture(
            client,
            &intent,
            &CapturePaymentIntent {
                amount_to_capture: Some(500),
                ..Default::default()
            },
        )),
        "action_cancel" => one(PaymentIntent::cancel(
            client,
            &intent,
            &CancelPaymentIntent {
                cancellation_reason: Some("requested_by_customer".into()),
                ..Default::default()
            },
        )),
        "nested_create" => one(CustomerBalanceTransaction::create(
            client,
            &customer,
            &CreateCustomerBalanceTransaction {
                description: Some("Refund for order 6735".into()),
                metadata: [("order_id", "6735")].into_iter().collect(),
                ..CreateCustomerBalanceTransaction::new(-500, "usd")
            },
        )),
        "nested_retrieve" => one(CustomerBalanceTransaction::retrieve(
            client,
            &customer,
            &"cbtxn_123".parse().unwrap(),
        )),
        "nested_retrieve_expand" => one(CustomerBalanceTransaction::retrieve_with(
            client,
            &customer,
            &"cbtxn_123".parse().unwrap(),
            &RetrieveParams::new().expand("invoice"),
        )),
        "nested_list_autopaging" => many(CustomerBalanceTransaction::paginate(
            client,
            &customer,
            &ListCustomerBalanceTransactions {
                limit: Some(2),
                ..Default::default()
            },
        )),
        "search_autopaging" => many(Customer::search_paginate(
            client,
            &SearchParams::new(SEARCH_QUERY).limit(2),
        )),
        "singleton_retrieve" => Outcome::Object(Balance::retrieve(client).unwrap().object),
        "delete_with_params" => one(Subscription::cancel(
            client,
            &"sub_123".parse().unwrap(),
            &CancelSubscription {
                invoice_now: Some(true),
                prorate: Some(false),
                ..Default::default()
            },
        )),
        "nested_singleton_delete" => one(Discount::delete(client, &customer)),
        "binary_pdf" | "binary_pdf_default_hosts" => {
            let mut pdf = Quote::pdf(client, &"qt_123".parse().unwrap()).unwrap();
            assert_eq!(pdf.content_type(), Some("application/pdf"));
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut pdf, &mut bytes).unwrap();
            Outcome::Bytes(bytes.len())
        }
        other => panic!("no replay for case {other}"),
    }
}

/// What the SDK returned, in the terms of `Outcome`.
fn expected(case: &Value) -> Outcome {
    let outcome = &case["outcome"];
    if let Some(ids) = outcome["returned_ids"].as_array() {
        return Outcome::Many(
            ids.iter()
                .map(|id| id.as_str().unwrap().to_owned())
                .collect(),
        );
    }
    if let Some(id) = outcome["returned_id"].as_str() {
        return Outcome::One(id.to_owned());
    }
    if let Some(len) = outcome["bytes_length"].as_u64() {
        return Outcome::Bytes(usize::try_from(len).unwrap());
    }
    Outcome::Object(outcome["returned_object"].as_str().unwrap().to_owned())
}

fn pairs_of(value: &Value) -> Vec<(String, String)> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            (
                pair[0].as_str().unwrap().to_owned(),
                pair[1].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn official_sdk_shapes_replay() {
    let mut replayed = 0;
    for line in CASES.lines() {
        let case: Value = serde_json::from_str(line).unwrap();
        let name = case["case"].as_str().unwrap();
        let sdk = case["sdk"].as_str().unwrap();
        if SKIPPED
            .iter()
            .any(|(skip, skip_sdk, _)| *skip == name && sdk.starts_with(skip_sdk))
        {
            continue;
        }
        let hosts: Arc<Mutex<Vec<&str>>> = Arc::default();
        let api = {
            let hosts = Arc::clone(&hosts);
            RecordingServer::start(move |request| {
                hosts.lock().unwrap().push("api");
                answer(request)
            })
        };
        let files = {
            let hosts = Arc::clone(&hosts);
            RecordingServer::start(move |request| {
                hosts.lock().unwrap().push("files");
                answer(request)
            })
        };
        let client = Client::builder("sk_test_123")
            .base_url(api.base_url())
            .files_base_url(files.base_url())
            .max_network_retries(0)
            .build()
            .unwrap();
        let outcome = call(name, &client);
        assert_eq!(outcome, expected(&case), "{name} ({sdk}): outcome");

        let ours: Vec<Recorded> = {
            let hosts = hosts.lock().unwrap();
            let (mut api, mut files) = (api.requests().into_iter(), files.requests().into_iter());
            hosts
                .iter()
                .map(|host| match *host {
                    "api" => api.next().unwrap(),
                    _ => files.next().unwrap(),
                })
                .collect()
        };
        let theirs = case["requests"].as_array().unwrap();
        assert_eq!(ours.len(), theirs.len(), "{name} ({sdk}): request count");
        for (index, (ours, theirs)) in ours.iter().zip(theirs).enumerate() {
            let at = format!("{name} ({sdk}), request {index}");
            assert_eq!(
                ours.method,
                theirs["method"].as_str().unwrap(),
                "{at}: method"
            );
            assert_eq!(ours.path(), theirs["path"].as_str().unwrap(), "{at}: path");
            assert_eq!(
                hosts.lock().unwrap()[index],
                theirs["host_used"].as_str().unwrap(),
                "{at}: host"
            );
            assert_eq!(
                pairs(ours.query()),
                pairs_of(&theirs["query_pairs"]),
                "{at}: query"
            );
            assert_eq!(
                pairs(ours.body_str()),
                pairs_of(&theirs["body_pairs"]),
                "{at}: body"
            );
            let sent = |name: &str| theirs["headers"].get(name).is_some();
            assert_eq!(
                ours.header("Idempotency-Key").is_some(),
                sent("Idempotency-Key"),
                "{at}: Idempotency-Key"
            );
            // A content type exactly where there is a body (stripe-node also sends one on
            // GET and DELETE; see the differences above).
            let post = ours.method == "POST";
            assert_eq!(ours.header("Content-Type").is_some(), post, "{at}");
            if post || sdk.starts_with("stripe-python") {
                assert_eq!(
                    ours.header("Content-Type").is_some(),
                    sent("Content-Type"),
                    "{at}: Content-Type"
                );
            }
            assert_eq!(ours.header("Authorization"), Some("Bearer sk_test_123"));
        }
        replayed += 1;
    }
    // 12 python and 13 node cases, one skipped.
    assert_eq!(replayed, 24);
}

/// The query the search sends, byte for byte: `'`, `:`, `@` escaped as both SDKs do, space as
/// `+` (python; node writes `%20`), brackets literal (node; python's urllib3 writes `%5B`).
#[test]
fn the_search_query_on_the_wire() {
    let server = RecordingServer::start(answer);
    let client = Client::builder("sk_test_123")
        .base_url(server.base_url())
        .build()
        .unwrap();
    let page = Customer::search(&client, &SearchParams::new(SEARCH_QUERY).limit(2)).unwrap();
    assert_eq!(page.next_page.as_deref(), Some("page_2"));
    assert_eq!(
        server.requests()[0].url,
        "/v1/customers/search?query=email%3A%27jenny%40example.com%27+AND+metadata[%27order_id%27]%3A%276735%27&limit=2"
    );
}
