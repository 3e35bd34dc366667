//! Reading and framing one request: the head through `httparse`, within the request line,
//! header size and header count limits; then the body by `Content-Length` or chunked, within
//! the body limit. Every read waits at most the read timeout, and the whole request at most the
//! request timeout from its first byte.

use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::ServeOptions;

/// A request's head, owned.
#[derive(Debug)]
pub(super) struct Head {
    pub method: String,
    /// The request target as sent: path and query, still percent-encoded.
    pub target: String,
    /// HTTP/1.0 (rather than 1.1).
    pub http10: bool,
    pub headers: Vec<(String, String)>,
    /// When the request's first byte arrived: the request timeout runs from here.
    pub started: Instant,
}

impl Head {
    /// The values of every header named `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether a comma-separated header named `name` holds `token`.
    pub fn has_token(&self, name: &str, token: &str) -> bool {
        self.all(name)
            .flat_map(|value| value.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }
}

/// How the body is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Framing {
    Length(u64),
    Chunked,
}

/// Why no request (or no whole request) was read.
#[derive(Debug)]
pub(super) enum Failure {
    /// The peer closed, went idle before a request began, or broke the connection: close without
    /// an answer.
    Gone,
    /// Answer this status and message, then close (the framing is lost).
    Refuse(u16, String),
}

/// Why a read returned no bytes.
enum Wait {
    Eof,
    TimedOut,
    Broken,
}

/// A connection's socket and the bytes read from it but not consumed yet (the rest of a packet,
/// or pipelined requests).
pub(super) struct Input {
    stream: TcpStream,
    buffer: Vec<u8>,
    /// Where the unconsumed bytes start in `buffer`.
    start: usize,
    read_timeout: Duration,
}

/// How much one read asks for.
const READ_SIZE: usize = 16 * 1024;

impl Input {
    pub fn new(stream: TcpStream, read_timeout: Duration) -> Self {
        Input {
            stream,
            buffer: Vec::new(),
            start: 0,
            read_timeout,
        }
    }

    pub fn stream(&self) -> &TcpStream {
        &self.stream
    }

    fn pending(&self) -> &[u8] {
        self.buffer.get(self.start..).unwrap_or_default()
    }

    pub fn has_pending(&self) -> bool {
        !self.pending().is_empty()
    }

    fn consume(&mut self, count: usize) {
        self.start = self.start.saturating_add(count).min(self.buffer.len());
        if self.start == self.buffer.len() {
            self.buffer.clear();
            self.start = 0;
        }
    }

    /// Reads more bytes into the buffer, waiting at most the read timeout and never past
    /// `deadline`.
    fn fill(&mut self, deadline: Instant) -> Result<(), Wait> {
        if self.start > 0 {
            self.buffer.drain(..self.start);
            self.start = 0;
        }
        let left = deadline
            .checked_duration_since(Instant::now())
            .filter(|left| !left.is_zero())
            .ok_or(Wait::TimedOut)?;
        self.stream
            .set_read_timeout(Some(left.min(self.read_timeout)))
            .map_err(|_| Wait::Broken)?;
        let mut chunk = [0; READ_SIZE];
        loop {
            return match self.stream.read(&mut chunk) {
                Ok(0) => Err(Wait::Eof),
                Ok(read) => {
                    self.buffer
                        .extend_from_slice(chunk.get(..read).unwrap_or_default());
                    Ok(())
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    Err(Wait::TimedOut)
                }
                Err(_) => Err(Wait::Broken),
            };
        }
    }
}

/// `after` past `from` (the options keep timeouts far below where an `Instant` overflows).
fn later(from: Instant, after: Duration) -> Instant {
    from.checked_add(after).unwrap_or(from)
}

/// What a wait that came back empty means once a request has begun.
fn midway(wait: Wait) -> Failure {
    match wait {
        Wait::TimedOut => Failure::Refuse(
            408,
            "The request did not arrive in time; the connection is closed.".into(),
        ),
        Wait::Eof | Wait::Broken => Failure::Gone,
    }
}

/// Reads the next request's head, waiting at most `idle` for it to begin.
pub(super) fn read_head(
    input: &mut Input,
    options: &ServeOptions,
    idle: Duration,
) -> Result<Head, Failure> {
    // Empty lines before a request line are skipped (RFC 9112 §2.2), but count as its bytes.
    let mut started = None;
    let mut scanned = 0;
    loop {
        let skip = input
            .pending()
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        if skip > 0 {
            started.get_or_insert_with(Instant::now);
            input.consume(skip);
            scanned = 0;
        }
        if input.has_pending() {
            let started = *started.get_or_insert_with(Instant::now);
            let pending = input.pending();
            check_request_line(pending, options.max_request_line)?;
            if let Some(end) = end_of_head(pending, scanned) {
                if end > options.max_header_bytes {
                    return Err(too_large_head(options));
                }
                let head = parse_head(pending.get(..end).unwrap_or_default(), options, started)?;
                input.consume(end);
                return Ok(head);
            }
            if pending.len() > options.max_header_bytes {
                return Err(too_large_head(options));
            }
            scanned = pending.len();
            let deadline = later(started, options.request_timeout);
            input.fill(deadline).map_err(midway)?;
        } else {
            match started {
                None => input
                    .fill(later(Instant::now(), idle))
                    .map_err(|_| Failure::Gone)?,
                Some(started) => input
                    .fill(later(started, options.request_timeout))
                    .map_err(midway)?,
            }
        }
    }
}

fn too_large_head(options: &ServeOptions) -> Failure {
    Failure::Refuse(
        431,
        format!(
            "The request line and headers are larger than {} bytes.",
            options.max_header_bytes
        ),
    )
}

/// Refuses a request line longer than `max`, whole or still arriving.
fn check_request_line(pending: &[u8], max: usize) -> Result<(), Failure> {
    let line = pending
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(pending.len());
    if line > max {
        return Err(Failure::Refuse(
            431,
            format!("The request line is longer than {max} bytes."),
        ));
    }
    Ok(())
}

/// Where the head ends (just past its empty line), searching from about `scanned` on.
fn end_of_head(pending: &[u8], scanned: usize) -> Option<usize> {
    let from = scanned.saturating_sub(3);
    let tail = pending.get(from..)?;
    tail.windows(2)
        .enumerate()
        .find_map(|(at, pair)| match pair {
            [b'\n', b'\n'] => Some(at + 2),
            [b'\n', b'\r'] if tail.get(at + 2) == Some(&b'\n') => Some(at + 3),
            _ => None,
        })
        .map(|end| from + end)
}

fn parse_head(bytes: &[u8], options: &ServeOptions, started: Instant) -> Result<Head, Failure> {
    let mut headers = vec![httparse::EMPTY_HEADER; options.max_headers];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(bytes) {
        Ok(httparse::Status::Complete(_)) => {}
        // The bytes end with an empty line, so a partial head can only be a malformed one.
        Ok(httparse::Status::Partial) => {
            return Err(Failure::Refuse(
                400,
                "The request head is malformed.".into(),
            ));
        }
        Err(httparse::Error::TooManyHeaders) => {
            return Err(Failure::Refuse(
                431,
                format!("The request has more than {} headers.", options.max_headers),
            ));
        }
        Err(error) => {
            return Err(Failure::Refuse(
                400,
                format!("The request head is malformed: {error}."),
            ));
        }
    }
    let (Some(method), Some(target), Some(version)) =
        (request.method, request.path, request.version)
    else {
        return Err(Failure::Refuse(
            400,
            "The request head is malformed.".into(),
        ));
    };
    Ok(Head {
        method: method.to_owned(),
        target: target.to_owned(),
        http10: version == 0,
        headers: request
            .headers
            .iter()
            .map(|h| {
                (
                    h.name.to_owned(),
                    String::from_utf8_lossy(h.value).into_owned(),
                )
            })
            .collect(),
        started,
    })
}

/// How the body is framed (RFC 9112 §6): chunked, by length, or empty. An invalid or
/// conflicting `Content-Length` or `Transfer-Encoding` is refused 400; a length over the limit
/// 413.
pub(super) fn framing(head: &Head, max_body: u64) -> Result<Framing, Failure> {
    let bad = |message: &str| Failure::Refuse(400, message.to_owned());
    let has_length = head.all("content-length").next().is_some();
    if head.all("transfer-encoding").next().is_some() {
        if has_length {
            return Err(bad(
                "The request has both Content-Length and Transfer-Encoding.",
            ));
        }
        if head.http10 {
            return Err(bad("Transfer-Encoding is not allowed in HTTP/1.0."));
        }
        let mut codings = head
            .all("transfer-encoding")
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .filter(|coding| !coding.is_empty());
        return match (codings.next(), codings.next()) {
            (Some(coding), None) if coding.eq_ignore_ascii_case("chunked") => Ok(Framing::Chunked),
            _ => Err(bad(
                "Transfer-Encoding must be chunked (and nothing else) when present.",
            )),
        };
    }
    let mut length = None;
    for value in head
        .all("content-length")
        .flat_map(|value| value.split(','))
    {
        let value = value.trim();
        let parsed = value
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| value.parse::<u64>().ok())
            .flatten()
            .ok_or_else(|| bad(&format!("Content-Length is not a valid length: {value:?}.")))?;
        if length.is_some_and(|known| known != parsed) {
            return Err(bad("The request has conflicting Content-Length values."));
        }
        length = Some(parsed);
    }
    let length = length.unwrap_or(0);
    if length > max_body {
        return Err(too_large_body(max_body));
    }
    Ok(Framing::Length(length))
}

fn too_large_body(max_body: u64) -> Failure {
    Failure::Refuse(
        413,
        format!("The request body is larger than {max_body} bytes."),
    )
}

/// Whether any of the body has arrived already (so `100 Continue` is not needed).
pub(super) fn body_begun(input: &Input) -> bool {
    input.has_pending()
}

/// Reads the body the head announced, by the request's deadline.
pub(super) fn read_body(
    input: &mut Input,
    head: &Head,
    framing: Framing,
    options: &ServeOptions,
) -> Result<Vec<u8>, Failure> {
    let deadline = later(head.started, options.request_timeout);
    match framing {
        Framing::Length(length) => {
            let length = usize::try_from(length).map_err(|_| too_large_body(length))?;
            let mut body = Vec::new();
            take(input, length, &mut body, deadline)?;
            Ok(body)
        }
        Framing::Chunked => read_chunked(input, options, deadline),
    }
}

/// Moves exactly `count` bytes from the connection to `into`, growing it as they arrive (an
/// announced length is not trusted with memory before its bytes come).
fn take(
    input: &mut Input,
    mut count: usize,
    into: &mut Vec<u8>,
    deadline: Instant,
) -> Result<(), Failure> {
    while count > 0 {
        if !input.has_pending() {
            input.fill(deadline).map_err(midway)?;
        }
        let pending = input.pending();
        let now = pending.len().min(count);
        into.extend_from_slice(pending.get(..now).unwrap_or_default());
        input.consume(now);
        count -= now;
    }
    Ok(())
}

/// The longest chunk-size line (size and extensions) or trailer line accepted.
const MAX_CHUNK_LINE: usize = 4096;

/// Decodes a chunked body (RFC 9112 §7.1) within the body limit; trailers are read and
/// dropped, within the header size limit.
fn read_chunked(
    input: &mut Input,
    options: &ServeOptions,
    deadline: Instant,
) -> Result<Vec<u8>, Failure> {
    let bad = |message: &str| Failure::Refuse(400, format!("Bad chunked body: {message}."));
    let mut body = Vec::new();
    loop {
        let line = read_line(input, MAX_CHUNK_LINE, deadline)?;
        let size = line.split(|&b| b == b';').next().unwrap_or_default();
        let size = size.trim_ascii();
        if size.is_empty() || size.len() > 16 || !size.iter().all(u8::is_ascii_hexdigit) {
            return Err(bad("a chunk size is not hexadecimal"));
        }
        let size = std::str::from_utf8(size)
            .ok()
            .and_then(|size| u64::from_str_radix(size, 16).ok())
            .ok_or_else(|| bad("a chunk size is not hexadecimal"))?;
        if size == 0 {
            break;
        }
        let total = u64::try_from(body.len())
            .unwrap_or(u64::MAX)
            .saturating_add(size);
        if total > options.max_body_bytes {
            return Err(too_large_body(options.max_body_bytes));
        }
        let size = usize::try_from(size).map_err(|_| too_large_body(options.max_body_bytes))?;
        take(input, size, &mut body, deadline)?;
        if !read_line(input, 2, deadline)?.is_empty() {
            return Err(bad("a chunk is longer than its size"));
        }
    }
    let mut trailers = 0usize;
    loop {
        let line = read_line(input, MAX_CHUNK_LINE, deadline)?;
        if line.is_empty() {
            return Ok(body);
        }
        trailers = trailers.saturating_add(line.len());
        if trailers > options.max_header_bytes {
            return Err(too_large_head(options));
        }
    }
}

/// The next line, without its line ending (CRLF, or a bare LF), at most `max` bytes long.
fn read_line(input: &mut Input, max: usize, deadline: Instant) -> Result<Vec<u8>, Failure> {
    loop {
        let pending = input.pending();
        if let Some(at) = pending.iter().position(|&b| b == b'\n') {
            let line = pending.get(..at).unwrap_or_default();
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.len() > max {
                break;
            }
            let line = line.to_vec();
            input.consume(at + 1);
            return Ok(line);
        }
        if pending.len() > max.saturating_add(1) {
            break;
        }
        input.fill(deadline).map_err(midway)?;
    }
    Err(Failure::Refuse(
        400,
        "Bad chunked body: a line is too long.".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_of_a_head_is_found_across_reads() {
        assert_eq!(end_of_head(b"GET / HTTP/1.1\r\n\r\n", 0), Some(18));
        assert_eq!(end_of_head(b"GET / HTTP/1.1\n\nrest", 0), Some(16));
        assert_eq!(end_of_head(b"GET / HTTP/1.1\r\nA: b\r\n", 0), None);
        // The empty line's first bytes were scanned by an earlier read.
        assert_eq!(end_of_head(b"GET / HTTP/1.1\r\nA: b\r\n\r\n", 23), Some(24));
        assert_eq!(end_of_head(b"GET / HTTP/1.1\r\nA: b\r\n\r\n", 22), Some(24));
    }

    fn head(headers: &[(&str, &str)], http10: bool) -> Head {
        Head {
            method: "POST".into(),
            target: "/".into(),
            http10,
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            started: Instant::now(),
        }
    }

    fn status(result: Result<Framing, Failure>) -> Result<Framing, u16> {
        result.map_err(|failure| match failure {
            Failure::Refuse(status, _) => status,
            Failure::Gone => 0,
        })
    }

    #[test]
    fn framing_follows_rfc_9112() {
        let framing_of = |headers: &[(&str, &str)]| status(framing(&head(headers, false), 100));
        assert_eq!(framing_of(&[]), Ok(Framing::Length(0)));
        assert_eq!(
            framing_of(&[("Content-Length", " 12 ")]),
            Ok(Framing::Length(12))
        );
        assert_eq!(
            framing_of(&[("Content-Length", "5"), ("content-length", "5, 5")]),
            Ok(Framing::Length(5))
        );
        assert_eq!(
            framing_of(&[("Transfer-Encoding", "Chunked")]),
            Ok(Framing::Chunked)
        );
        for bad in [
            "abc",
            "-5",
            "+5",
            "",
            "5 5",
            "0x10",
            "99999999999999999999999",
        ] {
            assert_eq!(framing_of(&[("Content-Length", bad)]), Err(400), "{bad}");
        }
        assert_eq!(
            framing_of(&[("Content-Length", "5"), ("Content-Length", "6")]),
            Err(400)
        );
        assert_eq!(
            framing_of(&[("Content-Length", "5"), ("Transfer-Encoding", "chunked")]),
            Err(400)
        );
        for bad in ["gzip", "gzip, chunked", "chunked, chunked", "identity"] {
            assert_eq!(framing_of(&[("Transfer-Encoding", bad)]), Err(400), "{bad}");
        }
        assert_eq!(framing_of(&[("Content-Length", "101")]), Err(413));
        assert_eq!(
            status(framing(
                &head(&[("Transfer-Encoding", "chunked")], true),
                100
            )),
            Err(400)
        );
    }
}
