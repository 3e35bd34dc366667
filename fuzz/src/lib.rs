//! What the fuzz targets share: a scripted in-crate [`Transport`] that plays a hostile server,
//! the layout of a fuzz input, response specs built with `arbitrary`, the oracles (error kind by
//! status per DESIGN 5.5, excerpts, retry counts, the secret key never shown) and a strict
//! reference form decoder.
//!
//! Everything goes through the public API of `resource-core` and `file-link`, as an application
//! (or a hostile server) would; the `emulator_*` targets share [`emulator`]. Checks panic: a
//! panic is how libFuzzer learns of a finding.

pub mod emulator;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use arbitrary::Arbitrary;
use file_link::FileLink;
use resource_core::{
    Client, Error, ErrorKind, Expandable, Request, Response, Transport, TransportError,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// The secret key every fuzzed client is built with. It must never show in an error's `Display`
/// or `Debug`, nor in a request's `Debug`, unless the server itself echoed it in the body.
pub const KEY: &str = "sk_test_FuzzSecret7Q9wX2";
/// The part of [`KEY`] that no response is likely to contain by chance.
const KEY_CORE: &str = "FuzzSecret7Q9wX2";
/// The `Request-Id` header a response carries when its flag is set.
pub const REQUEST_ID: &str = "req_fuzz";
/// Where the client sends requests (the default base URL: nothing leaves the process).
pub const BASE: &str = "https://api.stripe.com";
/// How many characters of an unexpected body an error quotes (the client's `EXCERPT_CHARS`).
pub const EXCERPT_CHARS: usize = 200;

/// Which statuses a target's first byte chooses from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statuses {
    /// Half of the inputs get 200, the rest a table of interesting statuses or a raw one.
    Any,
    /// Never 2xx.
    Errors,
}

const ANY_TABLE: &[u16] = &[
    200, 201, 202, 204, 299, 400, 401, 402, 403, 404, 409, 429, 500, 502, 503, 0, 100, 199, 300,
    302, 418, 600, 65535,
];
const ERROR_TABLE: &[u16] = &[
    400, 401, 402, 403, 404, 409, 429, 500, 502, 503, 504, 0, 1, 100, 199, 300, 302, 418, 422, 600,
    999, 65535,
];

/// The first three bytes of every decode input: the response's status and headers, the client's
/// retry count, and whether the body is raw bytes or generated from a spec.
///
/// - byte 0: the status. `Any`: below `0x80` is 200, below `0xF0` an entry of a table of
///   interesting statuses, else a raw status `100 + ((byte0 & 0x0F) << 8 | byte2)`. `Errors`:
///   below `0xF0` an entry of a table of error statuses, else the raw status, moved out of 2xx.
/// - byte 1: bits 0-1 the client's `max_network_retries` (0-3); bit 2 a `Request-Id` header;
///   bits 3-4 `Stripe-Should-Retry` (none, `true`, `false`, `TRUE`); bit 5 a generated body
///   (the rest of the input drives `arbitrary`) instead of the raw rest; bits 6-7 a mode the
///   target chooses the operation or parameters with.
/// - byte 2: the low byte of a raw status; otherwise unused.
/// - the rest: the body, or the bytes `arbitrary` builds a spec from.
#[derive(Debug, Clone)]
pub struct Head {
    /// The response status.
    pub status: u16,
    /// The client's `max_network_retries`.
    pub retries: u32,
    /// Whether the response carries `Request-Id: req_fuzz`.
    pub request_id: bool,
    /// The `Stripe-Should-Retry` header, if any.
    pub should_retry: Option<&'static str>,
    /// Whether the body is generated from a spec.
    pub structured: bool,
    /// Two bits for the target.
    pub mode: u8,
}

impl Head {
    /// Splits an input into its head and the rest; `None` when it is too short.
    pub fn split(data: &[u8], statuses: Statuses) -> Option<(Head, &[u8])> {
        let (&[b0, b1, b2], rest) = data.split_first_chunk::<3>()?;
        let raw = 100 + (u16::from(b0 & 0x0F) << 8 | u16::from(b2));
        let status = match statuses {
            Statuses::Any if b0 < 0x80 => 200,
            Statuses::Any if b0 < 0xF0 => ANY_TABLE[usize::from(b0 - 0x80) % ANY_TABLE.len()],
            Statuses::Errors if b0 < 0xF0 => ERROR_TABLE[usize::from(b0) % ERROR_TABLE.len()],
            Statuses::Errors if (200..300).contains(&raw) => raw + 300,
            Statuses::Any | Statuses::Errors => raw,
        };
        let head = Head {
            status,
            retries: u32::from(b1 & 0b11),
            request_id: b1 & 0b100 != 0,
            should_retry: [None, Some("true"), Some("false"), Some("TRUE")]
                [usize::from(b1 >> 3 & 0b11)],
            structured: b1 & 0b10_0000 != 0,
            mode: b1 >> 6,
        };
        Some((head, rest))
    }

    /// Whether the status is a success.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The response this head describes, with `body`.
    pub fn response(&self, body: &[u8]) -> Response {
        let mut headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
        if self.request_id {
            headers.push(("Request-Id".to_owned(), REQUEST_ID.to_owned()));
        }
        if let Some(value) = self.should_retry {
            headers.push(("Stripe-Should-Retry".to_owned(), value.to_owned()));
        }
        Response {
            status: self.status,
            headers,
            body: body.to_vec(),
        }
    }

    /// How many attempts the client must make for this response (README "Retries"): the header
    /// decides when it is exactly `true` or `false`, else 409 and 5xx (and above) are retried.
    pub fn expected_attempts(&self) -> usize {
        let retried = match self.should_retry {
            Some("true") => true,
            Some("false") => false,
            _ => self.status == 409 || self.status >= 500,
        };
        if retried {
            1 + self.retries as usize
        } else {
            1
        }
    }

    /// A client for this head, sending through `transport`, never sleeping.
    pub fn client(&self, transport: Scripted) -> Client {
        Client::builder(KEY)
            .transport(transport)
            .max_network_retries(self.retries)
            .sleeper(|_| {})
            .build()
            .expect("a client with a valid key and transport")
    }
}

/// A hostile server in the process: every request to the URL of the first request gets `first`
/// (so retries of the first request see it again); any other URL gets `then`. It records every
/// request and refuses to answer more than 64, so a client that loops is a crash, not a hang.
#[derive(Debug, Clone)]
pub struct Scripted {
    first: Response,
    then: Response,
    log: Arc<Mutex<Vec<Request<'static>>>>,
}

impl Scripted {
    /// Answers `first` to the first request's URL and `then` to any other.
    pub fn new(first: Response, then: Response) -> Self {
        Scripted {
            first,
            then,
            log: Arc::default(),
        }
    }

    /// The requests sent so far.
    pub fn requests(&self) -> Vec<Request<'static>> {
        self.log.lock().expect("log lock").clone()
    }
}

impl Transport for Scripted {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        let mut log = self.log.lock().expect("log lock");
        log.push(request.clone().into_owned());
        assert!(
            log.len() <= 64,
            "the client keeps sending: {} requests",
            log.len()
        );
        let to_first = log[0].url == request.url;
        Ok(if to_first {
            self.first.clone()
        } else {
            self.then.clone()
        })
    }
}

/// Checks a request the client sent: method, URL, the key in `Authorization`, and a `Debug` that
/// redacts it (the key may show only where the URL has it: a cursor is an id the server sent,
/// which a hostile server may make equal to the key).
pub fn check_request(request: &Request, method: &str, url: &str) {
    assert_eq!(request.method.as_str(), method);
    assert_eq!(request.url, url);
    assert_eq!(
        request.header("Authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    let debug = format!("{request:?}");
    assert!(
        debug.matches(KEY_CORE).count() <= request.url.matches(KEY_CORE).count(),
        "request Debug shows the key: {debug}"
    );
}

/// Checks that the first `attempts` requests are byte-identical retries of one another (README:
/// "A retry is byte-identical to the first attempt"), and that there were exactly `attempts`
/// requests to the first URL.
pub fn check_attempts(requests: &[Request], attempts: usize) {
    let to_first = requests
        .iter()
        .take_while(|r| r.url == requests[0].url)
        .count();
    assert_eq!(to_first, attempts, "attempts on the first URL");
    for retry in &requests[1..attempts] {
        assert!(
            *retry == requests[0],
            "a retry differs from the first attempt"
        );
    }
}

/// The error kind DESIGN 5.5 gives a non-2xx response: by status, then body. `type_` and `code`
/// are Stripe's error `type` and `code` when the body is Stripe's error JSON.
pub fn design_kind(status: u16, type_: Option<&str>, code: Option<&str>) -> ErrorKind {
    match status {
        429 => ErrorKind::RateLimit,
        400 if code == Some("rate_limit") => ErrorKind::RateLimit,
        400 | 404 if type_ == Some("idempotency_error") => ErrorKind::Idempotency,
        400 | 404 => ErrorKind::InvalidRequest,
        401 => ErrorKind::Authentication,
        402 => ErrorKind::Card,
        403 => ErrorKind::Permission,
        _ => ErrorKind::Api,
    }
}

/// `haystack` contains `needle`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// What every error must satisfy, whatever its origin: every accessor answers without
/// panicking, and neither `Display` nor `Debug` shows the key unless `body` (what the server
/// sent) contains it.
pub fn check_common(error: &Error, body: &[u8]) {
    let display = error.to_string();
    let debug = format!("{error:?}");
    let _ = (
        error.kind(),
        error.status(),
        error.code(),
        error.param(),
        error.message(),
        error.request_id(),
        error.body(),
        std::error::Error::source(error),
    );
    if !contains(body, KEY_CORE.as_bytes()) {
        assert!(
            !display.contains(KEY_CORE),
            "Display shows the key: {display}"
        );
        assert!(!debug.contains(KEY_CORE), "Debug shows the key: {debug}");
    }
}

/// The quote of an unexpected body: its first [`EXCERPT_CHARS`] characters (lossy UTF-8), with
/// `...` when there were more.
pub fn expected_excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push_str("...");
    }
    out
}

/// Checks the error a response described by `head` with `body` gave: an `Api` error for a
/// non-2xx status, classified per DESIGN 5.5, or a `Decode` error for a 2xx one; status, request
/// id, message, excerpt and `Display` as the README describes; the key never shown.
///
/// `T` is what the call decodes a success body as: a `Decode` error must be for a body serde
/// refuses as `T` too (the client must not alter the body it decodes).
pub fn check_response_error<T: DeserializeOwned>(error: &Error, head: &Head, body: &[u8]) {
    check_common(error, body);
    assert_eq!(error.status(), Some(head.status));
    let request_id = head.request_id.then_some(REQUEST_ID);
    assert_eq!(error.request_id(), request_id);
    let prefix = request_id.map_or(String::new(), |id| format!("Request {id}: "));
    let display = error.to_string();
    match error {
        Error::Api(api) => {
            assert!(
                !head.is_success(),
                "an Api error for status {}",
                head.status
            );
            assert_eq!(api.kind, error.kind());
            assert_eq!(api.status, head.status);
            let type_ = api.body.as_ref().map(|b| b.type_.as_str());
            let expected = design_kind(head.status, type_, error.code());
            // Finding 1 (README), fixed in 13b255d: `idempotency_error` was read before the status.
            assert_eq!(
                error.kind(),
                expected,
                "status {} with type {type_:?} and code {:?}: DESIGN 5.5 says {expected:?}",
                head.status,
                error.code(),
            );
            match (&api.body, &api.raw_excerpt) {
                (Some(stripe), None) => {
                    assert!(
                        serde_json::from_slice::<Value>(body).is_ok(),
                        "an error body from a body that is not JSON"
                    );
                    assert_eq!(error.body(), Some(stripe));
                    assert_eq!(error.message(), stripe.message.as_deref());
                    assert_eq!(error.code(), stripe.code.as_deref());
                    assert_eq!(error.param(), stripe.param.as_deref());
                    let text = match &stripe.message {
                        Some(message) => message.clone(),
                        None => format!("{} (status {})", stripe.type_, head.status),
                    };
                    assert_eq!(display, format!("{prefix}{text}"));
                }
                (None, Some(excerpt)) => {
                    assert_eq!(*excerpt, expected_excerpt(body));
                    assert_eq!(error.message(), None);
                    assert_eq!(error.code(), None);
                    let text = if excerpt.is_empty() {
                        format!("unexpected empty error response (status {})", head.status)
                    } else {
                        format!(
                            "unexpected error response (status {}): {excerpt:?}",
                            head.status
                        )
                    };
                    assert_eq!(display, format!("{prefix}{text}"));
                }
                (body, excerpt) => panic!(
                    "an error needs exactly one of body and excerpt: {} {}",
                    body.is_some(),
                    excerpt.is_some()
                ),
            }
        }
        Error::Decode(decode) => {
            assert!(
                head.is_success(),
                "a Decode error for status {}",
                head.status
            );
            assert_eq!(error.kind(), ErrorKind::Decode);
            assert_eq!(decode.excerpt, expected_excerpt(body));
            assert_eq!(error.message(), Some(decode.message.as_str()));
            assert!(
                serde_json::from_slice::<T>(body).is_err(),
                "a body that decodes was refused"
            );
            assert!(display.starts_with(&prefix));
        }
        other => panic!("a response gave a {:?} error", other.kind()),
    }
}

/// Serializes a decoded link and decodes it again: the result must equal the link (and the link
/// must equal itself: `Eq` is reflexive).
pub fn check_json_round_trip(link: &FileLink) {
    let json = serde_json::to_string(link).expect("a decoded link serializes");
    let again: FileLink = serde_json::from_str(&json).expect("a serialized link decodes");
    assert!(
        *link == link.clone() && again == *link,
        "a decoded link is not equal to itself after a JSON round trip: {json}"
    );
}

/// A JSON value of a field the client does not know: it must be ignored.
#[derive(Debug, Clone, Arbitrary)]
pub enum Extra {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float (non-finite ones become `null`).
    Float(f64),
    /// A string.
    Str(String),
    /// An array of small integers.
    List(Vec<u8>),
}

impl Extra {
    fn to_json(&self) -> Value {
        match self {
            Extra::Null => Value::Null,
            Extra::Bool(b) => json!(b),
            Extra::Int(i) => json!(i),
            Extra::Float(f) => json!(f),
            Extra::Str(s) => json!(s),
            Extra::List(l) => json!(l),
        }
    }
}

/// Unknown fields, never overriding the known ones (which are inserted after them).
fn extras(extra: &[(String, Extra)]) -> Map<String, Value> {
    extra
        .iter()
        .map(|(key, value)| (key.clone(), value.to_json()))
        .collect()
}

/// Metadata as a JSON object keeps the last value of a repeated key.
fn metadata_map(entries: &[(String, String)]) -> BTreeMap<String, String> {
    entries.iter().cloned().collect()
}

/// A file link the server sends, generated by `arbitrary`: any strings, any integers, unknown
/// fields, `null` or absent optional fields. Decoding it must succeed and give exactly these
/// values.
#[derive(Debug, Clone, Arbitrary)]
pub struct LinkSpec {
    /// `id` (never checked when decoding).
    pub id: String,
    /// `object`.
    pub object: String,
    /// `created`.
    pub created: i64,
    /// `expired`.
    pub expired: bool,
    /// `expires_at`.
    pub expires_at: Option<i64>,
    /// `file`: an id or an expanded file.
    pub file: FileSpec,
    /// `livemode`.
    pub livemode: bool,
    /// `metadata` (a repeated key keeps its last value, as in any JSON object built here).
    pub metadata: Vec<(String, String)>,
    /// `url`.
    pub url: Option<String>,
    /// Send `None` as `null` rather than leaving the field out.
    pub nulls: bool,
    /// Unknown fields.
    pub extra: Vec<(String, Extra)>,
}

/// The `file` field of a [`LinkSpec`].
#[derive(Debug, Clone, Arbitrary)]
pub enum FileSpec {
    /// Not expanded: the id.
    Id(String),
    /// Expanded: a file, possibly with its own list of links (given by id).
    Object {
        /// `id`.
        id: String,
        /// `created`.
        created: i64,
        /// `purpose`: known or not.
        purpose: String,
        /// `size`.
        size: u64,
        /// `filename`.
        filename: Option<String>,
        /// `links`: a list of minimal links with these ids.
        links: Option<Vec<String>>,
    },
}

/// A minimal valid file link with `id`, pointing at `file`.
pub fn minimal_link(id: &str, file: &str) -> Value {
    json!({
        "id": id,
        "object": "file_link",
        "created": 1_700_000_000,
        "expired": false,
        "expires_at": null,
        "file": file,
        "livemode": false,
        "metadata": {},
        "url": null,
    })
}

impl LinkSpec {
    /// The JSON the server sends.
    pub fn to_json(&self) -> Value {
        let mut object = extras(&self.extra);
        let mut optional = |key: &str, value: Option<Value>| match value {
            Some(value) => {
                object.insert(key.to_owned(), value);
            }
            None if self.nulls => {
                object.insert(key.to_owned(), Value::Null);
            }
            None => {
                object.remove(key);
            }
        };
        optional("expires_at", self.expires_at.map(|t| json!(t)));
        optional("url", self.url.as_ref().map(|u| json!(u)));
        let file = match &self.file {
            FileSpec::Id(id) => json!(id),
            FileSpec::Object {
                id,
                created,
                purpose,
                size,
                filename,
                links,
            } => {
                let links = links.as_ref().map(|ids| {
                    let data: Vec<Value> = ids.iter().map(|l| minimal_link(l, id)).collect();
                    json!({"object": "list", "url": "/v1/file_links", "has_more": false, "data": data})
                });
                json!({
                    "id": id,
                    "object": "file",
                    "created": created,
                    "purpose": purpose,
                    "size": size,
                    "filename": filename,
                    "links": links,
                })
            }
        };
        for (key, value) in [
            ("id", json!(self.id)),
            ("object", json!(self.object)),
            ("created", json!(self.created)),
            ("expired", json!(self.expired)),
            ("file", file),
            ("livemode", json!(self.livemode)),
            ("metadata", json!(metadata_map(&self.metadata))),
        ] {
            object.insert(key.to_owned(), value);
        }
        Value::Object(object)
    }

    /// Checks that `link` holds exactly what [`to_json`](Self::to_json) sent.
    pub fn check(&self, link: &FileLink) {
        assert_eq!(link.id.as_ref(), self.id);
        assert_eq!(link.object, self.object);
        assert_eq!(link.created, self.created);
        assert_eq!(link.expired, self.expired);
        assert_eq!(link.expires_at, self.expires_at);
        assert_eq!(link.livemode, self.livemode);
        assert_eq!(link.url, self.url);
        let metadata = metadata_map(&self.metadata);
        assert_eq!(link.metadata.len(), metadata.len());
        for (key, value) in &metadata {
            assert_eq!(
                link.metadata.get(key),
                Some(value.as_str()),
                "metadata[{key}]"
            );
        }
        match (&self.file, &link.file) {
            (FileSpec::Id(id), Expandable::Id(got)) => assert_eq!(got, id),
            (
                FileSpec::Object {
                    id,
                    created,
                    purpose,
                    size,
                    filename,
                    links,
                },
                Expandable::Object(file),
            ) => {
                assert_eq!(link.file.id(), id);
                assert_eq!(file.id.as_ref(), id);
                assert_eq!(file.created, *created);
                assert_eq!(file.purpose.as_str(), purpose);
                assert_eq!(file.size, *size);
                assert_eq!(file.filename, *filename);
                let got: Option<Vec<&str>> = file
                    .links
                    .as_ref()
                    .map(|list| list.data.iter().map(|l| l.id.as_ref()).collect());
                let want: Option<Vec<&str>> = links
                    .as_ref()
                    .map(|ids| ids.iter().map(String::as_str).collect());
                assert_eq!(got, want);
            }
            (spec, got) => panic!("file sent as {spec:?}, decoded as {got:?}"),
        }
    }
}

/// One page of file links the server sends, generated by `arbitrary`.
#[derive(Debug, Clone, Arbitrary)]
pub struct PageSpec {
    /// The ids of the page's links, any strings.
    pub ids: Vec<String>,
    /// `has_more`.
    pub has_more: bool,
    /// Replace the id the paginator would take as its next cursor by the cursor it just sent.
    pub edge_is_cursor: bool,
    /// Leave `object` and `url` out (both have defaults).
    pub bare: bool,
    /// Unknown fields.
    pub extra: Vec<(String, Extra)>,
}

impl PageSpec {
    /// The JSON the server sends. `cursor` is the cursor the request carried, if any; with
    /// `edge_is_cursor` it replaces the id the paginator takes as its next cursor (the last, or
    /// the first when paging `backward`).
    pub fn to_json(&mut self, backward: bool, cursor: Option<&str>) -> Value {
        if let (true, Some(cursor), false) = (self.edge_is_cursor, cursor, self.ids.is_empty()) {
            let edge = if backward { 0 } else { self.ids.len() - 1 };
            cursor.clone_into(&mut self.ids[edge]);
        }
        let mut object = extras(&self.extra);
        if self.bare {
            object.remove("object");
            object.remove("url");
        } else {
            object.insert("object".to_owned(), json!("list"));
            object.insert("url".to_owned(), json!("/v1/file_links"));
        }
        let data: Vec<Value> = self
            .ids
            .iter()
            .map(|id| minimal_link(id, "file_1"))
            .collect();
        object.insert("has_more".to_owned(), json!(self.has_more));
        object.insert("data".to_owned(), json!(data));
        Value::Object(object)
    }
}

/// Stripe's error object, generated by `arbitrary`. The client must keep every field, the
/// unknown ones in `other`.
#[derive(Debug, Clone, Arbitrary)]
pub struct EnvelopeSpec {
    /// `type`: left out when `None` (it defaults to `""`), chosen from Stripe's types or any
    /// string.
    pub type_: Option<ErrorType>,
    /// `code`: known codes or any string.
    pub code: Option<ErrorCode>,
    /// `decline_code`.
    pub decline_code: Option<String>,
    /// `message`.
    pub message: Option<String>,
    /// `param`.
    pub param: Option<String>,
    /// `doc_url`.
    pub doc_url: Option<String>,
    /// `request_log_url`.
    pub request_log_url: Option<String>,
    /// Send `None` as `null` rather than leaving the field out (not for `type`).
    pub nulls: bool,
    /// Unknown fields of the error object.
    pub extra: Vec<(String, String)>,
    /// Unknown fields of the envelope, beside `error`.
    pub top_extra: Vec<(String, Extra)>,
}

/// An error `type`.
#[derive(Debug, Clone, Arbitrary)]
pub enum ErrorType {
    /// `api_error`.
    Api,
    /// `card_error`.
    Card,
    /// `idempotency_error`.
    Idempotency,
    /// `invalid_request_error`.
    InvalidRequest,
    /// Anything.
    Other(String),
}

impl ErrorType {
    fn as_str(&self) -> &str {
        match self {
            ErrorType::Api => "api_error",
            ErrorType::Card => "card_error",
            ErrorType::Idempotency => "idempotency_error",
            ErrorType::InvalidRequest => "invalid_request_error",
            ErrorType::Other(other) => other,
        }
    }
}

/// An error `code`.
#[derive(Debug, Clone, Arbitrary)]
pub enum ErrorCode {
    /// `rate_limit`.
    RateLimit,
    /// `resource_missing`.
    ResourceMissing,
    /// Anything.
    Other(String),
}

impl ErrorCode {
    fn as_str(&self) -> &str {
        match self {
            ErrorCode::RateLimit => "rate_limit",
            ErrorCode::ResourceMissing => "resource_missing",
            ErrorCode::Other(other) => other,
        }
    }
}

const KNOWN_ERROR_FIELDS: &[&str] = &[
    "type",
    "code",
    "decline_code",
    "message",
    "param",
    "doc_url",
    "request_log_url",
];

impl EnvelopeSpec {
    fn fields(&self) -> [(&'static str, Option<&str>); 6] {
        [
            ("code", self.code.as_ref().map(ErrorCode::as_str)),
            ("decline_code", self.decline_code.as_deref()),
            ("message", self.message.as_deref()),
            ("param", self.param.as_deref()),
            ("doc_url", self.doc_url.as_deref()),
            ("request_log_url", self.request_log_url.as_deref()),
        ]
    }

    /// The unknown fields of the error object, as the client must keep them.
    fn other(&self) -> Map<String, Value> {
        self.extra
            .iter()
            .filter(|(key, _)| !KNOWN_ERROR_FIELDS.contains(&key.as_str()))
            .map(|(key, value)| (key.clone(), json!(value)))
            .collect()
    }

    /// The JSON the server sends.
    pub fn to_json(&self) -> Value {
        let mut error = self.other();
        if let Some(type_) = &self.type_ {
            error.insert("type".to_owned(), json!(type_.as_str()));
        }
        for (key, value) in self.fields() {
            match value {
                Some(value) => {
                    error.insert(key.to_owned(), json!(value));
                }
                None if self.nulls => {
                    error.insert(key.to_owned(), Value::Null);
                }
                None => {}
            }
        }
        let mut envelope = extras(&self.top_extra);
        envelope.insert("error".to_owned(), Value::Object(error));
        Value::Object(envelope)
    }

    /// Checks that the client kept the error object whole.
    pub fn check(&self, error: &Error) {
        let body = error
            .body()
            .expect("Stripe's error JSON gives an error body");
        assert_eq!(
            body.type_,
            self.type_.as_ref().map_or("", ErrorType::as_str)
        );
        assert_eq!(body.code.as_deref(), self.fields()[0].1);
        assert_eq!(body.decline_code.as_deref(), self.decline_code.as_deref());
        assert_eq!(body.message.as_deref(), self.message.as_deref());
        assert_eq!(body.param.as_deref(), self.param.as_deref());
        assert_eq!(body.doc_url.as_deref(), self.doc_url.as_deref());
        assert_eq!(
            body.request_log_url.as_deref(),
            self.request_log_url.as_deref()
        );
        assert_eq!(body.other, self.other());
    }
}

/// One raw form pair.
pub type Pair = (String, String);

/// The strict form decoder of the tests crate, shared with the property test.
pub use tests::strict_decode;

/// Whether every byte of an encoded form is one the encoder may emit:
/// `A-Z a-z 0-9 - _ . ~ [ ] + % = &`.
pub fn only_allowed_bytes(encoded: &str) -> bool {
    encoded
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.~[]+%=&".contains(&b))
}
