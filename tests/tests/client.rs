//! Client behaviour over an in-process transport: retries and idempotency, error classification,
//! refusals before sending, pagination edge cases, and the secret key never shown.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a broken fixture fails loudly"
)]

use std::sync::{Arc, Mutex};

use file_link::{CreateFileLink, FileLink, FileLinkId, ListFileLinks};
use resource_core::{
    Client, ErrorKind, RequestOptions, Response, TransportError, TransportErrorKind,
};
use serde_json::json;
use tests::{InProcess, json_response, openapi_fixture};

const KEY: &str = "sk_test_RECOGNISABLE_51Hx9";

fn client(transport: &InProcess) -> Client {
    Client::builder(KEY)
        .transport(transport.clone())
        .sleeper(|_| {})
        .build()
        .unwrap()
}

fn link(id: &str) -> serde_json::Value {
    let mut link = openapi_fixture("file_link");
    link["id"] = json!(id);
    link
}

fn raw(status: u16, body: &str) -> Result<Response, TransportError> {
    Ok(Response {
        status,
        headers: vec![("Request-Id".into(), "req_raw".into())],
        body: body.as_bytes().to_vec(),
    })
}

/// Answers from a script, one entry per attempt, then 200 with a link.
fn scripted(script: Vec<Result<Response, TransportError>>) -> InProcess {
    let script = Mutex::new(script.into_iter());
    InProcess::new(move |_| {
        script
            .lock()
            .unwrap()
            .next()
            .unwrap_or_else(|| json_response(200, &link("link_ok")))
    })
}

#[test]
fn a_retried_post_is_byte_identical_and_keeps_its_idempotency_key() {
    let transport = scripted(vec![
        Err(TransportError::new(
            TransportErrorKind::Io,
            "connection reset",
        )),
        raw(503, "{}"),
    ]);
    let created = FileLink::create(
        &client(&transport),
        &CreateFileLink::new("file_1").metadata("k", "v"),
    )
    .unwrap();
    assert_eq!(created.id, "link_ok");
    let requests = transport.requests();
    assert_eq!(requests.len(), 3);
    assert!(
        requests.iter().all(|r| *r == requests[0]),
        "every attempt sends the same bytes"
    );
    assert!(requests[0].header("Idempotency-Key").is_some());

    // A second call gets a fresh key.
    FileLink::create(&client(&transport), &CreateFileLink::new("file_1")).unwrap();
    let again = transport.requests();
    assert_ne!(
        again[3].header("Idempotency-Key"),
        requests[0].header("Idempotency-Key")
    );
}

#[test]
fn connection_failures_end_as_connection_errors_after_all_attempts() {
    let transport = InProcess::new(|_| {
        Err(TransportError::new(
            TransportErrorKind::Timeout,
            "timed out",
        ))
    });
    let error = FileLink::create(&client(&transport), &CreateFileLink::new("file_1")).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Connection);
    assert_eq!(error.status(), None);
    assert_eq!(transport.requests().len(), 3);
}

#[test]
fn hostile_bodies_give_typed_errors_quoting_status_and_excerpt() {
    let id: FileLinkId = "link_1".parse().unwrap();
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let transport = scripted(vec![raw(502, html), raw(502, html), raw(502, html)]);
    let error = FileLink::retrieve(&client(&transport), &id).unwrap_err();
    assert_eq!((error.kind(), error.status()), (ErrorKind::Api, Some(502)));
    assert!(
        error.to_string().contains("502") && error.to_string().contains("Bad Gateway"),
        "{error}"
    );

    for body in [
        "",
        "{\"id\": \"link_1\", \"object\"",
        "[1, 2, 3]",
        "not json at all",
    ] {
        let transport = scripted(vec![raw(200, body)]);
        let error = FileLink::retrieve(&client(&transport), &id).unwrap_err();
        assert_eq!(
            (error.kind(), error.status()),
            (ErrorKind::Decode, Some(200)),
            "{body:?}"
        );
        assert_eq!(error.request_id(), Some("req_raw"));
    }

    let transport = scripted(vec![raw(404, "")]);
    let error = FileLink::retrieve(&client(&transport), &id).unwrap_err();
    assert_eq!(
        (error.kind(), error.status()),
        (ErrorKind::InvalidRequest, Some(404))
    );
}

#[test]
fn error_bodies_are_classified_and_kept_whole() {
    let id: FileLinkId = "link_1".parse().unwrap();
    let body = json!({"error": {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
        "message": "Your card has insufficient funds.", "param": "source", "advice_code": "try_again_later"}});
    let transport = scripted(vec![json_response(402, &body)]);
    let error = FileLink::retrieve(&client(&transport), &id).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Card);
    assert_eq!(
        (error.code(), error.param()),
        (Some("card_declined"), Some("source"))
    );
    assert_eq!(error.message(), Some("Your card has insufficient funds."));
    let kept = error.body().unwrap();
    assert_eq!(kept.decline_code.as_deref(), Some("insufficient_funds"));
    assert_eq!(kept.other["advice_code"], "try_again_later");
    assert_eq!(
        error.to_string(),
        "Request req_inprocess: Your card has insufficient funds."
    );

    let idempotency = json!({"error": {"type": "idempotency_error", "message": "Keys for idempotent requests can only be used with the same parameters"}});
    let transport = scripted(vec![json_response(400, &idempotency)]);
    assert_eq!(
        FileLink::retrieve(&client(&transport), &id)
            .unwrap_err()
            .kind(),
        ErrorKind::Idempotency
    );
}

#[test]
fn bad_input_is_refused_before_anything_is_sent() {
    let transport = InProcess::new(|_| json_response(200, &link("link_1")));
    let base = client(&transport);
    let too_long = base.with_options(RequestOptions::new().idempotency_key("k".repeat(256)));
    let cases = [
        too_long.with_options(RequestOptions::new()),
        base.with_options(RequestOptions::new().stripe_account("acct_1\r\nX-Injected: 1")),
        base.with_options(RequestOptions::new().api_version("2024-06-20\n")),
        base.with_options(RequestOptions::new().header("X-Custom", "a\rb")),
        base.with_options(RequestOptions::new().header("Bad Name", "1")),
    ];
    for client in &cases {
        let error = FileLink::create(client, &CreateFileLink::new("file_1")).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
    }
    let at_limit = base.with_options(RequestOptions::new().idempotency_key("k".repeat(255)));
    FileLink::create(&at_limit, &CreateFileLink::new("file_1")).unwrap();
    assert_eq!(
        transport.requests().len(),
        1,
        "only the valid call was sent"
    );

    let error = Client::builder(KEY)
        .base_url("http://api.example.com")
        .build()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert!(error.to_string().contains("plain http"), "{error}");
}

#[test]
fn options_layer_and_the_newest_wins() {
    let transport = InProcess::new(|_| json_response(200, &link("link_1")));
    let client = Client::builder(KEY)
        .transport(transport.clone())
        .stripe_account("acct_client")
        .build()
        .unwrap();
    let scoped = client
        .with_options(
            RequestOptions::new()
                .stripe_account("acct_a")
                .api_version("2024-06-20"),
        )
        .with_options(RequestOptions::new().stripe_account("acct_b"));
    FileLink::retrieve(&scoped, &"link_1".parse().unwrap()).unwrap();
    FileLink::retrieve(&client, &"link_1".parse().unwrap()).unwrap();
    let requests = transport.requests();
    assert_eq!(requests[0].header("Stripe-Account"), Some("acct_b"));
    assert_eq!(requests[0].header("Stripe-Version"), Some("2024-06-20"));
    assert_eq!(requests[1].header("Stripe-Account"), Some("acct_client"));
    assert_eq!(
        requests[1].header("Stripe-Version"),
        Some(resource_core::DEFAULT_API_VERSION)
    );
}

fn page(ids: &[&str], has_more: bool) -> Result<Response, TransportError> {
    json_response(
        200,
        &json!({"object": "list", "url": "/v1/file_links", "has_more": has_more,
        "data": ids.iter().map(|id| link(id)).collect::<Vec<_>>()}),
    )
}

#[test]
fn pagination_stops_on_a_repeated_cursor_or_an_empty_page_and_after_an_error() {
    // A server that keeps answering the same page would loop forever: we stop with an error,
    // and the repeated page's items (duplicates) are not yielded again.
    let transport = InProcess::new(|_| page(&["link_a", "link_b"], true));
    let items: Vec<_> = FileLink::paginate(&client(&transport), &ListFileLinks::new()).collect();
    assert_eq!(items.len(), 3, "one page, then the error: {items:?}");
    assert_eq!(items[2].as_ref().unwrap_err().kind(), ErrorKind::Decode);
    assert_eq!(transport.requests().len(), 2);

    // has_more with no data: nothing to continue from, so stop without another request.
    let transport = scripted(vec![page(&[], true)]);
    assert_eq!(
        FileLink::paginate(&client(&transport), &ListFileLinks::new()).count(),
        0
    );
    assert_eq!(transport.requests().len(), 1);

    // An error mid-way is yielded once, then the iterator is done.
    let not_found = json_response(
        404,
        &json!({"error": {"type": "invalid_request_error", "message": "gone"}}),
    );
    let transport = scripted(vec![page(&["link_a"], true), not_found]);
    let items: Vec<_> = FileLink::paginate(&client(&transport), &ListFileLinks::new()).collect();
    assert_eq!(items.len(), 2);
    assert_eq!(
        items[1].as_ref().unwrap_err().kind(),
        ErrorKind::InvalidRequest
    );
}

#[test]
fn pagination_is_lazy() {
    let transport = InProcess::new(|_| page(&["link_a"], false));
    let paginator = FileLink::paginate(&client(&transport), &ListFileLinks::new().limit(1));
    assert!(
        transport.requests().is_empty(),
        "no request before the first next()"
    );
    drop(paginator);
}

#[test]
fn the_secret_key_never_appears_in_any_output() {
    let failures: Vec<Result<Response, TransportError>> = vec![
        Err(TransportError::new(TransportErrorKind::Connect, "refused")),
        raw(500, "<html>oops</html>"),
        raw(200, "garbage"),
        json_response(
            401,
            &json!({"error": {"type": "invalid_request_error", "message": "Invalid API Key provided: sk_test_****5Hx9"}}),
        ),
    ];
    let transport = InProcess::new({
        let failures = Arc::new(Mutex::new(failures.into_iter()));
        move |_| {
            failures
                .lock()
                .unwrap()
                .next()
                .unwrap_or_else(|| raw(400, "{}"))
        }
    });
    let client = Client::builder(KEY)
        .transport(transport.clone())
        .max_network_retries(0)
        .build()
        .unwrap();
    let mut shown = vec![format!("{client:?}"), format!("{:?}", Client::builder(KEY))];
    for _ in 0..5 {
        let error = FileLink::retrieve(&client, &"link_1".parse().unwrap()).unwrap_err();
        shown.push(format!(
            "{error} {error:?} {:?}",
            std::error::Error::source(&error)
        ));
    }
    let refused = Client::builder(KEY)
        .base_url("http://example.com")
        .build()
        .unwrap_err();
    shown.push(format!("{refused} {refused:?}"));
    shown.extend(transport.requests().iter().map(|r| format!("{r:?}")));
    for text in &shown {
        assert!(!text.contains(KEY), "the key leaked into: {text}");
        assert!(
            !text.contains("RECOGNISABLE"),
            "the key leaked into: {text}"
        );
    }
    assert!(transport.requests()[0].header("Authorization") == Some(&format!("Bearer {KEY}")[..]));
}
