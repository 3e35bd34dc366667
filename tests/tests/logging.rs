//! Request logging through the `log` facade: one line per attempt with method, path, status,
//! request id, attempt number and duration; never the key, the body or the query string.
//!
//! Everything is logged at up to `Debug`, ureq's own lines included (ureq redacts sensitive
//! headers at that level). At `Trace`, ureq-proto hex-dumps raw wire bytes, headers included: see
//! the README.
#![allow(clippy::unwrap_used, reason = "test code")]

use std::sync::Mutex;

use file_link::{CreateFileLink, FileLink, ListFileLinks};
use log::{Level, LevelFilter, Log, Metadata, Record};
use resource_core::{Client, TransportError, TransportErrorKind};
use serde_json::json;
use tests::{InProcess, RecordingServer, Reply, json_response, openapi_fixture};

const KEY: &str = "sk_test_LOGGED_NEVER_7Qz";

struct Capture(Mutex<Vec<(Level, String)>>);

impl Log for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &Record<'_>) {
        self.0
            .lock()
            .unwrap()
            .push((record.level(), record.args().to_string()));
    }

    fn flush(&self) {}
}

static CAPTURE: Capture = Capture(Mutex::new(Vec::new()));

#[test]
fn every_attempt_is_logged_without_secrets_or_payloads() {
    log::set_logger(&CAPTURE).unwrap();
    log::set_max_level(LevelFilter::Debug);

    let mut attempt = 0;
    let transport = InProcess::new(move |_| {
        attempt += 1;
        match attempt {
            1 => Err(TransportError::new(
                TransportErrorKind::Io,
                "connection reset",
            )),
            2 => json_response(
                503,
                &json!({"error": {"type": "api_error", "message": "try later"}}),
            ),
            3 => json_response(200, &openapi_fixture("file_link")),
            _ => json_response(
                200,
                &json!({"object": "list", "url": "/v1/file_links", "has_more": false, "data": []}),
            ),
        }
    });
    let client = Client::builder(KEY)
        .transport(transport)
        .sleeper(|_| {})
        .build()
        .unwrap();
    FileLink::create(
        &client,
        &CreateFileLink::new("file_SECRETFILE").metadata("customer_email", "jenny@example.com"),
    )
    .unwrap();
    FileLink::list(&client, &ListFileLinks::new().file("file_SECRETFILE")).unwrap();

    // The real transport too, so ureq's own debug lines are checked.
    let server = RecordingServer::start(|_| Reply::json(200, &openapi_fixture("file_link")));
    let real = Client::builder(KEY)
        .base_url(server.base_url())
        .build()
        .unwrap();
    FileLink::create(
        &real,
        &CreateFileLink::new("file_SECRETFILE").metadata("customer_email", "jenny@example.com"),
    )
    .unwrap();
    drop(server);

    let lines = CAPTURE.0.lock().unwrap().clone();
    let ours: Vec<&(Level, String)> = lines
        .iter()
        .filter(|(_, line)| line.contains("/v1/file_links"))
        .collect();
    assert_eq!(ours.len(), 5, "{lines:#?}");
    assert_eq!(ours[0].0, Level::Warn);
    assert!(
        ours[0]
            .1
            .starts_with("POST /v1/file_links -> no response (Io: connection reset) attempt=1"),
        "{}",
        ours[0].1
    );
    assert!(
        ours[1]
            .1
            .starts_with("POST /v1/file_links -> 503 request_id=req_inprocess attempt=2"),
        "{}",
        ours[1].1
    );
    assert!(
        ours[2]
            .1
            .starts_with("POST /v1/file_links -> 200 request_id=req_inprocess attempt=3"),
        "{}",
        ours[2].1
    );
    assert!(
        ours[3]
            .1
            .starts_with("GET /v1/file_links -> 200 request_id=req_inprocess attempt=1"),
        "{}",
        ours[3].1
    );
    assert!(
        ours[4]
            .1
            .starts_with("POST /v1/file_links -> 200 request_id=- attempt=1"),
        "{}",
        ours[4].1
    );
    assert!(
        lines.len() > ours.len(),
        "ureq's debug lines are captured too: {lines:#?}"
    );
    for (_, line) in &lines {
        for secret in [
            KEY,
            "LOGGED_NEVER",
            "SECRETFILE",
            "jenny@example.com",
            "customer_email",
        ] {
            assert!(!line.contains(secret), "{secret:?} logged in: {line}");
        }
    }
}
