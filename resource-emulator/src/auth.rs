//! Who may call: only a test-mode secret key, sent as Stripe takes it.

use crate::engine::Incoming;
use crate::rejection::Rejection;

/// The request's key: `Authorization: Bearer sk_test_...` (what the SDKs send), or HTTP basic
/// auth with the key as the user name (`curl -u sk_test_...:`, Stripe's own examples). Only
/// test-mode secret keys are accepted; a refused key is shown redacted.
pub(crate) fn authenticate(request: &Incoming<'_>) -> Result<String, Rejection> {
    let Some(authorization) = request.header("Authorization") else {
        return Err(Rejection::authentication(
            "You did not provide an API key. You need to provide your API key in the Authorization header, \
             using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
        ));
    };
    let key = match authorization.split_once(' ') {
        Some((scheme, key)) if scheme.eq_ignore_ascii_case("bearer") => key.trim().to_owned(),
        Some((scheme, encoded)) if scheme.eq_ignore_ascii_case("basic") => {
            let decoded = base64_decode(encoded.trim()).unwrap_or_default();
            let text = String::from_utf8_lossy(&decoded);
            text.split_once(':')
                .map_or(&*text, |(user, _)| user)
                .to_owned()
        }
        _ => String::new(),
    };
    if key.starts_with("sk_test_") && key.len() > "sk_test_".len() {
        Ok(key)
    } else {
        Err(Rejection::authentication(format!(
            "Invalid API Key provided: {}",
            redact(&key)
        )))
    }
}

/// `sk_live_****************1234`, as Stripe shows a refused key: a key-kind prefix such as
/// `sk_live_` (up to the second `_`, at most 8 characters) and the last four characters,
/// counted in characters.
fn redact(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let shown_prefix = chars
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == '_')
        .nth(1)
        .map_or(0, |(i, _)| i + 1)
        .min(chars.len());
    let shown_prefix = if shown_prefix <= 8 { shown_prefix } else { 0 };
    let tail = chars.len().saturating_sub(4).max(shown_prefix);
    let prefix: String = chars[..shown_prefix].iter().collect();
    let suffix: String = chars[tail..].iter().collect();
    format!("{prefix}{}{suffix}", "*".repeat(tail - shown_prefix))
}

/// Standard base64 (padding optional); `None` for anything else.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let digit = |byte: u8| -> Option<u32> {
        Some(u32::from(match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    };
    let text = text.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let mut bits = 0u32;
        for (i, byte) in chunk.iter().enumerate() {
            bits |= digit(*byte)? << (18 - 6 * i);
        }
        let bytes = bits.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(authorization: &str) -> Result<String, Rejection> {
        let headers = [("Authorization".to_owned(), authorization.to_owned())];
        authenticate(&Incoming {
            method: "GET",
            path: "/v1/customers",
            query: "",
            headers: &headers,
            body: b"",
        })
    }

    #[test]
    fn keys_come_as_bearer_or_as_basic_auth_user() {
        assert_eq!(with("Bearer sk_test_123").unwrap(), "sk_test_123");
        // `curl -u sk_test_123:`
        assert_eq!(with("Basic c2tfdGVzdF8xMjM6").unwrap(), "sk_test_123");
        assert_eq!(with("basic c2tfdGVzdF8xMjM=").unwrap(), "sk_test_123");
        let refused = with("Basic c2tfbGl2ZV9hYmNkZWZnaDEyMzQ6").unwrap_err();
        assert_eq!(
            refused.message,
            "Invalid API Key provided: sk_live_********1234"
        );
        assert_eq!(refused.status, 401);
        assert!(with("Basic !!!").is_err());
        assert!(with("sk_test_123").is_err());
    }

    #[test]
    fn base64_decodes_with_or_without_padding() {
        assert_eq!(base64_decode("aGk=").unwrap(), b"hi");
        assert_eq!(base64_decode("aGk").unwrap(), b"hi");
        assert_eq!(base64_decode("aGV5").unwrap(), b"hey");
        assert_eq!(base64_decode("a"), None);
    }

    #[test]
    fn refused_keys_are_shown_redacted() {
        assert_eq!(redact("sk_live_abcdefgh1234"), "sk_live_********1234");
        assert_eq!(redact("pk_test_12"), "pk_test_12");
        assert_eq!(redact("x"), "x");
        // Counted in characters, not bytes (found by the emulator_request fuzz target).
        assert_eq!(redact("ééééééééé_x_SECRETKEY"), "*****************TKEY");
        assert_eq!(redact("rk_test_abcdefgh"), "rk_test_****efgh");
    }
}
