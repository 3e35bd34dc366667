//! Webhook signatures: verifying the `Stripe-Signature` header exactly as Stripe's official SDKs
//! do, and signing payloads for tests.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ring::hmac;

use crate::error::Error;
use crate::event::Event;

/// Verifies webhooks: the `Stripe-Signature` header of a request Stripe sent to one of your
/// [`WebhookEndpoint`](crate::WebhookEndpoint)s, then the [`Event`] in its body.
///
/// The header reads `t=TIMESTAMP,v1=SIGNATURE[,v1=SIGNATURE...]`: each `v1` is the lowercase hex
/// HMAC-SHA256 of `TIMESTAMP.` followed by the raw body, keyed with the endpoint's signing
/// secret (`whsec_...`) as given, not decoded. Verification is stripe-python's
/// `WebhookSignature.verify_header` and stripe-node's `webhooks.signature.verifyHeader`, step for
/// step: read the header (elements split on `,`, each key before its first `=`, schemes other
/// than `v1` ignored; of two `t`, the first counts, as in stripe-python, where stripe-node takes
/// the last), refuse a header with no `v1`, accept when any `v1` matches (compared in constant
/// time), then refuse a timestamp older than the tolerance. A timestamp in the future is
/// accepted, as the SDKs accept it. An empty or blank secret is refused (as stripe-python
/// refuses it): anyone could sign with it. Pass the body exactly as received: re-serialized
/// JSON does not verify. `tests/fixtures/webhook-vectors.json` records both SDKs' verdicts,
/// and the tests replay them.
///
/// ```
/// use resource_core::{ErrorKind, Webhook};
///
/// # fn main() -> Result<(), resource_core::Error> {
/// let secret = "whsec_test_secret";
/// let payload = r#"{"id":"evt_1","object":"event","type":"customer.created","data":{"object":{"id":"cus_1","object":"customer"}}}"#;
/// // A test signs the payload as Stripe would; a handler reads the header from the request.
/// let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
/// let header = Webhook::generate_test_header(payload, secret, now as i64);
///
/// let event = Webhook::construct_event(payload, &header, secret)?;
/// assert_eq!(event.type_, "customer.created");
///
/// let forged = Webhook::construct_event(payload, &header, "whsec_other");
/// assert_eq!(forged.err().map(|e| e.kind()), Some(ErrorKind::SignatureVerification));
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub enum Webhook {}

impl Webhook {
    /// How old a signature may be: 300 seconds, the SDKs' `DEFAULT_TOLERANCE`.
    pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

    /// Verifies `signature_header` (the `Stripe-Signature` request header) for `payload` (the
    /// raw request body) with `secret` (the endpoint's signing secret), allowing
    /// [`DEFAULT_TOLERANCE`](Self::DEFAULT_TOLERANCE) from the system clock, and decodes the
    /// event.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::SignatureVerification`](crate::ErrorKind::SignatureVerification) when the
    /// header does not verify (the [`SignatureError`] says why);
    /// [`ErrorKind::Decode`](crate::ErrorKind::Decode) when it does but the payload is not an
    /// event (see [`Event::from_json`]).
    pub fn construct_event(
        payload: impl AsRef<[u8]>,
        signature_header: &str,
        secret: &str,
    ) -> Result<Event, Error> {
        Self::construct_event_with(
            payload,
            signature_header,
            secret,
            Self::DEFAULT_TOLERANCE,
            SystemTime::now(),
        )
    }

    /// [`construct_event`](Self::construct_event) with a tolerance and a clock of your choice:
    /// a signature is too old when `now` (in whole seconds) is more than `tolerance` (whole
    /// seconds, rounded down) after its timestamp. `Duration::ZERO` turns the age check off, as
    /// a tolerance of 0 does in the SDKs.
    ///
    /// # Errors
    ///
    /// As [`construct_event`](Self::construct_event).
    pub fn construct_event_with(
        payload: impl AsRef<[u8]>,
        signature_header: &str,
        secret: &str,
        tolerance: Duration,
        now: SystemTime,
    ) -> Result<Event, Error> {
        let payload = payload.as_ref();
        Self::verify_header(payload, signature_header, secret, tolerance, now)?;
        Event::from_json(payload)
    }

    /// Only verifies the header (stripe-python's `WebhookSignature.verify_header`): for a
    /// handler that stores the raw payload to decode later.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::SignatureVerification`](crate::ErrorKind::SignatureVerification), with the
    /// [`SignatureError`] that says why.
    pub fn verify_header(
        payload: impl AsRef<[u8]>,
        signature_header: &str,
        secret: &str,
        tolerance: Duration,
        now: SystemTime,
    ) -> Result<(), Error> {
        verify(
            payload.as_ref(),
            signature_header,
            secret,
            tolerance,
            unix_seconds(now),
        )
        .map_err(Error::signature)
    }

    /// The header Stripe would send for `payload` signed with `secret` at `timestamp` (Unix
    /// seconds): `t=TIMESTAMP,v1=SIGNATURE`, the same string as stripe-node's
    /// `generateTestHeaderString` and stripe-python's `generate_signature_header`. For tests of
    /// a webhook handler.
    #[must_use]
    pub fn generate_test_header(payload: impl AsRef<[u8]>, secret: &str, timestamp: i64) -> String {
        let signature = sign(payload.as_ref(), secret, timestamp);
        format!("t={timestamp},v1={signature}")
    }
}

/// Why a `Stripe-Signature` header did not verify: the reason of an
/// [`ErrorKind::SignatureVerification`](crate::ErrorKind::SignatureVerification) error. Neither
/// the secret nor the header is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureError {
    /// The header is empty: the request has no `Stripe-Signature`.
    NoHeader,
    /// The secret is empty or only whitespace (an unset environment variable?): anyone could
    /// sign with it, so nothing verifies.
    NoSecret,
    /// The header has no `t=` element.
    NoTimestamp,
    /// The header cannot be read: the `t` value is not an integer, or a `t` or `v1` element has
    /// no `=`.
    MalformedHeader,
    /// The header has no `v1=` signature (only `v0`, or other schemes).
    NoSignature,
    /// No `v1` signature matches the payload and the secret: a forged or altered request, the
    /// wrong secret (each endpoint has its own), or a body that was not passed as received.
    #[non_exhaustive]
    NoMatchingSignature {
        /// Whether the secret contains whitespace (an extra newline when it was read?).
        secret_has_whitespace: bool,
    },
    /// A signature matches but is older than the tolerance (a replayed request?).
    #[non_exhaustive]
    TimestampOutsideTolerance {
        /// The header's `t`, in Unix seconds.
        timestamp: i64,
        /// The clock the check used, in Unix seconds.
        now: i64,
        /// The tolerance the check used.
        tolerance: Duration,
    },
}

impl SignatureError {
    /// What went wrong, in a few words.
    #[must_use]
    pub fn message(&self) -> &'static str {
        match self {
            SignatureError::NoHeader => "no Stripe-Signature header value was provided",
            SignatureError::NoSecret => "no webhook secret was provided (it starts with `whsec_`)",
            SignatureError::NoTimestamp | SignatureError::MalformedHeader => {
                "unable to extract timestamp and signatures from header"
            }
            SignatureError::NoSignature => "no signatures found with expected scheme v1",
            SignatureError::NoMatchingSignature { .. } => {
                "no signatures found matching the expected signature for payload"
            }
            SignatureError::TimestampOutsideTolerance { .. } => {
                "timestamp outside the tolerance zone"
            }
        }
    }
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("webhook signature verification failed: ")?;
        f.write_str(self.message())?;
        match self {
            SignatureError::NoTimestamp => f.write_str(" (no `t=` element)"),
            SignatureError::MalformedHeader => {
                f.write_str(" (`t` is not an integer, or an element has no `=`)")
            }
            SignatureError::NoMatchingSignature {
                secret_has_whitespace,
            } => {
                f.write_str(
                    "; pass the raw request body as received, and the signing secret of the \
                     endpoint that received it",
                )?;
                if *secret_has_whitespace {
                    f.write_str("; note: the secret contains whitespace (an extra newline?)")?;
                }
                Ok(())
            }
            SignatureError::TimestampOutsideTolerance {
                timestamp,
                now,
                tolerance,
            } => write!(
                f,
                " (signed at {timestamp}, {} s before {now}; tolerance {} s)",
                now.saturating_sub(*timestamp),
                tolerance.as_secs()
            ),
            _ => Ok(()),
        }
    }
}

/// The checks, in the SDKs' order: header, secret, parse, scheme, signature, age.
fn verify(
    payload: &[u8],
    header: &str,
    secret: &str,
    tolerance: Duration,
    now: i64,
) -> Result<(), SignatureError> {
    if header.is_empty() {
        return Err(SignatureError::NoHeader);
    }
    // stripe-python's check (`secret.strip(" \t\r\n\f\v") == ""`).
    if secret
        .trim_matches([' ', '\t', '\r', '\n', '\x0c', '\x0b'])
        .is_empty()
    {
        return Err(SignatureError::NoSecret);
    }
    let parsed = parse_header(header)?;
    if parsed.signatures.is_empty() {
        return Err(SignatureError::NoSignature);
    }
    let expected = sign(payload, secret, parsed.timestamp);
    let matched = parsed
        .signatures
        .iter()
        .any(|signature| constant_time_eq(signature.as_bytes(), expected.as_bytes()));
    if !matched {
        return Err(SignatureError::NoMatchingSignature {
            secret_has_whitespace: secret.chars().any(char::is_whitespace),
        });
    }
    let tolerance_secs = i64::try_from(tolerance.as_secs()).unwrap_or(i64::MAX);
    if !tolerance.is_zero() && now.saturating_sub(parsed.timestamp) > tolerance_secs {
        return Err(SignatureError::TimestampOutsideTolerance {
            timestamp: parsed.timestamp,
            now,
            tolerance,
        });
    }
    Ok(())
}

/// A header's timestamp and its `v1` signatures.
struct ParsedHeader<'a> {
    timestamp: i64,
    signatures: Vec<&'a str>,
}

/// Reads `t=...,v1=...,v0=...` as the SDKs do: elements split on `,`; an element's key is what
/// precedes its first `=` and its value what lies between that `=` and the next; keys are
/// compared exactly (` v1` is not `v1`); the first `t` counts; other keys are ignored.
fn parse_header(header: &str) -> Result<ParsedHeader<'_>, SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for element in header.split(',') {
        let mut parts = element.split('=');
        let key = parts.next().unwrap_or_default();
        let value = parts.next();
        match key {
            "t" if timestamp.is_none() => {
                let value = value.ok_or(SignatureError::MalformedHeader)?;
                timestamp = Some(parse_timestamp(value).ok_or(SignatureError::MalformedHeader)?);
            }
            "v1" => signatures.push(value.ok_or(SignatureError::MalformedHeader)?),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::NoTimestamp)?;
    Ok(ParsedHeader {
        timestamp,
        signatures,
    })
}

/// An optionally signed decimal integer, surrounding ASCII whitespace allowed: what both
/// Python's `int()` and JavaScript's `parseInt` read the same way.
fn parse_timestamp(value: &str) -> Option<i64> {
    let value = value.trim_ascii();
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.strip_prefix('+').unwrap_or(value).parse().ok()
}

/// The lowercase hex HMAC-SHA256, keyed with `secret`'s bytes, of `TIMESTAMP.PAYLOAD` (the
/// timestamp written in decimal, as the SDKs write back the integer they read).
fn sign(payload: &[u8], secret: &str, timestamp: i64) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
    let mut context = hmac::Context::with_key(&key);
    context.update(timestamp.to_string().as_bytes());
    context.update(b".");
    context.update(payload);
    hex(context.sign().as_ref())
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// Whether `a == b`, in time that depends on their length only (as the SDKs' `secure_compare`:
/// the length of a signature is no secret).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let difference = a
        .iter()
        .zip(b)
        .fold(0u8, |acc, (x, y)| std::hint::black_box(acc | (x ^ y)));
    difference == 0
}

/// `time` in whole Unix seconds, rounded down (before 1970: negative).
fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        Err(before) => {
            let before = before.duration();
            let secs = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
            let secs = if before.subsec_nanos() > 0 {
                secs.saturating_add(1)
            } else {
                secs
            };
            secs.saturating_neg()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";

    #[test]
    fn signs_like_rfc_4231() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let key = hmac::Key::new(hmac::HMAC_SHA256, b"Jefe");
        let tag = hmac::sign(&key, b"what do ya want for nothing?");
        assert_eq!(
            hex(tag.as_ref()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn reads_headers_as_the_sdks_do() {
        let parsed = parse_header("t=12,v1=aa,v0=bb,v1=cc=dd,x,other=1").unwrap();
        assert_eq!(parsed.timestamp, 12);
        assert_eq!(parsed.signatures, ["aa", "cc"]);
        assert_eq!(parse_header("t=1,t=2,v1=a").unwrap().timestamp, 1);
        assert_eq!(parse_header("t= 7 ,v1=a").unwrap().timestamp, 7);
        assert_eq!(parse_header("t=+7,v1=a").unwrap().timestamp, 7);
        assert_eq!(parse_header("t=-7,v1=a").unwrap().timestamp, -7);
        assert_eq!(parse_header("t=007,v1=a").unwrap().timestamp, 7);
        for malformed in [
            "t=,v1=a",
            "t=1x,v1=a",
            "t,v1=a",
            "t=1,v1",
            "t=--1",
            "t=+",
            "t=1_0",
        ] {
            assert!(
                matches!(
                    parse_header(malformed),
                    Err(SignatureError::MalformedHeader)
                ),
                "{malformed}"
            );
        }
        for missing in ["v1=a", " t=1,v1=a", "T=1,v1=a"] {
            assert!(
                matches!(parse_header(missing), Err(SignatureError::NoTimestamp)),
                "{missing}"
            );
        }
    }

    #[test]
    fn checks_in_the_sdks_order() {
        let payload = b"{}";
        let now = 1_700_000_000;
        let good = Webhook::generate_test_header(payload, SECRET, now - 600);
        let tolerance = Webhook::DEFAULT_TOLERANCE;
        // A wrong signature is reported before the age.
        assert!(matches!(
            verify(payload, &good, "whsec_other", tolerance, now),
            Err(SignatureError::NoMatchingSignature { .. })
        ));
        assert!(matches!(
            verify(payload, &good, SECRET, tolerance, now),
            Err(SignatureError::TimestampOutsideTolerance { timestamp, now: at, .. })
                if timestamp == now - 600 && at == now
        ));
        assert_eq!(verify(payload, &good, SECRET, Duration::ZERO, now), Ok(()));
        assert_eq!(
            verify(payload, "", SECRET, tolerance, now),
            Err(SignatureError::NoHeader)
        );
        assert_eq!(
            verify(payload, &good, " \n", tolerance, now),
            Err(SignatureError::NoSecret)
        );
        assert_eq!(
            verify(payload, "t=1,v0=abc", SECRET, tolerance, now),
            Err(SignatureError::NoSignature)
        );
    }

    #[test]
    fn edges_of_the_tolerance() {
        let payload = b"{}";
        let now = 1_700_000_000;
        let tolerance = Duration::from_secs(300);
        let at = |t: i64| {
            verify(
                payload,
                &Webhook::generate_test_header(payload, SECRET, t),
                SECRET,
                tolerance,
                now,
            )
        };
        assert_eq!(at(now - 300), Ok(()));
        assert!(at(now - 301).is_err());
        assert_eq!(at(now + 86_400), Ok(()), "a future timestamp is accepted");
        // Below a second is not zero: it does not turn the check off.
        let signed = Webhook::generate_test_header(payload, SECRET, now - 1);
        assert!(verify(payload, &signed, SECRET, Duration::from_millis(500), now).is_err());
        assert_eq!(
            verify(payload, &signed, SECRET, Duration::from_millis(1500), now),
            Ok(())
        );
        assert_eq!(
            at(i64::MIN).map_err(|e| e.message()),
            Err("timestamp outside the tolerance zone")
        );
    }

    #[test]
    fn compares_whole_strings() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(constant_time_eq(b"", b""));
    }

    #[test]
    fn converts_clocks() {
        assert_eq!(unix_seconds(UNIX_EPOCH + Duration::from_millis(1_500)), 1);
        assert_eq!(unix_seconds(UNIX_EPOCH - Duration::from_millis(1_500)), -2);
        assert_eq!(unix_seconds(UNIX_EPOCH - Duration::from_secs(2)), -2);
    }
}
