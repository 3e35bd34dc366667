//! Test support: a recording HTTP server on 127.0.0.1, an in-process transport, and a reference
//! form decoder. Test code: it may panic on a broken test setup.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test support code"
)]
#![allow(missing_docs, reason = "test support code")]

pub mod fault_server;

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use resource_core::{Request, Response, Transport, TransportError};

/// One request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub method: String,
    /// Path and query exactly as sent (still percent-encoded).
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn path(&self) -> &str {
        self.url.split_once('?').map_or(&self.url, |(path, _)| path)
    }

    pub fn query(&self) -> &str {
        self.url.split_once('?').map_or("", |(_, query)| query)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn body_str(&self) -> &str {
        std::str::from_utf8(&self.body).expect("utf-8 body")
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

type Handler = Box<dyn FnMut(&Recorded) -> Reply + Send>;

/// An HTTP/1.1 server on an ephemeral 127.0.0.1 port that records every request and answers
/// from a handler. Stopped when dropped.
pub struct RecordingServer {
    base_url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl RecordingServer {
    pub fn start(handler: impl FnMut(&Recorded) -> Reply + Send + 'static) -> Self {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1"));
        let port = server.server_addr().to_ip().expect("ip listener").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (server, requests) = (Arc::clone(&server), Arc::clone(&requests));
            let mut handler: Handler = Box::new(handler);
            std::thread::spawn(move || {
                for mut request in server.incoming_requests() {
                    let mut body = Vec::new();
                    request
                        .as_reader()
                        .read_to_end(&mut body)
                        .expect("read body");
                    let recorded = Recorded {
                        method: request.method().as_str().to_owned(),
                        url: request.url().to_owned(),
                        headers: request
                            .headers()
                            .iter()
                            .map(|h| {
                                (
                                    h.field.as_str().as_str().to_owned(),
                                    h.value.as_str().to_owned(),
                                )
                            })
                            .collect(),
                        body,
                    };
                    let reply = handler(&recorded);
                    requests.lock().unwrap().push(recorded);
                    let mut response =
                        tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
                    for (name, value) in &reply.headers {
                        response.add_header(
                            tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
                                .unwrap(),
                        );
                    }
                    let _ = request.respond(response);
                }
            })
        };
        RecordingServer {
            base_url: format!("http://127.0.0.1:{port}"),
            requests,
            server,
            thread: Some(thread),
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for RecordingServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

type TransportHandler = Box<dyn FnMut(&Request) -> Result<Response, TransportError> + Send>;

/// A transport that never leaves the process: it records each request and answers from a handler.
#[derive(Clone)]
pub struct InProcess {
    requests: Arc<Mutex<Vec<Request<'static>>>>,
    handler: Arc<Mutex<TransportHandler>>,
}

impl InProcess {
    pub fn new(
        handler: impl FnMut(&Request) -> Result<Response, TransportError> + Send + 'static,
    ) -> Self {
        InProcess {
            requests: Arc::default(),
            handler: Arc::new(Mutex::new(Box::new(handler))),
        }
    }

    pub fn requests(&self) -> Vec<Request<'static>> {
        self.requests.lock().unwrap().clone()
    }
}

impl std::fmt::Debug for InProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InProcess")
    }
}

impl Transport for InProcess {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        self.requests
            .lock()
            .unwrap()
            .push(request.clone().into_owned());
        (self.handler.lock().unwrap())(request)
    }
}

/// `emulator` served on a free loopback port, and a client of it (API and files host alike, no
/// retries); the server stops when dropped.
pub fn served(
    emulator: &resource_emulator::Emulator,
) -> (resource_emulator::Server, resource_core::Client) {
    let server = emulator.serve("127.0.0.1:0").unwrap();
    let client = resource_core::Client::builder("sk_test_123")
        .base_url(server.url())
        .files_base_url(server.url())
        .max_network_retries(0)
        .build()
        .unwrap();
    (server, client)
}

/// An HTTP answer a test read off the wire: the status, the headers in order and the body.
#[derive(Debug)]
pub struct HttpAnswer {
    /// The status code.
    pub status: u16,
    /// The headers, as sent.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpAnswer {
    /// The first header named `name`, in any case.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    #[must_use]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// A JSON response for an in-process transport.
pub fn json_response(status: u16, body: &serde_json::Value) -> Result<Response, TransportError> {
    Ok(Response {
        status,
        headers: vec![("Request-Id".into(), "req_inprocess".into())],
        body: body.to_string().into_bytes(),
    })
}

/// Decodes `application/x-www-form-urlencoded` (`+` is a space, `%XX` a byte) into pairs.
pub fn decode_form(encoded: &str) -> Vec<(String, String)> {
    if encoded.is_empty() {
        return Vec::new();
    }
    encoded
        .split('&')
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key, true), percent_decode(value, true))
        })
        .collect()
}

/// Decodes a form/query string into raw pairs, strictly: it refuses anything the encoder must
/// not produce (shared by the property test and the fuzz targets):
/// a byte outside `A-Z a-z 0-9 - _ . ~ [ ] + % = &`, a `%` not followed by two uppercase hex
/// digits, a pair without `=`, or bytes that are not UTF-8 once decoded.
pub fn strict_decode(encoded: &str) -> Result<Vec<(String, String)>, String> {
    if encoded.is_empty() {
        return Ok(Vec::new());
    }
    encoded
        .split('&')
        .map(|pair| {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("pair without `=`: {pair:?}"))?;
            Ok((unescape(key)?, unescape(value)?))
        })
        .collect()
}

fn unescape(text: &str) -> Result<String, String> {
    fn hex(digit: u8) -> Option<u8> {
        match digit {
            b'0'..=b'9' => Some(digit - b'0'),
            b'A'..=b'F' => Some(digit - b'A' + 10),
            _ => None,
        }
    }
    let mut bytes = Vec::with_capacity(text.len());
    let mut input = text.bytes();
    while let Some(byte) = input.next() {
        match byte {
            b'+' => bytes.push(b' '),
            b'%' => {
                let (high, low) = (input.next(), input.next());
                match (high.and_then(hex), low.and_then(hex)) {
                    (Some(high), Some(low)) => bytes.push(high << 4 | low),
                    _ => return Err(format!("bad escape in {text:?}")),
                }
            }
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'[' | b']' => {
                bytes.push(byte);
            }
            _ => {
                return Err(format!("byte {byte:#04x} sent unescaped in {text:?}"));
            }
        }
    }
    String::from_utf8(bytes).map_err(|error| format!("not UTF-8 after decoding: {error}"))
}

/// Percent-decodes; `plus_is_space` for form encoding (not for paths).
pub fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' if plus_is_space => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 2;
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).expect("utf-8 after decoding")
}

/// The `file_link` and `file` objects of Stripe's OpenAPI fixtures.
pub fn openapi_fixture(name: &str) -> serde_json::Value {
    let all: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/openapi-file-links.json")).unwrap();
    all["fixtures"][name].clone()
}
