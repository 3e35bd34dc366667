//! Subscriptions, whose status follows Stripe's in test mode:
//!
//! - created for an existing `customer` (otherwise Stripe's 400 `resource_missing` about
//!   `customer`), with at least one of `items`, each an existing, active, recurring price
//!   (otherwise Stripe's 400 about `items[0][price]`), kept as its `items` list (each a
//!   `subscription_item` with the price as stored and its quantity, 1 unless given);
//! - with `trial_period_days`, `trialing` from now (`trial_start`) to the trial's end
//!   (`trial_end`); otherwise its first payment is taken from `default_payment_method`: `active`
//!   when it succeeds (any payment method but `pm_card_chargeDeclined`), `incomplete` when it is
//!   declined or there is none (Stripe's default `payment_behavior`, `allow_incomplete`); an
//!   `incomplete` subscription is `incomplete_expired` 23 hours after it was created;
//! - when the trial ends (on the emulator's clock), what its `trial_settings` say for a
//!   subscription with no payment method: `pause` makes it `paused`, `cancel` `canceled`, and
//!   the default (`create_invoice`) `past_due`, an invoice left unpaid; with a payment method it
//!   is `active` (`past_due` when that payment method is declined);
//! - `cancel` (Stripe's `DELETE`) makes it `canceled`, `canceled_at` and `ended_at` now
//!   (`invoice_now` and `prorate` change nothing: there are no invoices); a subscription already
//!   canceled is Stripe's 404 `No such subscription`, as Stripe answers it;
//! - `resume` takes a `paused` subscription back to `active`, any other is a 400;
//! - a canceled subscription can only update its metadata, as on Stripe;
//! - a list leaves canceled subscriptions out unless `status` asks for them (`all`, `ended`,
//!   `canceled`); `price` lists those with an item of that price.
//!
//! The subscription keeps its `trial_settings` as Stripe shows them.

use resource_emulator::{Context, Emulate, Emulator, Object, Rejection, Routes};
use serde_json::{Value, json};

use crate::{CancelSubscription, ResumeSubscription, Subscription};

use super::fields::{integer, no_such, text};

use super::CARD_DECLINED;

pub(super) fn register(emulator: &Emulator) {
    emulator.register::<Subscription>();
}

const DAY: i64 = 24 * 60 * 60;
const TRIAL_WILL_END: &str = "customer.subscription.trial_will_end";

impl Emulate for Subscription {
    fn routes(routes: &mut Routes<Self>) {
        routes
            .create()
            .retrieve()
            .update()
            .list()
            .search()
            .action::<CancelSubscription>("cancel", cancel)
            .action::<ResumeSubscription>("resume", resume);
    }

    fn indexed_fields() -> &'static [&'static str] {
        &["customer"]
    }

    fn on_create(
        subscription: &mut Object,
        params: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        let customer = text(subscription, "customer");
        if context.find("/v1/customers", customer).is_none() {
            return Err(no_such("customer", customer, "customer"));
        }
        check_items(params, context)?;
        let items = items_of(text(subscription, "id"), params, context);
        subscription.insert("items".into(), items);
        let settings = match params.get("trial_settings") {
            Some(settings) if !settings.is_null() => settings.clone(),
            _ => json!({"end_behavior": {"missing_payment_method": "create_invoice"}}),
        };
        subscription.insert("trial_settings".into(), settings);
        if !matches!(
            end_behavior(subscription),
            Some("cancel" | "pause" | "create_invoice")
        ) {
            return Err(Rejection::invalid_request(
                "Invalid trial_settings[end_behavior][missing_payment_method]: must be one of \
                 cancel, create_invoice, or pause",
            )
            .param("trial_settings[end_behavior][missing_payment_method]"));
        }
        subscription.insert("cancel_at_period_end".into(), false.into());
        let trial_days = params
            .get("trial_period_days")
            .and_then(Value::as_i64)
            .unwrap_or_default();
        let status = if trial_days > 0 {
            subscription.insert("trial_start".into(), context.now().into());
            let end = context.now() + trial_days * DAY;
            subscription.insert("trial_end".into(), end.into());
            if end - 3 * DAY <= context.now() {
                context.emit(TRIAL_WILL_END)?;
            }
            "trialing"
        } else if paid(subscription) {
            "active"
        } else {
            "incomplete"
        };
        subscription.insert("status".into(), status.into());
        Ok(())
    }

    fn event_prefix() -> Option<&'static str> {
        Some("customer.subscription")
    }

    fn list_filters() -> &'static [&'static str] {
        &["status", "price"]
    }

    /// As on Stripe: without `status`, every subscription but the canceled ones; `all`, every
    /// one; `ended`, the canceled and expired ones; otherwise that status. With `price`, those
    /// with an item of that price.
    fn listed(subscription: &Object, params: &Object) -> bool {
        let status = status(subscription);
        let by_status = match params.get("status").and_then(Value::as_str) {
            None => status != "canceled",
            Some("all") => true,
            Some("ended") => matches!(status, "canceled" | "incomplete_expired"),
            Some(wanted) => status == wanted,
        };
        let by_price = params
            .get("price")
            .and_then(Value::as_str)
            .is_none_or(|wanted| {
                subscription
                    .get("items")
                    .and_then(|items| items.get("data"))
                    .and_then(Value::as_array)
                    .is_some_and(|items| {
                        items
                            .iter()
                            .any(|item| item.pointer("/price/id") == Some(&json!(wanted)))
                    })
            });
        by_status && by_price
    }

    fn on_update(
        before: &Object,
        _: &mut Object,
        params: &Object,
        _: &Context<'_>,
    ) -> Result<(), Rejection> {
        let changes_more = params.iter().any(|(name, value)| {
            !value.is_null() && !matches!(name.as_str(), "metadata" | "expand")
        });
        if status(before) == "canceled" && changes_more {
            return Err(Rejection::invalid_request(
                "A canceled subscription can only update its cancellation_details and metadata.",
            ));
        }
        Ok(())
    }

    /// A trial ended by the clock: besides `customer.subscription.updated`, Stripe's `.paused`
    /// or `.deleted` when it paused or canceled for want of a payment method.
    fn on_clock(before: &Object, subscription: &mut Object, context: &Context<'_>) {
        let type_ = match (status(before), status(subscription)) {
            ("trialing", "paused") => "customer.subscription.paused",
            ("trialing", "canceled") => "customer.subscription.deleted",
            _ => return,
        };
        // Only types Stripe has are refused, and these are.
        let _ = context.emit(type_);
    }

    /// `customer.subscription.trial_will_end`, three days before a trial ends (a shorter
    /// trial has it at once, from `on_create`).
    fn scheduled_events(subscription: &Object) -> Vec<(i64, &'static str)> {
        match trial_will_end(subscription) {
            Some(at) if at > integer(subscription, "created") => vec![(at, TRIAL_WILL_END)],
            _ => Vec::new(),
        }
    }

    fn on_show(subscription: &Object, context: &Context<'_>) -> Object {
        let now = context.now();
        let trial_end = subscription.get("trial_end").and_then(Value::as_i64);
        let mut computed = Object::new();
        match status(subscription) {
            "trialing" if trial_end.is_some_and(|end| end <= now) => {
                let status = if has_payment_method(subscription) {
                    if paid(subscription) {
                        "active"
                    } else {
                        "past_due"
                    }
                } else {
                    match end_behavior(subscription) {
                        Some("pause") => "paused",
                        Some("cancel") => {
                            computed.insert("canceled_at".into(), trial_end.into());
                            computed.insert("ended_at".into(), trial_end.into());
                            "canceled"
                        }
                        _ => "past_due",
                    }
                };
                computed.insert("status".into(), status.into());
            }
            "incomplete" if now >= integer(subscription, "created") + 23 * 60 * 60 => {
                computed.insert("status".into(), "incomplete_expired".into());
            }
            _ => {}
        }
        computed
    }
}

/// The subscription `id`'s `items` list, one item per price in the params (checked first by
/// [`check_items`]), each with the price as stored and its quantity (1 unless given).
fn items_of(id: &str, params: &Object, context: &Context<'_>) -> Value {
    let given = params.get("items").and_then(Value::as_array);
    let data: Vec<Value> = given
        .into_iter()
        .flatten()
        .map(|item| {
            let price = item
                .get("price")
                .and_then(Value::as_str)
                .and_then(|price| context.find("/v1/prices", price));
            json!({
                "id": format!("si_{}", context.token(14)), "object": "subscription_item",
                "created": context.now(), "metadata": {}, "price": price,
                "quantity": item.get("quantity").and_then(Value::as_u64).unwrap_or(1),
                "subscription": id,
            })
        })
        .collect();
    let url = format!("/v1/subscription_items?subscription={id}");
    json!({"object": "list", "data": data, "has_more": false, "url": url})
}

/// `items` is not empty, and each is an existing, active, recurring price.
fn check_items(params: &Object, context: &Context<'_>) -> Result<(), Rejection> {
    let items = params.get("items").and_then(Value::as_array);
    let Some(items) = items.filter(|items| !items.is_empty()) else {
        return Err(Rejection::parameter_missing("items"));
    };
    for (i, item) in items.iter().enumerate() {
        let param = format!("items[{i}][price]");
        let Some(id) = item.get("price").and_then(Value::as_str) else {
            return Err(Rejection::parameter_missing(&param));
        };
        let Some(price) = context.find("/v1/prices", id) else {
            return Err(no_such("price", id, &param));
        };
        if price.get("active") == Some(&Value::Bool(false)) {
            return Err(Rejection::invalid_request(
                "The price specified is inactive. This field only accepts active prices.",
            )
            .param(param));
        }
        if price.get("recurring").is_none_or(Value::is_null) {
            return Err(Rejection::invalid_request(
                "The price specified is set to `type=one_time` but this field only accepts \
                 prices with `type=recurring`.",
            )
            .param(param));
        }
    }
    Ok(())
}

/// What its `trial_settings` say to do when the trial ends without a payment method.
fn end_behavior(subscription: &Object) -> Option<&str> {
    subscription
        .get("trial_settings")
        .and_then(|settings| settings.pointer("/end_behavior/missing_payment_method"))
        .and_then(Value::as_str)
}

fn has_payment_method(subscription: &Object) -> bool {
    !text(subscription, "default_payment_method").is_empty()
}

/// Whether its payment method pays: any but the declined test card.
fn paid(subscription: &Object) -> bool {
    has_payment_method(subscription)
        && text(subscription, "default_payment_method") != CARD_DECLINED
}

fn cancel(subscription: &mut Object, _: &Object, context: &Context<'_>) -> Result<(), Rejection> {
    if status(subscription) == "canceled" {
        // Stripe answers a canceled subscription's cancel as if it were gone.
        let id = text(subscription, "id");
        return Err(Rejection::no_such("subscription", id, "id"));
    }
    subscription.insert("status".into(), "canceled".into());
    subscription.insert("canceled_at".into(), context.now().into());
    subscription.insert("ended_at".into(), context.now().into());
    Ok(())
}

fn resume(subscription: &mut Object, _: &Object, context: &Context<'_>) -> Result<(), Rejection> {
    if status(subscription) != "paused" {
        return Err(Rejection::invalid_request(format!(
            "Only a paused subscription can be resumed; this one has a status of {}.",
            status(subscription)
        )));
    }
    subscription.insert("status".into(), "active".into());
    context.emit("customer.subscription.resumed")
}

fn status(subscription: &Object) -> &str {
    text(subscription, "status")
}

/// When Stripe tells a trialing subscription's trial will end: three days before it does.
fn trial_will_end(subscription: &Object) -> Option<i64> {
    let end = subscription.get("trial_end").and_then(Value::as_i64)?;
    (status(subscription) == "trialing").then_some(end - 3 * DAY)
}

/// Whether the subscription (as stored) has not ended by now: not canceled, not expired.
pub(super) fn is_live(subscription: &Object, context: &Context<'_>) -> bool {
    let computed = Subscription::on_show(subscription, context);
    let status = computed
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or(status(subscription));
    !matches!(status, "canceled" | "incomplete_expired")
}
