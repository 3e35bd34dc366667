//! Every emulator serves `/v1/webhook_endpoints`, as Stripe does: an endpoint is a URL, the
//! event types it wants and the secret its deliveries are signed with.
//!
//! - create needs an `http://` or `https://` `url` and `enabled_events` of `*` or types Stripe
//!   has ([`EVENT_TYPES`](crate::EVENT_TYPES)); it draws the `whsec_` secret, shown in its
//!   answer only (never again: see [`Emulate::secret_fields`]);
//! - update may change them, and `disabled` (`true` stops deliveries: `status` is `disabled`);
//! - delete stops its deliveries.

use resource_core::WebhookEndpoint;
use serde_json::Value;

use crate::emulate::{Context, Emulate, Object, Routes};
use crate::event_types::EVENT_TYPES;
use crate::rejection::Rejection;

/// Where the endpoints are served.
pub(crate) const PATH: &str = "/v1/webhook_endpoints";

impl Emulate for WebhookEndpoint {
    fn routes(routes: &mut Routes<Self>) {
        routes.create().retrieve().update().delete().list();
    }

    fn secret_fields() -> &'static [&'static str] {
        &["secret"]
    }

    fn on_create(
        endpoint: &mut Object,
        _params: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        check(endpoint)?;
        let secret = format!("whsec_{}", context.token(32));
        endpoint.insert("secret".into(), secret.into());
        endpoint.insert("status".into(), "enabled".into());
        Ok(())
    }

    fn on_update(
        _before: &Object,
        endpoint: &mut Object,
        params: &Object,
        _context: &Context<'_>,
    ) -> Result<(), Rejection> {
        check(endpoint)?;
        if let Some(disabled) = params.get("disabled").and_then(Value::as_bool) {
            let status = if disabled { "disabled" } else { "enabled" };
            endpoint.insert("status".into(), status.into());
        }
        Ok(())
    }
}

/// The endpoint's `url` and `enabled_events` are ones Stripe takes.
fn check(endpoint: &Object) -> Result<(), Rejection> {
    let url = endpoint
        .get("url")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
    if host.is_none_or(str::is_empty) {
        return Err(Rejection::invalid_request(format!(
            "Invalid URL: {url} must be an http:// or https:// URL with a host."
        ))
        .param("url"));
    }
    if let Some(version) = endpoint.get("api_version").and_then(Value::as_str) {
        if !is_api_version(version) {
            return Err(Rejection::invalid_request(format!(
                "Invalid API version: {version} is not an API version, such as 2026-01-28.clover."
            ))
            .param("api_version"));
        }
    }
    let events = endpoint.get("enabled_events").and_then(Value::as_array);
    let Some(events) = events.filter(|events| !events.is_empty()) else {
        return Err(Rejection::parameter_missing("enabled_events"));
    };
    for (at, event) in events.iter().enumerate() {
        let event = event.as_str().unwrap_or_default();
        if event != "*" && EVENT_TYPES.binary_search(&event).is_err() {
            return Err(Rejection::invalid_request(format!(
                "Invalid enabled_events[{at}]: must be `*` or an event type Stripe has, such as \
                 customer.created (got {event})."
            ))
            .param(format!("enabled_events[{at}]")));
        }
    }
    Ok(())
}

/// Whether `version` reads like one of Stripe's API versions: a date (`2024-06-20`), maybe
/// with a release name (`2026-01-28.clover`).
fn is_api_version(version: &str) -> bool {
    let (date, name) = match version.split_once('.') {
        Some((date, name)) => (date, Some(name)),
        None => (version, None),
    };
    let digits =
        |part: &str, len: usize| part.len() == len && part.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = date.split('-').collect();
    matches!(parts.as_slice(), [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2))
        && name.is_none_or(|name| !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase()))
}

/// Whether an endpoint (as stored) wants events of `type_`: enabled, and `*` or the type among
/// its `enabled_events`.
pub(crate) fn wants(endpoint: &Object, type_: &str) -> bool {
    let enabled = endpoint.get("status").and_then(Value::as_str) == Some("enabled");
    let events = endpoint.get("enabled_events").and_then(Value::as_array);
    enabled
        && events.is_some_and(|events| {
            events.iter().any(
                |event| matches!(event.as_str(), Some(wanted) if wanted == "*" || wanted == type_),
            )
        })
}

#[cfg(test)]
mod tests {
    use crate::test_support::object as endpoint;
    use serde_json::json;

    use super::*;

    #[test]
    fn endpoints_want_their_types_while_enabled() {
        let some = endpoint(json!({
            "status": "enabled", "enabled_events": ["customer.created", "invoice.paid"],
        }));
        assert!(wants(&some, "customer.created"));
        assert!(!wants(&some, "customer.updated"));
        let all = endpoint(json!({"status": "enabled", "enabled_events": ["*"]}));
        assert!(wants(&all, "payment_intent.succeeded"));
        let off = endpoint(json!({"status": "disabled", "enabled_events": ["*"]}));
        assert!(!wants(&off, "payment_intent.succeeded"));
    }

    #[test]
    fn urls_and_types_are_checked() {
        let ok = endpoint(json!({"url": "http://127.0.0.1:4242/hook", "enabled_events": ["*"]}));
        assert!(check(&ok).is_ok());
        let ftp = endpoint(json!({"url": "ftp://example.com", "enabled_events": ["*"]}));
        assert_eq!(check(&ftp).unwrap_err().param.as_deref(), Some("url"));
        let hostless = endpoint(json!({"url": "https:///x", "enabled_events": ["*"]}));
        assert_eq!(check(&hostless).unwrap_err().param.as_deref(), Some("url"));
        let unknown = endpoint(json!({
            "url": "https://example.com", "enabled_events": ["customer.created", "nope.created"],
        }));
        assert_eq!(
            check(&unknown).unwrap_err().param.as_deref(),
            Some("enabled_events[1]")
        );
        let versioned = |version: &str| {
            endpoint(json!({
                "url": "https://example.com", "enabled_events": ["*"], "api_version": version,
            }))
        };
        assert!(check(&versioned("2024-06-20")).is_ok());
        assert!(check(&versioned("2026-01-28.clover")).is_ok());
        for bad in [
            "latest",
            "2024-6-20",
            "2024-06-20.",
            "2024-06-20.Clover",
            "",
        ] {
            let error = check(&versioned(bad)).unwrap_err();
            assert_eq!(error.param.as_deref(), Some("api_version"), "{bad}");
        }
        let none = endpoint(json!({"url": "https://example.com", "enabled_events": []}));
        assert_eq!(
            check(&none).unwrap_err().param.as_deref(),
            Some("enabled_events")
        );
    }
}
