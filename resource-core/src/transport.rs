//! The seam between the client and the network: one method, plain values, no policy.

use std::borrow::Cow;
use std::fmt;

use crate::body::Body;
use crate::client::Method;

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
