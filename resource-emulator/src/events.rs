//! The events Stripe emits, recorded by the engine and served at `/v1/events`.
//!
//! The engine makes the events of a request once it has succeeded (or was refused after storing
//! its change, as a declined payment is), never for a refused request, and never again for a
//! replayed one:
//!
//! - a create emits `{prefix}.created`, an update `{prefix}.updated` (with
//!   `data.previous_attributes`, and only when something changed), a delete `{prefix}.deleted`
//!   (with the object as it was); an action `{prefix}.updated` when it changed the object, or
//!   `{prefix}.deleted` when it is a `DELETE` (a subscription's cancel); objects made by hooks
//!   (`call_later`, `create_later`, `insert_later`, `update_later`) emit theirs too;
//! - hooks name the others ([`Context::emit`](crate::Context::emit));
//! - only types Stripe has ([`EVENT_TYPES`](crate::EVENT_TYPES)): a resource whose
//!   `{prefix}.created` is not one (a file link, a checkout session) emits none.
//!
//! The prefix is the object's name (`customer`, `checkout.session`) or, for an object nested
//! under another, the parent's and the collection's (`customer.tax_id`, `customer.discount`,
//! `account.external_account`), whichever Stripe has events for, unless the resource names its
//! own ([`Emulate::event_prefix`](crate::Emulate::event_prefix): subscriptions are Stripe's
//! `customer.subscription`).

use resource_core::{Declared, Event};
use serde_json::Value;

use crate::emulate::{Context, Emulate, Object, Routes};
use crate::event_types::has_prefix;
use crate::rejection::Rejection;

/// Where the events are served.
pub(crate) const PATH: &str = Event::DECLARATION.path;

/// How many events are kept unless
/// [`Emulator::set_event_capacity`](crate::Emulator::set_event_capacity) says otherwise.
pub(crate) const DEFAULT_CAPACITY: usize = 10_000;

/// How many types `types[]` may list, as on Stripe.
const MAX_TYPES: usize = 20;

/// An event a hook asked for: its type, and the object it is about when that is not the one the
/// hook handles.
pub(crate) struct Emitted {
    pub(crate) type_: String,
    pub(crate) about: Option<Object>,
}

/// An event of the request being handled, made once the request succeeds.
pub(crate) struct Pending {
    pub(crate) type_: String,
    pub(crate) subject: Subject,
}

/// What an event is about.
pub(crate) enum Subject {
    /// A stored object, shown as it is once the request is done; `before` is the object as it
    /// was shown before the change, for an update's `previous_attributes`.
    Stored {
        index: usize,
        scope: Vec<String>,
        key: String,
        before: Option<Object>,
    },
    /// An object as given: a deleted object as it was, another resource's object.
    Given(Object),
}

/// The request that caused an event: none when the clock did (`request_id` `None`).
pub(crate) struct Origin {
    pub(crate) request_id: Option<String>,
    pub(crate) idempotency_key: Option<String>,
    pub(crate) api_version: String,
}

impl Origin {
    /// The emulator's clock, moved: no request, the default API version.
    pub(crate) fn clock() -> Self {
        Origin {
            request_id: None,
            idempotency_key: None,
            api_version: resource_core::DEFAULT_API_VERSION.to_owned(),
        }
    }
}

/// The prefix of the events about objects named `object`; for a nested collection, `nested` is
/// the parent's object name and the collection's own segment of the path (`("customer",
/// "tax_ids")`). `None` when Stripe emits no event about them.
pub(crate) fn prefix(
    object: &str,
    nested: Option<(&str, &str)>,
    declared: Option<&str>,
) -> Option<String> {
    let nested = nested.map(|(parent, segment)| {
        let singular = segment.strip_suffix('s').unwrap_or(segment);
        format!("{parent}.{singular}")
    });
    declared
        .map(str::to_owned)
        .into_iter()
        .chain(nested)
        .chain([object.to_owned(), object.replace('.', "_")])
        .find(|candidate| has_prefix(candidate))
}

/// What an update changed: each top-level field whose value changed, with its old value (`null`
/// for a field it did not have). A hash (`metadata`) shows only its changed keys, the same way, as
/// Stripe's `previous_attributes` do; any other value (an array included) is shown whole.
pub(crate) fn previous_attributes(before: &Object, after: &Object) -> Object {
    let mut previous = Object::new();
    for (name, old) in before {
        match (old, after.get(name)) {
            (old, Some(new)) if old == new => {}
            (Value::Object(old), Some(Value::Object(new))) => {
                previous.insert(name.clone(), Value::Object(previous_attributes(old, new)));
            }
            (old, _) => {
                previous.insert(name.clone(), old.clone());
            }
        }
    }
    for name in after.keys() {
        if !before.contains_key(name) {
            previous.insert(name.clone(), Value::Null);
        }
    }
    previous
}

/// Whether an event's type matches a `type` filter: the type itself, or a group ending in `*`
/// (`customer.*`, `customer.subscription.*`; `*` alone is every type).
pub(crate) fn type_matches(type_: &str, pattern: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(start) => type_.starts_with(start),
        None => type_ == pattern,
    }
}

/// Every emulator serves the events it recorded: retrieve, and list newest first with `type`
/// (exact or a `*` group), `types[]` (any of them), `created` and `delivery_success` (`true`:
/// delivered to every endpoint it was sent to, `false`: some delivery waiting or given up).
impl Emulate for Event {
    fn routes(routes: &mut Routes<Self>) {
        routes.retrieve().list();
    }

    /// `pending_webhooks`: the deliveries not made yet.
    fn on_show(event: &Object, context: &Context<'_>) -> Object {
        let id = event.get("id").and_then(Value::as_str).unwrap_or_default();
        let pending = context.pending_webhooks(id);
        Object::from_iter([("pending_webhooks".to_owned(), pending.into())])
    }

    fn list_filters() -> &'static [&'static str] {
        &["type", "types", "delivery_success"]
    }

    fn check_list(params: &Object) -> Result<(), Rejection> {
        let listed = types(params).map_or(0, Vec::len);
        if params.get("type").is_some_and(|type_| !type_.is_null()) && listed > 0 {
            return Err(Rejection::invalid_request(
                "You may pass either `type` or `types`, but not both.",
            ));
        }
        if listed > MAX_TYPES {
            return Err(Rejection::invalid_request(format!(
                "Invalid array: types can have at most {MAX_TYPES} entries, but you passed \
                 {listed}."
            ))
            .param("types"));
        }
        Ok(())
    }

    fn listed(event: &Object, params: &Object) -> bool {
        let type_ = event
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let by_type = params
            .get("type")
            .and_then(Value::as_str)
            .is_none_or(|pattern| type_matches(type_, pattern));
        let by_types = types(params)
            .is_none_or(|types| types.iter().any(|wanted| wanted.as_str() == Some(type_)));
        // Delivered to every endpoint it was sent to: none left pending.
        let delivered = event
            .get("pending_webhooks")
            .and_then(Value::as_i64)
            .unwrap_or_default()
            == 0;
        let by_delivery = params
            .get("delivery_success")
            .and_then(Value::as_bool)
            .is_none_or(|success| success == delivered);
        by_type && by_types && by_delivery
    }
}

/// The `types[]` a list asks for; `None` for none (a params type may read none as `[]`).
fn types(params: &Object) -> Option<&Vec<Value>> {
    params
        .get("types")
        .and_then(Value::as_array)
        .filter(|types| !types.is_empty())
}

#[cfg(test)]
mod tests {
    use crate::test_support::object;
    use serde_json::json;

    use super::*;

    #[test]
    fn prefixes_are_the_ones_stripe_names_events_with() {
        assert_eq!(prefix("customer", None, None).as_deref(), Some("customer"));
        assert_eq!(
            prefix("checkout.session", None, None).as_deref(),
            Some("checkout.session")
        );
        assert_eq!(
            prefix("tax_id", Some(("customer", "tax_ids")), None).as_deref(),
            Some("customer.tax_id")
        );
        assert_eq!(
            prefix("discount", Some(("customer", "discount")), None).as_deref(),
            Some("customer.discount")
        );
        assert_eq!(
            prefix("bank_account", Some(("account", "external_accounts")), None).as_deref(),
            Some("account.external_account")
        );
        assert_eq!(
            prefix("subscription", None, Some("customer.subscription")).as_deref(),
            Some("customer.subscription")
        );
        assert_eq!(
            prefix("issuing.card", None, None).as_deref(),
            Some("issuing_card")
        );
        assert_eq!(prefix("file_link", None, None), None);
        assert_eq!(prefix("event", None, None), None);
        assert_eq!(
            prefix(
                "customer_balance_transaction",
                Some(("customer", "balance_transactions")),
                None
            ),
            None
        );
    }

    #[test]
    fn previous_attributes_hold_what_changed() {
        let before = object(json!({
            "id": "cus_1", "name": "Jenny", "email": null, "balance": 0,
            "metadata": {"a": "1", "b": "2"}, "preferred_locales": ["en"],
        }));
        let after = object(json!({
            "id": "cus_1", "name": "Jenny Rosen", "email": "j@example.com", "balance": 0,
            "metadata": {"a": "1", "c": "3"}, "preferred_locales": ["en", "fr"],
            "new_field": true,
        }));
        assert_eq!(
            Value::Object(previous_attributes(&before, &after)),
            json!({
                "name": "Jenny", "email": null, "metadata": {"b": "2", "c": null},
                "preferred_locales": ["en"], "new_field": null,
            })
        );
        assert!(previous_attributes(&before, &before).is_empty());
    }

    #[test]
    fn type_filters_match_exactly_or_by_group() {
        assert!(type_matches("customer.created", "customer.created"));
        assert!(!type_matches("customer.created", "customer.updated"));
        assert!(type_matches("customer.created", "customer.*"));
        assert!(type_matches("customer.subscription.created", "customer.*"));
        assert!(!type_matches(
            "customer_cash_balance_transaction.created",
            "customer.*"
        ));
        assert!(type_matches("invoice.paid", "*"));
    }
}
