//! The seam between the client and the network: one method, plain values, no policy.

use std::borrow::Cow;
use std::fmt;

use crate::body::Body;
use crate::client::Method;

/// The most of an answer read whole (the built-in transport's limit for every answer, the
/// client's for an error answer to a streamed request): larger is a `Protocol` error.
pub(crate) const MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// Sends one HTTP request and returns the response, whatever its status.
///
/// A transport holds no policy: no retries, no header rules, no status handling. The
/// [`Client`](crate::Client) does all of that, so an in-process transport in a test sees
/// exactly the bytes that would go on the wire.
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends `request` once.
    ///
    /// # Errors
    ///
    /// A [`TransportError`] when no complete response was received.
    fn send(&self, request: &Request<'_>) -> Result<Response, TransportError>;

    /// Sends `request` once and hands back the response with its body still to be read, for an
    /// answer that is a file. The default reads the body whole, with [`send`](Self::send); the
    /// built-in transport streams it from the connection.
    ///
    /// # Errors
    ///
    /// A [`TransportError`] when no response head was received.
    fn send_streaming(&self, request: &Request<'_>) -> Result<StreamedResponse, TransportError> {
        self.send(request).map(StreamedResponse::from)
    }
}

/// One HTTP request, fully prepared by the client.
///
/// Header names and values borrow from the client where they can (the key, the user agents, the
/// API version are the same for every request), so preparing a request copies none of them. A
/// transport that keeps requests past [`Transport::send`] stores [`Request::into_owned`].
#[derive(Clone, PartialEq, Eq)]
pub struct Request<'a> {
    /// The method.
    pub method: Method,
    /// The absolute URL, query string included.
    pub url: String,
    /// Header names and values, in the order they are sent.
    pub headers: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    /// The body; empty for `GET` and `DELETE`.
    pub body: Body,
}

impl Request<'_> {
    /// The first header named `name` (ASCII case-insensitive).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The request with every header copied, so that it can outlive the client's call.
    #[must_use]
    pub fn into_owned(self) -> Request<'static> {
        Request {
            method: self.method,
            url: self.url,
            headers: self
                .headers
                .into_iter()
                .map(|(name, value)| {
                    (
                        Cow::Owned(name.into_owned()),
                        Cow::Owned(value.into_owned()),
                    )
                })
                .collect(),
            body: self.body,
        }
    }
}

/// Redacts `Authorization`, so a logged request never shows the secret key.
impl fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if name.eq_ignore_ascii_case("authorization") {
                    "[redacted]"
                } else {
                    value
                };
                (&**name, shown)
            })
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &self.body)
            .finish()
    }
}

/// One HTTP response, body read whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header names and values as received.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// The first header named `name` (ASCII case-insensitive).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

/// One HTTP response whose body is read as it arrives.
pub struct StreamedResponse {
    /// The status code.
    pub status: u16,
    /// Header names and values as received.
    pub headers: Vec<(String, String)>,
    /// The body, as it arrives.
    pub body: Box<dyn std::io::Read + Send>,
}

impl StreamedResponse {
    /// The first header named `name` (ASCII case-insensitive).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The response with its body read whole, at most `limit` bytes of it.
    ///
    /// # Errors
    ///
    /// A [`TransportErrorKind::Io`] error when the body cannot be read, and
    /// [`TransportErrorKind::Protocol`] when it is larger than `limit`.
    pub fn read_whole(self, limit: u64) -> Result<Response, TransportError> {
        use std::io::Read as _;
        let mut body = Vec::new();
        let read = self
            .body
            .take(limit.saturating_add(1))
            .read_to_end(&mut body)
            .map_err(|error| {
                TransportError::new(TransportErrorKind::Io, "the response was cut short")
                    .with_source(error)
            })?;
        if u64::try_from(read).map_or(true, |read| read > limit) {
            return Err(TransportError::new(
                TransportErrorKind::Protocol,
                format!("the response is larger than {limit} bytes"),
            ));
        }
        Ok(Response {
            status: self.status,
            headers: self.headers,
            body,
        })
    }
}

/// A response read whole, its body read from memory.
impl From<Response> for StreamedResponse {
    fn from(response: Response) -> Self {
        StreamedResponse {
            status: response.status,
            headers: response.headers,
            body: Box::new(std::io::Cursor::new(response.body)),
        }
    }
}

/// Shows the status and headers, not the body.
impl fmt::Debug for StreamedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamedResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

/// The value of the first header named `name` (ASCII case-insensitive), for requests' borrowed
/// headers and responses' owned ones alike.
fn find_header<'h, N: AsRef<str>, V: AsRef<str>>(
    headers: &'h [(N, V)],
    name: &str,
) -> Option<&'h str> {
    headers
        .iter()
        .find(|(candidate, _)| candidate.as_ref().eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_ref())
}

/// What kind of failure kept a transport from returning a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be opened (refused, DNS, TLS handshake).
    Connect,
    /// The attempt ran past its time limit.
    Timeout,
    /// The connection failed while sending or receiving (reset, cut short).
    Io,
    /// The response was refused by the transport (malformed, or larger than the limit).
    Protocol,
}

/// A failure to get a response. Every such failure is retried per the retry policy.
#[derive(Debug)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// A new error of `kind`, described by `message`.
    #[must_use]
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying error.
    #[must_use]
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// The kind of failure.
    #[must_use]
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// What happened, in words.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}
