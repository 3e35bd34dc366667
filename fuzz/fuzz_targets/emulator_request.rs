//! Request handling: up to 16 arbitrary requests (method, path, query, headers, body) split from
//! the input, each handled by `Emulator::handle` of an emulator with files, file links and the
//! common resources (customers, payment intents, refunds, products, prices, coupons, checkout
//! sessions, subscriptions, transfers, accounts, balance, ...) registered.
//!
//! - never a panic; every answer passes `check_answer`: 200 or 4xx, one `Request-Id`, one
//!   `Content-Type`, `Stripe-Version` echoed, JSON (an object with `object`, or exactly Stripe's
//!   error envelope) or a download's bytes (a 200 to a `GET` of a download path), no line break
//!   in a header unless the request's headers had one;
//! - a refused `Bearer` key is a 401 that shows it redacted: its key-kind prefix (up to the
//!   second `_`, when that is at most 8 characters) and its last four characters, `*` for the
//!   rest, counted in characters;
//! - idempotency follows the model in `Replays`: the same `POST` again with the same key gets
//!   the first answer byte for byte and `Idempotent-Replayed: true`, another request a 400
//!   `idempotency_error`;
//! - afterwards the engine is still usable: an upload with a link, downloads, a link create,
//!   retrieve and list, a customer create and retrieve all succeed (`check_still_usable`).
//!
//! Input: requests separated by a NUL byte. Each is text like HTTP/1.1 (`\n` or `\r\n` line
//! ends):
//!
//! ```text
//! POST /v1/file_links?expand[0]=file
//! Idempotency-Key: k1
//!
//! file=$0&metadata[order]=6735
//! ```
//!
//! The first line is the method and the target (path, then `?` and the query); header lines
//! (`Name: value`) follow until an empty line; the rest is the body (bytes). A request without
//! `Authorization` gets `Authorization: Bearer sk_test_fuzz`; `Authorization: -` sends none.
//! In the target, header values and the body, `$0` to `$9` stand for the ids the earlier answers
//! gave (in order of appearance: an answer's `id`, then its `data` items'), and `$u` for the
//! path of the last `url` on the emulator an answer gave (a file's contents, a link's url).
//! `-dict=request.dict`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use resource_emulator::Incoming;
use resource_fuzz::emulator::{
    Answer, BEARER, Replays, check_answer, check_refused_key, check_still_usable, emulator, trace,
    url_path,
};
use serde_json::Value;

const MAX_REQUESTS: usize = 16;

/// One request split from the input, before placeholders are filled.
struct Raw<'a> {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: &'a [u8],
}

/// The line at the start of `rest` (without its `\n` and a `\r` before it), and what follows.
fn line(rest: &[u8]) -> (&[u8], &[u8]) {
    let (line, after) = match rest.iter().position(|&b| b == b'\n') {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &[][..]),
    };
    (line.strip_suffix(b"\r").unwrap_or(line), after)
}

fn split(piece: &[u8]) -> Raw<'_> {
    let (first, mut rest) = line(piece);
    let first = String::from_utf8_lossy(first);
    let (method, target) = first.split_once(' ').unwrap_or((&first, "/"));
    let mut headers = Vec::new();
    let mut body: &[u8] = &[];
    while !rest.is_empty() {
        let (header, after) = line(rest);
        rest = after;
        if header.is_empty() {
            body = rest;
            break;
        }
        let header = String::from_utf8_lossy(header);
        let (name, value) = header.split_once(':').unwrap_or((&header, ""));
        headers.push((
            name.to_owned(),
            value.strip_prefix(' ').unwrap_or(value).to_owned(),
        ));
    }
    Raw {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        body,
    }
}

/// What earlier answers gave, for the placeholders.
#[derive(Default)]
struct Seen {
    ids: Vec<String>,
    url: Option<String>,
}

impl Seen {
    fn fill(&self, text: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len());
        let mut i = 0;
        while i < text.len() {
            if text[i] == b'$'
                && let Some(&next) = text.get(i + 1)
            {
                let replacement = match next {
                    b'0'..=b'9' => self.ids.get(usize::from(next - b'0')).map(String::as_str),
                    b'u' => self.url.as_deref(),
                    _ => None,
                };
                if let Some(replacement) = replacement {
                    out.extend_from_slice(replacement.as_bytes());
                    i += 2;
                    continue;
                }
            }
            out.push(text[i]);
            i += 1;
        }
        out
    }

    fn fill_str(&self, text: &str) -> String {
        String::from_utf8_lossy(&self.fill(text.as_bytes())).into_owned()
    }

    fn learn(&mut self, json: &Value) {
        let mut id = |value: &Value| {
            if let Some(id) = value.get("id").and_then(Value::as_str)
                && !self.ids.iter().any(|seen| seen == id)
                && self.ids.len() < 10
            {
                self.ids.push(id.to_owned());
            }
        };
        id(json);
        if let Some(items) = json.get("data").and_then(Value::as_array) {
            items.iter().for_each(&mut id);
        }
        for value in [
            json.get("url"),
            json.get("links")
                .and_then(|l| l.get("data"))
                .and_then(|d| d.get(0))
                .and_then(|l| l.get("url")),
        ]
        .into_iter()
        .flatten()
        {
            if let Some(path) = value.as_str().and_then(url_path) {
                self.url = Some(path.to_owned());
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let emulator = emulator(true);
    let mut seen = Seen::default();
    let mut replays = Replays::default();
    for piece in data.split(|&b| b == 0).take(MAX_REQUESTS) {
        let raw = split(piece);
        let target = seen.fill_str(&raw.target);
        let (path, query) = target.split_once('?').unwrap_or((&target, ""));
        let mut headers: Vec<(String, String)> = raw
            .headers
            .iter()
            .map(|(name, value)| (name.clone(), seen.fill_str(value)))
            .collect();
        let authorization = headers
            .iter()
            .position(|(name, _)| name.eq_ignore_ascii_case("Authorization"));
        match authorization {
            None => headers.push(("Authorization".to_owned(), BEARER.to_owned())),
            Some(at) if headers[at].1 == "-" => {
                headers.remove(at);
            }
            Some(_) => {}
        }
        let body = seen.fill(raw.body);
        let request = Incoming {
            method: &raw.method,
            path,
            query,
            headers: &headers,
            body: &body,
        };
        let out = emulator.handle(&request);
        trace(&request, &out);
        let answer = check_answer(&request, &out);
        replays.check(&request, &out);
        if let Answer::Json(json) = &answer {
            // A link's url is public: served before any key is looked at.
            if !(request.method == "GET" && path.starts_with("/links/")) {
                check_refused_key(&request, &out, json);
            }
            if out.status == 200 {
                seen.learn(json);
            }
        }
    }
    check_still_usable(&emulator, true);
});
