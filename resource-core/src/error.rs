//! The one error type: what went wrong, classified like Stripe's official SDKs.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::event::EventError;
use crate::transport::TransportError;
use crate::webhook::SignatureError;

/// The class of an [`Error`], as Stripe's official SDKs classify it (DESIGN 5.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400 or 404: the request was wrong (a bad parameter, a missing object).
    InvalidRequest,
    /// 401: the API key is missing, wrong or revoked.
    Authentication,
    /// 402: a card was declined or could not be charged.
    Card,
    /// 403: the key may not do this.
    Permission,
    /// 429, or 400 with code `rate_limit`: too many requests.
    RateLimit,
    /// An error of type `idempotency_error`: the key was reused with other parameters.
    Idempotency,
    /// Any other status (409, 5xx, ...): a problem on Stripe's side.
    Api,
    /// No response: connection refused or reset, DNS, TLS or a timeout.
    Connection,
    /// A success response whose body is not the expected JSON; also an event whose JSON, or the
    /// object it carries, is not what was asked for ([`Error::Event`]).
    Decode,
    /// Refused before anything was sent: a malformed id, a bad header value, a bad option.
    InvalidInput,
    /// A webhook's `Stripe-Signature` header does not prove that Stripe sent the payload:
    /// missing, malformed, no matching signature, or signed too long ago (see
    /// [`Webhook`](crate::Webhook)). Answer the request with a 400 and do not act on it.
    SignatureVerification,
}

/// Everything that can go wrong with a call.
///
/// Use [`Error::kind`] to branch; the accessors give Stripe's details when there are any.
/// `Display` never contains the secret key.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Stripe (or a proxy in front of it) answered with an error status.
    Api(Box<ApiError>),
    /// The request could not be completed: no response was received (after all retries).
    Connection(TransportError),
    /// A success status whose body did not decode as the expected object.
    Decode(Box<DecodeError>),
    /// Refused before sending; the message says what is wrong with the input.
    InvalidInput(String),
    /// A webhook's signature header did not verify ([`ErrorKind::SignatureVerification`]); the
    /// reason says why. It never holds the secret.
    SignatureVerification(Box<SignatureError>),
    /// An event's JSON, or the object it carries, is not what was asked for
    /// ([`ErrorKind::Decode`]): a webhook payload that is not an event, or
    /// [`EventData::object_as`](crate::EventData::object_as) asked for another object.
    Event(Box<EventError>),
}

/// An error response: its status, `Request-Id`, and Stripe's error body kept whole.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The class, from the status and then the body (DESIGN 5.5).
    pub kind: ErrorKind,
    /// The HTTP status.
    pub status: u16,
    /// The `Request-Id` response header.
    pub request_id: Option<String>,
    /// The `error` member of the body; `None` when the body is not Stripe's error JSON.
    pub body: Option<ApiErrorBody>,
    /// When `body` is `None`: a short, printable excerpt of what came instead.
    pub raw_excerpt: Option<String>,
}

/// Stripe's error object (the `error` member of an error response), with unknown fields kept.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct ApiErrorBody {
    /// `api_error`, `card_error`, `idempotency_error`, `invalid_request_error`, or a newer type.
    #[serde(rename = "type", default)]
    pub type_: String,
    /// A short machine-readable code such as `resource_missing`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// For card errors: the issuer's decline code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decline_code: Option<String>,
    /// A human-readable message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The parameter the error relates to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    /// A link to the documentation of the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_url: Option<String>,
    /// A link to the request in the Dashboard's logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_log_url: Option<String>,
    /// Every other field Stripe sent (`charge`, `payment_intent`, `advice_code`, ...).
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

/// A success response that could not be decoded.
#[derive(Debug)]
pub struct DecodeError {
    /// The HTTP status (a 2xx).
    pub status: u16,
    /// The `Request-Id` response header.
    pub request_id: Option<String>,
    /// What did not fit.
    pub message: String,
    /// A short, printable excerpt of the body.
    pub excerpt: String,
}

impl Error {
    /// The class of this error.
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Api(api) => api.kind,
            Error::Connection(_) => ErrorKind::Connection,
            Error::Decode(_) => ErrorKind::Decode,
            Error::InvalidInput(_) => ErrorKind::InvalidInput,
            Error::SignatureVerification(_) => ErrorKind::SignatureVerification,
            Error::Event(_) => ErrorKind::Decode,
        }
    }

    /// The HTTP status, when a response was received.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode(decode) => Some(decode.status),
            Error::Connection(_)
            | Error::InvalidInput(_)
            | Error::SignatureVerification(_)
            | Error::Event(_) => None,
        }
    }

    /// Stripe's error `code`, such as `resource_missing`.
    #[must_use]
    pub fn code(&self) -> Option<&str> {
        self.body().and_then(|body| body.code.as_deref())
    }

    /// The parameter Stripe's error names.
    #[must_use]
    pub fn param(&self) -> Option<&str> {
        self.body().and_then(|body| body.param.as_deref())
    }

    /// The error's message: Stripe's, or ours when Stripe sent none.
    #[must_use]
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.body.as_ref().and_then(|body| body.message.as_deref()),
            Error::Decode(decode) => Some(&decode.message),
            Error::InvalidInput(message) => Some(message),
            Error::Connection(transport) => Some(transport.message()),
            Error::SignatureVerification(reason) => Some(reason.message()),
            Error::Event(event) => Some(event.message()),
        }
    }

    /// The `Request-Id` response header, when a response was received.
    #[must_use]
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.request_id.as_deref(),
            Error::Decode(decode) => decode.request_id.as_deref(),
            Error::Connection(_)
            | Error::InvalidInput(_)
            | Error::SignatureVerification(_)
            | Error::Event(_) => None,
        }
    }

    /// Stripe's error body, when the response carried one.
    #[must_use]
    pub fn body(&self) -> Option<&ApiErrorBody> {
        match self {
            Error::Api(api) => api.body.as_ref(),
            _ => None,
        }
    }

    pub(crate) fn invalid_input(message: impl Into<String>) -> Self {
        Error::InvalidInput(message.into())
    }

    /// A webhook signature that did not verify, for `reason`.
    pub(crate) fn signature(reason: SignatureError) -> Self {
        Error::SignatureVerification(Box::new(reason))
    }

    /// An event that is not what was asked for.
    pub(crate) fn event(error: EventError) -> Self {
        Error::Event(Box::new(error))
    }
}

impl ErrorKind {
    /// Classifies an error response by status, then body (DESIGN 5.5).
    #[must_use]
    pub fn from_response(status: u16, body: Option<&ApiErrorBody>) -> Self {
        let code = body.and_then(|body| body.code.as_deref());
        let type_ = body.map(|body| body.type_.as_str());
        // The status decides first; the body only refines 400 and 404 (as in the official SDKs).
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
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(api) => api.fmt(f),
            Error::Connection(_) => f.write_str("could not reach Stripe"),
            Error::Decode(decode) => {
                if let Some(id) = &decode.request_id {
                    write!(f, "Request {id}: ")?;
                }
                write!(
                    f,
                    "unexpected response body (status {}): {}; body starts {:?}",
                    decode.status, decode.message, decode.excerpt
                )
            }
            Error::InvalidInput(message) => f.write_str(message),
            Error::SignatureVerification(reason) => reason.fmt(f),
            Error::Event(event) => event.fmt(f),
        }
    }
}

impl fmt::Display for ApiError {
    /// `Request req_123: No such file link: 'link_x'`, as the official SDKs print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(id) = &self.request_id {
            write!(f, "Request {id}: ")?;
        }
        match (&self.body, &self.raw_excerpt) {
            (
                Some(ApiErrorBody {
                    message: Some(message),
                    ..
                }),
                _,
            ) => f.write_str(message),
            (Some(body), _) => write!(f, "{} (status {})", body.type_, self.status),
            (None, Some(excerpt)) if !excerpt.is_empty() => {
                write!(
                    f,
                    "unexpected error response (status {}): {excerpt:?}",
                    self.status
                )
            }
            (None, _) => write!(
                f,
                "unexpected empty error response (status {})",
                self.status
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Connection(transport) => Some(transport),
            _ => None,
        }
    }
}

impl From<TransportError> for Error {
    fn from(error: TransportError) -> Self {
        Error::Connection(error)
    }
}

/// At most `max` characters of `bytes` (lossy UTF-8), for quoting an unexpected body.
pub(crate) fn excerpt(bytes: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out: String = text.chars().take(max).collect();
    if text.chars().nth(max).is_some() {
        out.push_str("...");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(type_: &str, code: Option<&str>) -> ApiErrorBody {
        ApiErrorBody {
            type_: type_.into(),
            code: code.map(Into::into),
            ..ApiErrorBody::default()
        }
    }

    #[test]
    fn kinds_follow_status_then_body() {
        let cases = [
            (
                400,
                body("invalid_request_error", None),
                ErrorKind::InvalidRequest,
            ),
            (
                404,
                body("invalid_request_error", Some("resource_missing")),
                ErrorKind::InvalidRequest,
            ),
            (
                400,
                body("invalid_request_error", Some("rate_limit")),
                ErrorKind::RateLimit,
            ),
            (
                429,
                body("invalid_request_error", Some("rate_limit")),
                ErrorKind::RateLimit,
            ),
            (429, body("api_error", None), ErrorKind::RateLimit),
            (400, body("idempotency_error", None), ErrorKind::Idempotency),
            (404, body("idempotency_error", None), ErrorKind::Idempotency),
            (429, body("idempotency_error", None), ErrorKind::RateLimit),
            (409, body("idempotency_error", None), ErrorKind::Api),
            (500, body("idempotency_error", None), ErrorKind::Api),
            (
                401,
                body("idempotency_error", None),
                ErrorKind::Authentication,
            ),
            (
                401,
                body("invalid_request_error", None),
                ErrorKind::Authentication,
            ),
            (
                402,
                body("card_error", Some("card_declined")),
                ErrorKind::Card,
            ),
            (
                403,
                body("invalid_request_error", None),
                ErrorKind::Permission,
            ),
            (409, body("api_error", None), ErrorKind::Api),
            (500, body("api_error", None), ErrorKind::Api),
            (502, body("something_new", None), ErrorKind::Api),
        ];
        for (status, body, kind) in cases {
            assert_eq!(
                ErrorKind::from_response(status, Some(&body)),
                kind,
                "{status} {body:?}"
            );
        }
        assert_eq!(
            ErrorKind::from_response(404, None),
            ErrorKind::InvalidRequest
        );
        assert_eq!(ErrorKind::from_response(502, None), ErrorKind::Api);
    }

    #[test]
    fn displays_like_the_official_sdks() {
        let error = Error::Api(Box::new(ApiError {
            kind: ErrorKind::InvalidRequest,
            status: 404,
            request_id: Some("req_123".into()),
            body: Some(ApiErrorBody {
                message: Some("No such file link: 'link_x'".into()),
                ..body("invalid_request_error", Some("resource_missing"))
            }),
            raw_excerpt: None,
        }));
        assert_eq!(
            error.to_string(),
            "Request req_123: No such file link: 'link_x'"
        );
        assert_eq!(error.code(), Some("resource_missing"));
        assert_eq!(error.status(), Some(404));
    }

    #[test]
    fn a_non_json_error_quotes_status_and_excerpt() {
        let error = Error::Api(Box::new(ApiError {
            kind: ErrorKind::Api,
            status: 502,
            request_id: None,
            body: None,
            raw_excerpt: Some(excerpt(b"<html><body>Bad Gateway</body></html>", 16)),
        }));
        assert_eq!(
            error.to_string(),
            "unexpected error response (status 502): \"<html><body>Bad ...\""
        );
    }

    #[test]
    fn unknown_error_fields_are_kept() {
        let body: ApiErrorBody = serde_json::from_str(
            r#"{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds","advice_code":"try_again_later","charge":"ch_1"}"#,
        )
        .unwrap();
        assert_eq!(body.decline_code.as_deref(), Some("insufficient_funds"));
        assert_eq!(
            body.other.get("advice_code").and_then(|v| v.as_str()),
            Some("try_again_later")
        );
        assert_eq!(
            body.other.get("charge").and_then(|v| v.as_str()),
            Some("ch_1")
        );
    }
}
