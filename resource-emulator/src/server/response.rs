//! Writing an answer: status line, headers and body in one buffer, so it leaves in one write
//! (with `TCP_NODELAY`, no 40 ms wait on a delayed ACK); and the server's own errors, shaped as
//! Stripe's.

use std::io::Write;
use std::net::TcpStream;

use crate::Outgoing;

/// The interim answer to `Expect: 100-continue`.
pub(super) const CONTINUE: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n";

/// How an answer ends its connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Persist {
    /// HTTP/1.1's default: nothing to say.
    KeepAlive,
    /// An HTTP/1.0 client that asked for keep-alive: `Connection: keep-alive`.
    KeepAlive10,
    /// `Connection: close`, then the connection is closed.
    Close,
}

/// `outgoing` as bytes on the wire: its headers as they are (less any framing header, which is
/// the server's to write, and any header that cannot be written), plus `Content-Length` and the
/// `Connection` header `persist` calls for. A `HEAD` answer has no body.
pub(super) fn encode(outgoing: &Outgoing, head_only: bool, persist: Persist) -> Vec<u8> {
    let mut wire = Vec::with_capacity(outgoing.body.len() + 256);
    let status = if (100..=999).contains(&outgoing.status) {
        outgoing.status
    } else {
        500
    };
    // Writing to a Vec cannot fail.
    let _ = write!(wire, "HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in &outgoing.headers {
        if writable(name, value) && !is_framing(name) {
            let _ = write!(wire, "{name}: {value}\r\n");
        }
    }
    let bodiless = status < 200 || status == 204 || status == 304;
    if !bodiless {
        let _ = write!(wire, "Content-Length: {}\r\n", outgoing.body.len());
    }
    match persist {
        Persist::KeepAlive => {}
        Persist::KeepAlive10 => wire.extend_from_slice(b"Connection: keep-alive\r\n"),
        Persist::Close => wire.extend_from_slice(b"Connection: close\r\n"),
    }
    wire.extend_from_slice(b"\r\n");
    if !head_only && !bodiless {
        wire.extend_from_slice(&outgoing.body);
    }
    wire
}

/// Sends `wire` (one buffer: one write, unless the socket takes less at once).
pub(super) fn send(mut stream: &TcpStream, wire: &[u8]) -> std::io::Result<()> {
    stream.write_all(wire)?;
    stream.flush()
}

/// A header the server writes itself.
fn is_framing(name: &str) -> bool {
    ["content-length", "transfer-encoding", "connection"]
        .iter()
        .any(|framing| name.eq_ignore_ascii_case(framing))
}

/// A name that is a token and a value with no line break or NUL: anything else would break the
/// framing of the answer.
fn writable(name: &str, value: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
        && !value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0))
}

/// An error the server answers itself, shaped as Stripe's: `{"error": {"type", "message"}}`.
pub(super) fn error(status: u16, message: &str) -> Outgoing {
    let kind = if status >= 500 {
        "api_error"
    } else {
        "invalid_request_error"
    };
    let body = serde_json::json!({"error": {"type": kind, "message": message}});
    let mut headers = vec![("Content-Type".to_owned(), "application/json".to_owned())];
    if status == 503 {
        headers.push(("Retry-After".to_owned(), "1".to_owned()));
        headers.push(("Stripe-Should-Retry".to_owned(), "true".to_owned()));
    }
    Outgoing {
        status,
        headers,
        body: body.to_string().into_bytes(),
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Request Failed",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        424 => "Failed Dependency",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_one_buffer_with_its_length() {
        let outgoing = Outgoing {
            status: 200,
            headers: vec![
                ("Request-Id".into(), "req_1".into()),
                ("Content-Length".into(), "999".into()),
                ("Bad\r\nName".into(), "x".into()),
                ("X-Split".into(), "a\r\nInjected: yes".into()),
            ],
            body: b"{}".to_vec(),
        };
        assert_eq!(
            encode(&outgoing, false, Persist::KeepAlive),
            b"HTTP/1.1 200 OK\r\nRequest-Id: req_1\r\nContent-Length: 2\r\n\r\n{}"
        );
        assert_eq!(
            encode(&outgoing, true, Persist::Close),
            b"HTTP/1.1 200 OK\r\nRequest-Id: req_1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n"
        );
    }

    #[test]
    fn errors_are_shaped_as_stripes() {
        let answer = error(413, "too \"big\"");
        let body: serde_json::Value = serde_json::from_slice(&answer.body).unwrap_or_default();
        assert_eq!(
            body,
            serde_json::json!({"error": {"type": "invalid_request_error", "message": "too \"big\""}})
        );
    }
}
