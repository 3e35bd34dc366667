//! Uploads on the wire: every upload the official SDKs were recorded making
//! (`fixtures/multipart/official-sdk-multipart.json`, stripe-python 16.1.0 and stripe-node 23.1.0)
//! is made again through the real `UreqTransport` against a loopback recording server, and our
//! body must equal theirs byte for byte once our random boundary is replaced by theirs: the same
//! parts, in the same order, with the same names, filenames, content types and bytes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use resource_core::{Client, Encoding, Host, Metadata, Method, Upload};
use serde::Serialize;
use serde_json::Value;
use tests::{RecordingServer, Reply};

const CASES: &str = include_str!("../fixtures/multipart/official-sdk-multipart.json");

/// Cases not made again, with the reason.
const SKIPPED: &[(&str, &str, &str)] = &[
    (
        "path_with_directory",
        "stripe-python",
        "python sends the path it was given as the filename (`uploads/evidence.pdf`); `Upload::from_path` sends the file's name",
    ),
    (
        "file_data_as_stream",
        "stripe-node",
        "node reads a stream whole before sending; `Upload::from_reader` streams it (chunked, length unknown)",
    ),
    (
        "file_as_bare_buffer",
        "stripe-node",
        "node sends a bare Buffer as a plain field; an `Upload` always has a filename",
    ),
    (
        "quote_and_crlf_in_names",
        "stripe-python",
        "python turns CR and LF into a space each (`a  b`); we follow node: one space for a line break (node's case is replayed)",
    ),
];

#[derive(Serialize)]
struct CreateFile {
    purpose: &'static str,
    file: Upload,
    #[serde(skip_serializing_if = "Option::is_none")]
    file_link_data: Option<FileLinkData>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    expand: Vec<&'static str>,
}

#[derive(Serialize)]
struct FileLinkData {
    create: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_at: Option<i64>,
    #[serde(skip_serializing_if = "Metadata::is_empty")]
    metadata: Metadata,
}

/// `file_before_purpose`: the caller put the file first.
#[derive(Serialize)]
struct FileFirst {
    file: Upload,
    purpose: &'static str,
}

fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u8> = text.bytes().filter(|c| *c != b'=').map(value).collect();
    digits
        .chunks(4)
        .flat_map(|chunk| {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, d)| n | u32::from(*d) << (18 - 6 * i));
            let bytes = n.to_be_bytes();
            bytes[1..chunk.len()].to_vec()
        })
        .collect()
}

/// The SDK's raw request: its body, and the boundary in it.
fn recorded(case: &Value) -> (Vec<u8>, String) {
    let sdk = case["sdk"]
        .as_str()
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .trim_start_matches("stripe-")
        .to_owned();
    let path = format!(
        "{}/fixtures/multipart/raw/{sdk}--{}.http",
        env!("CARGO_MANIFEST_DIR"),
        case["case"].as_str().unwrap()
    );
    let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let start = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    (
        raw[start..].to_vec(),
        case["boundary"].as_str().unwrap().to_owned(),
    )
}

/// The file part of the case, made into an `Upload` as the SDK call made it.
fn upload(case: &Value) -> Upload {
    let part = case["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| !p["filename"].is_null())
        .unwrap();
    let name = part["filename"].as_str().unwrap();
    // The SDK call's filename, before the SDK escaped it (only the quoting case differs).
    let name = if name.contains("%22") {
        "q\"uote\r\nx.pdf"
    } else {
        name
    };
    let upload = Upload::from_bytes(name, base64(part["body_base64"].as_str().unwrap()));
    if case["sdk"].as_str().unwrap().starts_with("stripe-python") {
        upload.content_type("application/octet-stream") // python never sends a type
    } else if case["case"] == "quote_and_crlf_in_names" {
        upload.content_type("application/pdf\r\nX-Injected: 1")
    } else {
        upload // our guess from the extension is the type node's callers gave
    }
}

fn send<P: Serialize>(client: &Client, params: &P) {
    let _: Value = client
        .request_on(
            Host::Files,
            Encoding::Multipart,
            Method::Post,
            "/v1/files",
            params,
        )
        .unwrap();
}

#[test]
fn every_recorded_upload_is_sent_byte_for_byte() {
    let cases: Vec<Value> = serde_json::from_str(CASES).unwrap();
    assert_eq!(cases.len(), 18);
    let mut replayed = 0;
    for case in &cases {
        let name = case["case"].as_str().unwrap();
        let sdk = case["sdk"].as_str().unwrap().split(' ').next().unwrap();
        if SKIPPED.iter().any(|(n, s, _)| *n == name && *s == sdk) {
            continue;
        }
        let server = RecordingServer::start(|_| {
            Reply::json(
                200,
                &serde_json::json!({"id": "file_123", "object": "file"}),
            )
        });
        let client = Client::builder("sk_test_123")
            .base_url("http://127.0.0.1:1")
            .files_base_url(server.base_url())
            .build()
            .unwrap();
        let file = upload(case);
        let with_link = |metadata: Metadata, expires_at| {
            Some(FileLinkData {
                create: true,
                expires_at,
                metadata,
            })
        };
        match name {
            "evidence_pdf"
            | "evidence_pdf_via_require"
            | "binary_png_non_ascii_filename"
            | "file_without_name_or_type" => {
                send(
                    &client,
                    &CreateFile {
                        purpose: "dispute_evidence",
                        file,
                        file_link_data: None,
                        expand: vec![],
                    },
                );
            }
            "evidence_pdf_with_file_link_data" => send(
                &client,
                &CreateFile {
                    purpose: "dispute_evidence",
                    file,
                    file_link_data: with_link(
                        [("order_id", "6735")].into_iter().collect(),
                        Some(1_900_000_000),
                    ),
                    expand: vec![],
                },
            ),
            "quote_and_crlf_in_names" => send(
                &client,
                &CreateFile {
                    purpose: "dispute_evidence",
                    file,
                    file_link_data: with_link(
                        [("a\"b\r\nc", "v\"1\r\n2")].into_iter().collect(),
                        None,
                    ),
                    expand: vec![],
                },
            ),
            "expand_array" => send(
                &client,
                &CreateFile {
                    purpose: "dispute_evidence",
                    file,
                    file_link_data: None,
                    expand: vec!["links", "file_link_data"],
                },
            ),
            "file_before_purpose" => send(
                &client,
                &FileFirst {
                    file,
                    purpose: "dispute_evidence",
                },
            ),
            other => panic!("no Rust call for {other}"),
        }
        let requests = server.requests();
        assert_eq!(requests.len(), 1, "{name} [{sdk}]");
        let ours = &requests[0];
        assert_eq!(
            (ours.method.as_str(), ours.path()),
            ("POST", "/v1/files"),
            "{name} [{sdk}]: to the files host"
        );
        let content_type = ours.header("Content-Type").unwrap();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect(content_type);
        assert_eq!(
            ours.header("Content-Length"),
            Some(ours.body.len().to_string().as_str()),
            "{name}: sized, not chunked"
        );
        assert!(
            ours.header("Idempotency-Key").is_some(),
            "{name}: an upload is a POST like any other"
        );

        let (theirs, their_boundary) = recorded(case);
        let ours_with_their_boundary =
            String::from_utf8_lossy(&ours.body).replace(boundary, &their_boundary);
        let ours_bytes = replace_bytes(&ours.body, boundary.as_bytes(), their_boundary.as_bytes());
        assert_eq!(
            ours_bytes,
            theirs,
            "{name} [{sdk}]:\nours:   {ours_with_their_boundary:?}\ntheirs: {:?}",
            String::from_utf8_lossy(&theirs)
        );
        replayed += 1;
    }
    assert_eq!(replayed, 18 - SKIPPED.len());
}

fn replace_bytes(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(at) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

#[test]
fn an_upload_cannot_be_form_encoded() {
    let client = Client::builder("sk_test_123").build().unwrap();
    let params = CreateFile {
        purpose: "dispute_evidence",
        file: Upload::from_bytes("a.pdf", b"x".to_vec()),
        file_link_data: None,
        expand: vec![],
    };
    let error = client
        .request::<Value, _>(Method::Post, "/v1/files", &params)
        .unwrap_err();
    assert_eq!(error.kind(), resource_core::ErrorKind::InvalidInput);
    assert!(error.to_string().contains("multipart"), "{error}");
}
