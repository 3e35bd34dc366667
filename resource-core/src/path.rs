//! Path templates: `/v1/customers/{customer}/balance_transactions/{id}` filled with ids.
//!
//! Every id goes in as one percent-encoded path segment, so no id can change which endpoint a
//! request reaches: `/`, `?`, `#` and `%` are escaped, and the ids that would still change it
//! (the empty id, `.` and `..`) are refused.

use std::borrow::Cow;

use crate::error::Error;
use crate::id::{Excerpt, MAX_ID_LEN};

/// Fills each `{name}` of `template`, in order, with one of `ids`, each as one percent-encoded
/// path segment.
///
/// ```
/// use resource_core::path;
///
/// let filled = path::fill("/v1/customers/{customer}/balance_transactions/{id}", &["cus_1", "cbtxn 2"])?;
/// assert_eq!(filled, "/v1/customers/cus_1/balance_transactions/cbtxn%202");
/// # Ok::<(), resource_core::Error>(())
/// ```
///
/// # Errors
///
/// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when the number of ids is not
/// the number of placeholders, a `{` is not closed, or an id is empty, `.`, `..` or longer than
/// [`MAX_ID_LEN`] bytes.
pub fn fill<'a>(template: &'a str, ids: &[&str]) -> Result<Cow<'a, str>, Error> {
    if ids.is_empty() && !template.contains('{') {
        // A path with no placeholder is sent as it is, without a copy.
        return Ok(Cow::Borrowed(template));
    }
    let mut out =
        String::with_capacity(template.len() + ids.iter().map(|id| id.len()).sum::<usize>());
    let mut ids = ids.iter();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            return Err(Error::invalid_input(format!(
                "invalid path template {template:?}: `{{` is not closed"
            )));
        };
        let Some(id) = ids.next() else {
            return Err(count_error(template));
        };
        push_id(&mut out, id)?;
        rest = &rest[open + close + 1..];
    }
    if ids.next().is_some() {
        return Err(count_error(template));
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// The number of `{name}` placeholders in `template`.
#[must_use]
pub fn placeholders(template: &str) -> usize {
    template.matches('{').count()
}

fn count_error(template: &str) -> Error {
    Error::invalid_input(format!(
        "path template {template:?} has {} placeholders, and a different number of ids was given",
        placeholders(template)
    ))
}

/// Appends `id` as one percent-encoded path segment.
///
/// Ids decoded from responses are not checked (Stripe may change prefixes), and [`fill`] takes
/// any string, so this is the last line of defence for every id and every placeholder: an empty,
/// `.` or `..` id would address another endpoint, and an id longer than
/// [`MAX_ID_LEN`] bytes is no Stripe id (and, long enough, no URL a server
/// reads); both are refused before anything is sent.
pub(crate) fn push_id(out: &mut String, id: &str) -> Result<(), Error> {
    if matches!(id, "" | "." | "..") {
        return Err(Error::invalid_input(format!(
            "refusing to send the id {id:?}: it is not a path segment"
        )));
    }
    if id.len() > MAX_ID_LEN {
        return Err(Error::invalid_input(format!(
            "refusing to send the id {}: {} bytes, at most {MAX_ID_LEN} allowed",
            Excerpt(id),
            id.len()
        )));
    }
    crate::form::push_path_segment(out, id);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn fills_placeholders_in_order_and_escapes_each_id() {
        assert_eq!(fill("/v1/balance", &[]).unwrap(), "/v1/balance");
        assert_eq!(
            fill("/v1/payment_intents/{intent}/confirm", &["pi_1"]).unwrap(),
            "/v1/payment_intents/pi_1/confirm"
        );
        assert_eq!(
            fill(
                "/v1/customers/{customer}/sources/{id}",
                &["cus_1", "card_2"]
            )
            .unwrap(),
            "/v1/customers/cus_1/sources/card_2"
        );
        assert_eq!(
            fill("/v1/x/{id}", &["a/b?c#d%e f"]).unwrap(),
            "/v1/x/a%2Fb%3Fc%23d%25e%20f"
        );
        // A placeholder at the very end, or two in a row.
        assert_eq!(fill("/v1/{a}{b}", &["1", "2"]).unwrap(), "/v1/12");
    }

    #[test]
    fn refuses_what_would_change_the_endpoint() {
        let too_long = "a".repeat(MAX_ID_LEN + 1);
        for id in ["", ".", "..", &too_long] {
            let error = fill("/v1/x/{id}", &[id]).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "{id:?}");
            assert!(error.to_string().len() < 200);
        }
        let longest = "a".repeat(MAX_ID_LEN);
        assert!(fill("/v1/x/{id}", &[&longest]).is_ok());
        for (template, ids) in [
            ("/v1/x/{id}", &[][..]),
            ("/v1/x/{id}", &["a", "b"][..]),
            ("/v1/x", &["a"][..]),
            ("/v1/x/{id", &["a"][..]),
        ] {
            let error = fill(template, ids).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "{template} {ids:?}");
        }
    }

    #[test]
    fn counts_placeholders() {
        assert_eq!(placeholders("/v1/balance"), 0);
        assert_eq!(placeholders("/v1/customers/{customer}/tax_ids/{id}"), 2);
    }
}
