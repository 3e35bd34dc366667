//! The emulator's multipart reader, through its front door: `Emulator::handle` of
//! `POST /v1/files` with `Authorization: Bearer sk_test_fuzz`, `Content-Type:
//! multipart/form-data; boundary=<from the input>` and the input's body, files and file links
//! registered.
//!
//! - never a panic; the answer passes `check_answer` (200 or 4xx, one `Request-Id`, JSON: a file
//!   or Stripe's error envelope; no line break in a header);
//! - a 200 is a file as Stripe shows one (`file_` id, an uploadable purpose, size, filename, url,
//!   its links), retrieved again alike; its contents download with `size` bytes, and every link's
//!   url serves those same bytes (or 410 once expired); no header of these answers holds a line
//!   break (an uploaded part's `Content-Type` is served back as a header), and their
//!   `Content-Type` and `Content-Disposition` are as documented (`check_download_headers`);
//! - afterwards the engine still serves a valid upload, downloads, a link create, retrieve and
//!   list (`check_still_usable`).
//!
//! Input: the boundary (lossy UTF-8) up to the first `\n`, then the body; without a `\n`, the
//! boundary is `B` and the whole input is the body. `-dict=multipart.dict`.
#![no_main]

use file_link::emulator::UPLOADABLE_PURPOSES;
use libfuzzer_sys::fuzz_target;
use resource_emulator::Incoming;
use resource_fuzz::emulator::{
    Answer, BEARER, check_answer, check_still_usable, emulator, header, send, trace, url_path,
};
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let (boundary, body) = match data.iter().position(|&b| b == b'\n') {
        Some(at) => (
            String::from_utf8_lossy(&data[..at]).into_owned(),
            &data[at + 1..],
        ),
        None => ("B".to_owned(), data),
    };
    let emulator = emulator(false);
    let headers = vec![
        ("Authorization".to_owned(), BEARER.to_owned()),
        (
            "Content-Type".to_owned(),
            format!("multipart/form-data; boundary={boundary}"),
        ),
    ];
    let request = Incoming {
        method: "POST",
        path: "/v1/files",
        query: "",
        headers: &headers,
        body,
    };
    let out = emulator.handle(&request);
    trace(&request, &out);
    let Answer::Json(json) = check_answer(&request, &out) else {
        panic!("an upload answered with a download");
    };
    if out.status == 200 {
        check_file(&emulator, &json);
    }
    check_still_usable(&emulator, false);
});

fn check_file(emulator: &resource_emulator::Emulator, file: &Value) {
    let id = file["id"].as_str().expect("a file id");
    assert!(id.starts_with("file_"), "{file}");
    assert_eq!(file["object"], "file", "{file}");
    let purpose = file["purpose"].as_str().expect("a purpose");
    assert!(UPLOADABLE_PURPOSES.contains(&purpose), "{file}");
    let size = file["size"].as_u64().expect("a size");
    assert!(file["filename"].is_string(), "{file}");
    let url = file["url"].as_str().expect("a url");
    assert_eq!(
        url_path(url),
        Some(format!("/v1/files/{id}/contents").as_str()),
        "{file}"
    );

    let (out, again) = send(emulator, "GET", &format!("/v1/files/{id}"), "", &[], b"");
    let Answer::Json(again) = again else {
        panic!("a retrieve answered with a download")
    };
    assert!(
        out.status == 200 && again["id"] == id && again["size"] == size,
        "{again}"
    );

    let (out, answer) = send(
        emulator,
        "GET",
        &format!("/v1/files/{id}/contents"),
        "",
        &[],
        b"",
    );
    assert!(
        out.status == 200 && matches!(answer, Answer::Download | Answer::Json(_)),
        "the contents of {file}: {} {:?}",
        out.status,
        String::from_utf8_lossy(&out.body)
    );
    assert_eq!(out.body.len() as u64, size, "the contents of {file}");
    let filename = file["filename"].as_str().expect("a filename");
    check_download_headers(&out.headers, filename);
    let contents = out.body;

    let links = file["links"]["data"].as_array().expect("the file's links");
    for link in links {
        assert_eq!(link["file"], id, "{link}");
        let url = link["url"].as_str().expect("a link url");
        let path = url_path(url).expect("a url on the emulator");
        // No key: a link's url is public.
        let request = Incoming {
            method: "GET",
            path,
            query: "",
            headers: &[],
            body: b"",
        };
        let out = emulator.handle(&request);
        trace(&request, &out);
        check_answer(&request, &out);
        match out.status {
            200 => {
                assert_eq!(out.body, contents, "the link {link} serves other bytes");
                check_download_headers(&out.headers, filename);
            }
            410 => assert_eq!(link["expired"], false, "{link}"),
            other => panic!(
                "the link {link}: {other} {:?}",
                String::from_utf8_lossy(&out.body)
            ),
        }
    }
}

/// A download's `Content-Type` is printable ASCII, and its `Content-Disposition` names the file
/// as documented (RFC 6266): `attachment; filename="..."`, a quoted string of printable ASCII
/// (`"` and `\` escaped) that is the name itself when it can be, else the name with control
/// characters and anything outside printable ASCII as `_`, followed by `; filename*=UTF-8''`
/// and the name (control characters as `_`) percent-encoded.
fn check_download_headers(headers: &[(String, String)], filename: &str) {
    let content_type = header(headers, "Content-Type").expect("a Content-Type");
    assert!(
        !content_type.trim().is_empty()
            && content_type
                .chars()
                .all(|c| c == '\t' || (' '..='~').contains(&c)),
        "Content-Type {content_type:?}"
    );
    let disposition = header(headers, "Content-Disposition").expect("a Content-Disposition");
    let what = || format!("Content-Disposition {disposition:?} for the file name {filename:?}");
    let rest = disposition
        .strip_prefix("attachment; filename=\"")
        .unwrap_or_else(|| panic!("{}", what()));
    let mut quoted = String::new();
    let mut end = None;
    let mut chars = rest.char_indices();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => {
                let escaped = chars.next().map(|(_, e)| e);
                assert!(
                    matches!(escaped, Some('"' | '\\')),
                    "a stray escape: {}",
                    what()
                );
                quoted.extend(escaped);
            }
            '"' => {
                end = Some(at);
                break;
            }
            c => {
                assert!((' '..='~').contains(&c), "not printable ASCII: {}", what());
                quoted.push(c);
            }
        }
    }
    let after = &rest[end.unwrap_or_else(|| panic!("unclosed: {}", what())) + 1..];
    let visible: String = filename
        .chars()
        .map(|c| if c.is_control() { '_' } else { c })
        .collect();
    if after.is_empty() {
        assert_eq!(quoted, filename, "{}", what());
        return;
    }
    let encoded = after
        .strip_prefix("; filename*=UTF-8''")
        .unwrap_or_else(|| panic!("{}", what()));
    let mut bytes = Vec::new();
    let mut rest = encoded.bytes();
    while let Some(byte) = rest.next() {
        if byte == b'%' {
            let hex: Vec<u8> = rest.by_ref().take(2).collect();
            let hex = std::str::from_utf8(&hex).unwrap_or_default();
            assert!(
                hex.len() == 2 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
                "{}",
                what()
            );
            bytes.push(u8::from_str_radix(hex, 16).expect("hex digits"));
        } else {
            assert!(
                byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte),
                "filename* holds {:?}: {}",
                char::from(byte),
                what()
            );
            bytes.push(byte);
        }
    }
    assert_eq!(
        String::from_utf8(bytes).ok().as_deref(),
        Some(visible.as_str()),
        "filename*: {}",
        what()
    );
    let ascii: String = visible
        .chars()
        .map(|c| if (' '..='~').contains(&c) { c } else { '_' })
        .collect();
    assert_eq!(quoted, ascii, "filename: {}", what());
}
