//! What the `emulator_*` targets share: an emulator with File Links (and the common resources),
//! the checks every answer of its front door must pass, a model of idempotent replays, and the
//! follow-up requests that show the engine is still usable.
//!
//! Everything goes through the public API of `resource-emulator`: [`Emulator::handle`] with an
//! [`Incoming`], as the HTTP server and the in-process transport call it.

use std::collections::HashMap;

use resource_emulator::{Emulator, Incoming, Outgoing};
use serde_json::{Map, Value};

/// The key the targets send by default.
pub const EMULATOR_KEY: &str = "sk_test_fuzz";
/// `Authorization: Bearer sk_test_fuzz`.
pub const BEARER: &str = "Bearer sk_test_fuzz";
/// The emulator's default base URL (objects' `url` fields start with it).
pub const BASE_URL: &str = "http://emulator.invalid";

/// A fresh emulator serving files and file links, and the common resources when `common`.
pub fn emulator(common: bool) -> Emulator {
    let emulator = Emulator::new();
    file_link::emulator::register(&emulator);
    if common {
        common_resources::emulator::register(&emulator);
    }
    emulator
}

/// The first header called `name` (any case), as the engine reads headers.
pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A request's one-line description for panic messages.
pub fn describe(request: &Incoming<'_>) -> String {
    format!(
        "{} {}?{} headers={:?} body={:?}",
        request.method,
        request.path,
        request.query,
        request.headers,
        String::from_utf8_lossy(request.body)
    )
}

/// What an answer was.
#[derive(Debug)]
pub enum Answer {
    /// A JSON answer: an object (status 200) or Stripe's error envelope.
    Json(Value),
    /// A download's bytes (status 200, a `GET` of a URL an object handed out).
    Download,
}

/// Whether `path` is one the emulator serves downloads at: a link's `url` (`/links/...`) or a
/// file's contents (`/v1/files/{id}/contents`).
pub fn is_download_path(path: &str) -> bool {
    path.starts_with("/links/")
        || path
            .strip_prefix("/v1/files/")
            .is_some_and(|rest| rest.ends_with("/contents"))
}

/// Checks one answer of the front door:
///
/// - the status is 200 or 4xx (a 5xx is the emulator failing, not the request);
/// - exactly one `Request-Id` (`req_` and letters or digits) and one `Content-Type`;
/// - no header name or value holds a CR or LF (the HTTP server writes them as they are), unless
///   the request's own headers did (`Stripe-Version` is echoed);
/// - `Stripe-Version` is echoed on JSON answers;
/// - a JSON answer is an object with an `object` string (200), or exactly `{"error": {...}}`
///   with a `type` ending in `_error` and a non-empty `message` (anything else); anything else
///   is a download: only a 200 to a `GET` of a download path.
pub fn check_answer(request: &Incoming<'_>, out: &Outgoing) -> Answer {
    let what = || {
        format!(
            "{}\n-> {} {:?}",
            describe(request),
            out.status,
            String::from_utf8_lossy(&out.body)
        )
    };
    assert!(
        out.status == 200 || (400..500).contains(&out.status),
        "status {} is not 200 or 4xx: {}",
        out.status,
        what()
    );
    let ids: Vec<&str> = out
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("Request-Id"))
        .map(|(_, v)| v.as_str())
        .collect();
    assert!(
        ids.len() == 1
            && ids[0].len() > 4
            && ids[0].starts_with("req_")
            && ids[0][4..].bytes().all(|b| b.is_ascii_alphanumeric()),
        "Request-Id headers {ids:?}: {}",
        what()
    );
    let types: Vec<&str> = out
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("Content-Type"))
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(types.len(), 1, "Content-Type headers {types:?}: {}", what());
    let request_has_crlf = request
        .headers
        .iter()
        .any(|(n, v)| n.contains(['\r', '\n']) || v.contains(['\r', '\n']));
    if !request_has_crlf {
        for (name, value) in &out.headers {
            assert!(
                !name.contains(['\r', '\n']) && !value.contains(['\r', '\n']),
                "a response header holds a line break (header injection over HTTP): {name:?}: {value:?}\n{}",
                what()
            );
        }
    }
    let download_path = request.method == "GET" && is_download_path(request.path);
    let download = download_path && out.status == 200;
    if download {
        // Served as an attachment, never sniffed (Emulate::serve).
        assert_eq!(
            header(&out.headers, "X-Content-Type-Options"),
            Some("nosniff"),
            "{}",
            what()
        );
        assert!(
            header(&out.headers, "Content-Disposition")
                .is_some_and(|d| d.starts_with("attachment; filename=\"")),
            "{}",
            what()
        );
    }
    if types[0] != "application/json" {
        assert!(
            download,
            "a non-JSON answer ({:?}) that is not a download: {}",
            types[0],
            what()
        );
        return Answer::Download;
    }
    let json: Value = match serde_json::from_slice(&out.body) {
        Ok(json) => json,
        // A download may be an uploaded file that said it was JSON.
        Err(_) if download => return Answer::Download,
        Err(error) => panic!("the body is not JSON ({error}): {}", what()),
    };
    if download {
        return Answer::Download;
    }
    // Downloads answer before the API's headers are made.
    if let Some(version) = header(request.headers, "Stripe-Version").filter(|_| !download_path) {
        assert_eq!(
            header(&out.headers, "Stripe-Version"),
            Some(version),
            "Stripe-Version not echoed: {}",
            what()
        );
    }
    if out.status == 200 {
        assert!(
            json.get("object").is_some_and(Value::is_string),
            "a 200 answer without an `object` string: {}",
            what()
        );
    } else {
        check_error_envelope(&json, &what);
    }
    Answer::Json(json)
}

fn check_error_envelope(json: &Value, what: &dyn Fn() -> String) {
    let envelope = json
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {}", what()));
    assert_eq!(
        envelope.len(),
        1,
        "the envelope has more than `error`: {}",
        what()
    );
    let error = envelope
        .get("error")
        .and_then(Value::as_object)
        .unwrap_or_else(|| panic!("no `error` object: {}", what()));
    let type_ = error.get("type").and_then(Value::as_str).unwrap_or("");
    assert!(
        type_.ends_with("_error"),
        "error type {type_:?}: {}",
        what()
    );
    let message = error.get("message").and_then(Value::as_str).unwrap_or("");
    assert!(
        !message.is_empty(),
        "an error without a message: {}",
        what()
    );
}

/// Stripe's redaction of a refused key, counted in characters (auth.rs `redact`): a key-kind
/// prefix, the key up to and including its second `_` when that is at most 8 characters
/// (`sk_live_`), then `*` for every character but the last four.
pub fn expected_redaction(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let shown_prefix = chars
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == '_')
        .nth(1)
        .map_or(0, |(i, _)| i + 1);
    let shown_prefix = if shown_prefix <= 8 { shown_prefix } else { 0 };
    let tail = chars.len().saturating_sub(4).max(shown_prefix);
    let prefix: String = chars[..shown_prefix].iter().collect();
    let suffix: String = chars[tail..].iter().collect();
    format!("{prefix}{}{suffix}", "*".repeat(tail - shown_prefix))
}

/// The key the engine authenticates a request with, for a `Bearer` header (`None` for anything
/// else: no header, basic auth, another scheme).
pub fn bearer_key(headers: &[(String, String)]) -> Option<String> {
    let (scheme, key) = header(headers, "Authorization")?.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| key.trim().to_owned())
}

/// A refused `Bearer` key is answered with 401 and shown redacted as [`expected_redaction`]
/// says: never more of it than a key-kind prefix and its last four characters.
pub fn check_refused_key(request: &Incoming<'_>, out: &Outgoing, json: &Value) {
    let Some(key) = bearer_key(request.headers) else {
        return;
    };
    if key.starts_with("sk_test_") && key.len() > "sk_test_".len() {
        return;
    }
    assert_eq!(
        out.status,
        401,
        "a refused key is not a 401: {}",
        describe(request)
    );
    let message = json["error"]["message"].as_str().unwrap_or_default();
    let expected = format!("Invalid API Key provided: {}", expected_redaction(&key));
    assert_eq!(
        message, expected,
        "a refused key is shown beyond its prefix and last four characters (key {key:?})"
    );
}

/// What the first request with an idempotency key got.
struct First {
    path: String,
    body: Vec<u8>,
    status: u16,
    answer: Vec<u8>,
}

/// A model of idempotent replays: a `POST` with an `Idempotency-Key` that a successful (2xx)
/// request used before (same key, `Stripe-Account` and API key) gets the first answer again,
/// byte for byte, with `Idempotent-Replayed: true` when it is the same request (path and body),
/// else a 400 `idempotency_error`; a refused request leaves its key free. Only `Bearer` keys the
/// engine accepts are tracked; keys also used with basic auth or a multipart body are left out.
/// The 24 hours and the capacity of the engine's store are out of reach of a few requests.
#[derive(Default)]
pub struct Replays {
    seen: HashMap<(String, String, String), First>,
    untracked: Vec<(String, String)>,
}

impl Replays {
    /// Checks `out` against the model, then records it.
    pub fn check(&mut self, request: &Incoming<'_>, out: &Outgoing) {
        if request.method != "POST" {
            return;
        }
        let Some(idempotency_key) = header(request.headers, "Idempotency-Key") else {
            return;
        };
        let account = header(request.headers, "Stripe-Account").unwrap_or_default();
        let basic = header(request.headers, "Authorization")
            .and_then(|value| value.split_once(' '))
            .is_some_and(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"));
        let pair = (account.to_owned(), idempotency_key.to_owned());
        // Basic auth, or a multipart body (compared by its parts, whatever the boundary), is
        // left to the engine.
        let multipart = header(request.headers, "Content-Type")
            .is_some_and(|t| t.to_ascii_lowercase().contains("multipart"));
        if basic || multipart {
            self.untracked.push(pair);
            return;
        }
        if self.untracked.contains(&pair) {
            return;
        }
        let Some(api_key) = bearer_key(request.headers) else {
            return;
        };
        if !(api_key.starts_with("sk_test_") && api_key.len() > "sk_test_".len()) {
            return;
        }
        let slot = (api_key, account.to_owned(), idempotency_key.to_owned());
        let replayed = header(&out.headers, "Idempotent-Replayed") == Some("true");
        match self.seen.get(&slot) {
            Some(first) if first.path == request.path && first.body == request.body => {
                assert!(
                    replayed && out.status == first.status && out.body == first.answer,
                    "a replay differs from the first answer ({} {:?}): {}\n-> {} {:?}",
                    first.status,
                    String::from_utf8_lossy(&first.answer),
                    describe(request),
                    out.status,
                    String::from_utf8_lossy(&out.body)
                );
            }
            Some(_) => {
                assert!(
                    !replayed,
                    "a different request replayed: {}",
                    describe(request)
                );
                let json: Value = serde_json::from_slice(&out.body).unwrap_or_default();
                assert!(
                    out.status == 400 && json["error"]["type"] == "idempotency_error",
                    "a reused key with another request is not an idempotency_error: {}\n-> {} {:?}",
                    describe(request),
                    out.status,
                    String::from_utf8_lossy(&out.body)
                );
            }
            None => {
                assert!(!replayed, "a first request replayed: {}", describe(request));
                // Only a request that succeeded keeps its key (a refused one leaves it free).
                if !(200..300).contains(&out.status) {
                    return;
                }
                self.seen.insert(
                    slot,
                    First {
                        path: request.path.to_owned(),
                        body: request.body.to_vec(),
                        status: out.status,
                        answer: out.body.clone(),
                    },
                );
            }
        }
    }
}

/// A multipart upload body with boundary `B`: `purpose`, the file, and optionally
/// `file_link_data[create]=true`.
pub fn upload_body(purpose: &str, filename: &str, bytes: &[u8], link: bool) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--B\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n{purpose}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: text/plain\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(b"\r\n");
    if link {
        body.extend_from_slice(
            b"--B\r\nContent-Disposition: form-data; name=\"file_link_data[create]\"\r\n\r\ntrue\r\n",
        );
    }
    body.extend_from_slice(b"--B--\r\n");
    body
}

/// Whether `EMULATOR_FUZZ_TRACE` is set: then every request and answer is printed to stderr
/// (for replaying one input by hand).
pub fn tracing() -> bool {
    static TRACE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *TRACE.get_or_init(|| std::env::var_os("EMULATOR_FUZZ_TRACE").is_some())
}

/// Prints a request and its answer when [`tracing`].
pub fn trace(request: &Incoming<'_>, out: &Outgoing) {
    if tracing() {
        eprintln!(
            "{}\n  -> {} {:?} {}",
            describe(request),
            out.status,
            out.headers,
            String::from_utf8_lossy(&out.body)
        );
    }
}

/// Sends one request with the default key and checks its answer; returns the status and JSON.
pub fn send(
    emulator: &Emulator,
    method: &str,
    path: &str,
    query: &str,
    extra: &[(String, String)],
    body: &[u8],
) -> (Outgoing, Answer) {
    let mut headers = vec![("Authorization".to_owned(), BEARER.to_owned())];
    headers.extend_from_slice(extra);
    let request = Incoming {
        method,
        path,
        query,
        headers: &headers,
        body,
    };
    let out = emulator.handle(&request);
    trace(&request, &out);
    let answer = check_answer(&request, &out);
    (out, answer)
}

/// A JSON object answer with status 200, or a panic saying what `step` got.
pub fn ok_object(step: &str, (out, answer): (Outgoing, Answer)) -> Map<String, Value> {
    match answer {
        Answer::Json(Value::Object(object)) if out.status == 200 => object,
        other => panic!(
            "{step}: the engine is no longer usable: {} {other:?} {:?}",
            out.status,
            String::from_utf8_lossy(&out.body)
        ),
    }
}

/// The path of an object's `url` on this emulator.
pub fn url_path(url: &str) -> Option<&str> {
    url.strip_prefix(BASE_URL)
}

/// Uploads a file with a link, downloads it through the file's contents and the link's url,
/// creates another link to it and reads it back, and (with `common`) creates and retrieves a
/// customer: all must succeed after whatever came before.
pub fn check_still_usable(emulator: &Emulator, common: bool) {
    let multipart = [(
        "Content-Type".to_owned(),
        "multipart/form-data; boundary=B".to_owned(),
    )];
    let bytes = b"still usable\x00\xff";
    let body = upload_body("dispute_evidence", "after.txt", bytes, true);
    let file = ok_object(
        "upload",
        send(emulator, "POST", "/v1/files", "", &multipart, &body),
    );
    let file_id = file["id"].as_str().expect("a file id").to_owned();
    assert_eq!(file["size"], bytes.len(), "{file:?}");
    let links = file["links"]["data"].as_array().expect("the file's links");
    assert_eq!(
        links.len(),
        1,
        "file_link_data[create]=true made one link: {file:?}"
    );

    let contents = format!("/v1/files/{file_id}/contents");
    let (out, answer) = send(emulator, "GET", &contents, "", &[], b"");
    assert!(
        out.status == 200 && matches!(answer, Answer::Download) && out.body == bytes,
        "the file's contents: {} {:?}",
        out.status,
        String::from_utf8_lossy(&out.body)
    );
    let link_url = links[0]["url"].as_str().expect("a link url");
    let link_path = url_path(link_url).expect("a url on the emulator");
    let (out, _) = send(emulator, "GET", link_path, "", &[], b"");
    assert!(
        out.status == 200 && out.body == bytes,
        "the link's url: {} {:?}",
        out.status,
        String::from_utf8_lossy(&out.body)
    );

    let form = format!("file={file_id}&metadata[order]=1&expand[0]=file");
    let link = ok_object(
        "link create",
        send(emulator, "POST", "/v1/file_links", "", &[], form.as_bytes()),
    );
    let link_id = link["id"].as_str().expect("a link id").to_owned();
    assert_eq!(link["file"]["id"], file_id.as_str(), "{link:?}");
    assert_eq!(link["metadata"]["order"], "1", "{link:?}");
    let again = ok_object(
        "link retrieve",
        send(
            emulator,
            "GET",
            &format!("/v1/file_links/{link_id}"),
            "",
            &[],
            b"",
        ),
    );
    assert_eq!(again["id"], link_id.as_str());
    let list = ok_object(
        "link list",
        send(
            emulator,
            "GET",
            "/v1/file_links",
            &format!("file={file_id}&limit=100"),
            &[],
            b"",
        ),
    );
    let listed = list["data"].as_array().expect("a page");
    assert!(
        listed.iter().any(|l| l["id"] == link_id.as_str()),
        "the new link is listed: {list:?}"
    );

    if common {
        let customer = ok_object(
            "customer create",
            send(
                emulator,
                "POST",
                "/v1/customers",
                "",
                &[],
                b"email=after%40example.com&metadata[k]=v",
            ),
        );
        let id = customer["id"].as_str().expect("a customer id").to_owned();
        let again = ok_object(
            "customer retrieve",
            send(
                emulator,
                "GET",
                &format!("/v1/customers/{id}"),
                "",
                &[],
                b"",
            ),
        );
        assert_eq!(again["email"], "after@example.com");
    }
}
