//! The runtime behind every generated method, for the shapes beyond a top-level collection:
//! actions retry like any request, with one idempotency key; nested paths refuse ids that would
//! change the endpoint; the paginators work for any path, built from outside, and own their
//! cursors.
#![allow(clippy::unwrap_used, clippy::panic, reason = "test code")]

use common_resources::{
    CapturePaymentIntent, Customer, CustomerBalanceTransaction, CustomerBalanceTransactionId,
    CustomerId, ListCustomerBalanceTransactions, PaymentIntent,
};
use resource_core::{Client, ErrorKind, Method, Operation, Paginator, SearchParams};
use serde_json::json;
use tests::{InProcess, decode_form, json_response};

fn client(transport: &InProcess) -> Client {
    Client::builder("sk_test_123")
        .transport(transport.clone())
        .sleeper(|_| {})
        .build()
        .unwrap()
}

fn intent() -> serde_json::Value {
    json!({"id": "pi_1", "object": "payment_intent", "amount": 1000, "capture_method": "manual",
           "created": 1, "currency": "usd", "livemode": false, "status": "succeeded"})
}

#[test]
fn an_action_is_retried_byte_for_byte_with_one_idempotency_key() {
    let mut attempts = 0;
    let transport = InProcess::new(move |_| {
        attempts += 1;
        if attempts < 3 {
            json_response(500, &json!({"error": {"type": "api_error"}}))
        } else {
            json_response(200, &intent())
        }
    });
    let captured = PaymentIntent::capture(
        &client(&transport),
        &"pi_1".parse().unwrap(),
        &CapturePaymentIntent {
            amount_to_capture: Some(500),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(captured.status, "succeeded");
    let requests = transport.requests();
    assert_eq!(requests.len(), 3);
    let key = requests[0].header("Idempotency-Key").unwrap();
    for request in &requests {
        assert_eq!(
            request.url,
            "https://api.stripe.com/v1/payment_intents/pi_1/capture"
        );
        assert_eq!(request.header("Idempotency-Key"), Some(key));
        assert_eq!(request.body.as_bytes(), requests[0].body.as_bytes());
    }
    assert_eq!(
        requests[0].body.as_bytes(),
        Some(&b"amount_to_capture=500"[..])
    );
}

#[test]
fn a_parent_id_that_would_change_the_endpoint_is_refused_before_sending() {
    let transport = InProcess::new(|_| panic!("nothing may be sent"));
    let refusing = client(&transport);
    // Ids decoded from an answer are not checked, so the path is the last line of defence.
    for parent in ["", ".", ".."] {
        let parent: CustomerId = serde_json::from_value(json!(parent)).unwrap();
        let id: CustomerBalanceTransactionId = "cbtxn_1".parse().unwrap();
        let error = CustomerBalanceTransaction::retrieve(&refusing, &parent, &id).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{parent:?}");
    }
    // Anything else is one escaped segment.
    let transport = InProcess::new(|_| {
        json_response(404, &json!({"error": {"type": "invalid_request_error"}}))
    });
    let parent: CustomerId = serde_json::from_value(json!("cus_a/b?c")).unwrap();
    let _ = CustomerBalanceTransaction::retrieve(
        &client(&transport),
        &parent,
        &"cbtxn_1".parse().unwrap(),
    );
    assert_eq!(
        transport.requests()[0].url,
        "https://api.stripe.com/v1/customers/cus_a%2Fb%3Fc/balance_transactions/cbtxn_1"
    );
}

/// The same object at a second path takes the first declaration's id type.
#[derive(Debug, serde::Deserialize, resource_core::StripeResource)]
#[stripe(
    object = "payment_intent",
    path = "/v1/customers/{customer}/payment_intents",
    parents(customer = CustomerId),
    id = common_resources::PaymentIntentId,
    retrieve,
)]
struct CustomerPaymentIntent {
    id: common_resources::PaymentIntentId,
}

#[test]
fn a_second_path_to_an_object_takes_its_id_type() {
    let transport = InProcess::new(|_| json_response(200, &json!({"id": "pi_1"})));
    let id: common_resources::PaymentIntentId = "pi_1".parse().unwrap();
    let found =
        CustomerPaymentIntent::retrieve(&client(&transport), &"cus_1".parse().unwrap(), &id)
            .unwrap();
    assert_eq!(found.id, id);
    assert_eq!(
        transport.requests()[0].url,
        "https://api.stripe.com/v1/customers/cus_1/payment_intents/pi_1"
    );
}

fn txn(id: &str) -> serde_json::Value {
    json!({"id": id, "object": "customer_balance_transaction", "amount": -500, "created": 1,
           "currency": "usd", "customer": "cus_1", "ending_balance": -500, "livemode": false,
           "type": "adjustment"})
}

#[test]
fn a_nested_list_pages_with_cursors_its_params_do_not_declare() {
    let transport = InProcess::new(|request| {
        let query = request.url.split_once('?').map_or("", |(_, q)| q);
        let (data, more) = match query {
            "limit=2" => (vec![txn("cbtxn_1"), txn("cbtxn_2")], true),
            "limit=2&starting_after=cbtxn_2" => (vec![txn("cbtxn_3")], false),
            other => panic!("unexpected query {other}"),
        };
        json_response(
            200,
            &json!({"object": "list", "url": "/v1/customers/cus_1/balance_transactions", "has_more": more, "data": data}),
        )
    });
    let customer: CustomerId = "cus_1".parse().unwrap();
    let params = ListCustomerBalanceTransactions {
        limit: Some(2),
        ..Default::default()
    };
    let ids: Vec<String> =
        CustomerBalanceTransaction::paginate(&client(&transport), &customer, &params)
            .map(|txn| txn.unwrap().id.to_string())
            .collect();
    assert_eq!(ids, ["cbtxn_1", "cbtxn_2", "cbtxn_3"]);

    // The same from outside, for a path no declaration covers.
    const LINES: Operation = Operation::new(
        "lines",
        Method::Get,
        "/v1/customers/{customer}/balance_transactions",
    );
    let ids: Vec<String> = Paginator::<CustomerBalanceTransaction>::new(
        &client(&transport),
        &LINES,
        &["cus_1"],
        &params,
    )
    .map(|txn| txn.unwrap().id.to_string())
    .collect();
    assert_eq!(ids.len(), 3);
}

fn customer(id: &str) -> serde_json::Value {
    json!({"id": id, "object": "customer", "created": 1, "livemode": false})
}

#[test]
fn a_search_follows_next_page_and_stops_when_it_makes_no_progress() {
    let transport = InProcess::new(|request| {
        let pairs = decode_form(request.url.split_once('?').map_or("", |(_, q)| q));
        let page = pairs
            .iter()
            .find(|(k, _)| k == "page")
            .map(|(_, v)| v.as_str());
        let body = match page {
            None => {
                json!({"object": "search_result", "has_more": true, "next_page": "p2", "data": [customer("cus_1")]})
            }
            Some("p2") => {
                json!({"object": "search_result", "has_more": true, "next_page": "p3", "data": [customer("cus_2")]})
            }
            // A server that hands out the same token again would loop forever.
            Some(_) => {
                json!({"object": "search_result", "has_more": true, "next_page": "p3", "data": [customer("cus_3")]})
            }
        };
        json_response(200, &body)
    });
    let results: Vec<_> =
        Customer::search_paginate(&client(&transport), &SearchParams::new("email:'a'")).collect();
    let ids: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|c| c.id.to_string())
        .collect();
    // The page that repeats the token is the error, as a list page ending at its cursor is.
    assert_eq!(ids, ["cus_1", "cus_2"]);
    assert_eq!(results.len(), 3);
    assert_eq!(
        results.last().unwrap().as_ref().unwrap_err().kind(),
        ErrorKind::Decode
    );
    let urls: Vec<String> = transport.requests().into_iter().map(|r| r.url).collect();
    assert_eq!(
        urls,
        [
            "https://api.stripe.com/v1/customers/search?query=email%3A%27a%27",
            "https://api.stripe.com/v1/customers/search?query=email%3A%27a%27&page=p2",
            "https://api.stripe.com/v1/customers/search?query=email%3A%27a%27&page=p3",
        ]
    );
}
