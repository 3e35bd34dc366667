//! Payment intents, whose actions move them through Stripe's states:
//!
//! - created `requires_payment_method`, or `requires_confirmation` with a `payment_method`;
//!   `confirm=true` confirms it at once;
//! - `confirm` with Stripe's test payment method `pm_card_visa` succeeds: `succeeded` (with its
//!   `latest_charge` and `amount_received`), or `requires_capture` with `capture_method=manual`;
//!   `pm_card_chargeDeclined` is declined: 402 `card_declined`, and the intent keeps the failure
//!   as `last_payment_error`, back to `requires_payment_method`;
//! - `capture` (of `amount_to_capture`, at most what is capturable) takes `requires_capture` to
//!   `succeeded`; `cancel` (with a `cancellation_reason`) any state but `succeeded` and
//!   `canceled` to `canceled`;
//! - an action in another state is Stripe's 400 `payment_intent_unexpected_state`;
//! - the money received is a `charge` balance transaction, in the balance;
//! - the events Stripe emits besides `payment_intent.created`: `payment_intent.succeeded` (a
//!   confirmation with automatic capture, a capture), `payment_intent.amount_capturable_updated`
//!   (a confirmation with manual capture), `payment_intent.payment_failed` (a decline, though
//!   the request is refused), `payment_intent.canceled`; and about the latest charge (no
//!   resource here: see `charge.rs`) `charge.succeeded` (a confirmation that succeeds, captured
//!   or not), `charge.captured` (a capture) and `charge.failed` (a decline).

use resource_emulator::{Context, Emulate, Emulator, Object, Rejection, Routes};
use serde_json::{Value, json};

use crate::{CancelPaymentIntent, CapturePaymentIntent, ConfirmPaymentIntent, PaymentIntent};

use super::fields::{integer, text};
use super::{CARD_DECLINED, balance, charge};

pub(super) fn register(emulator: &Emulator) {
    emulator.register::<PaymentIntent>();
}

impl Emulate for PaymentIntent {
    fn routes(routes: &mut Routes<Self>) {
        routes
            .create()
            .retrieve()
            .update()
            .list()
            .search()
            .action::<ConfirmPaymentIntent>("confirm", confirm)
            .action::<CapturePaymentIntent>("capture", capture)
            .action::<CancelPaymentIntent>("cancel", cancel);
    }

    fn indexed_fields() -> &'static [&'static str] {
        &["latest_charge"]
    }

    fn on_create(
        intent: &mut Object,
        params: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        if integer(intent, "amount") < 1 {
            return Err(Rejection::invalid_request("Amount must be at least 1.").param("amount"));
        }
        if intent.get("capture_method").is_none_or(Value::is_null) {
            intent.insert("capture_method".into(), "automatic".into());
        }
        for field in ["amount_capturable", "amount_received"] {
            intent.insert(field.into(), 0.into());
        }
        let id = text(intent, "id").to_owned();
        intent.insert(
            "client_secret".into(),
            format!("{id}_secret_{}", context.token(24)).into(),
        );
        let status = if has_payment_method(intent) {
            "requires_confirmation"
        } else {
            "requires_payment_method"
        };
        intent.insert("status".into(), status.into());
        if params.get("confirm").and_then(Value::as_bool) == Some(true) {
            confirm(intent, &Object::new(), context)?;
        }
        Ok(())
    }
}

fn has_payment_method(intent: &Object) -> bool {
    intent.get("payment_method").is_some_and(|pm| !pm.is_null())
}

fn status(intent: &Object) -> &str {
    text(intent, "status")
}

/// Stripe's answer to an action the intent's state does not allow.
fn unexpected_state(intent: &Object, action: &str) -> Rejection {
    Rejection::invalid_request(format!(
        "You cannot {action} this PaymentIntent because it has a status of {}.",
        status(intent)
    ))
    .code("payment_intent_unexpected_state")
}

fn confirm(intent: &mut Object, params: &Object, context: &Context<'_>) -> Result<(), Rejection> {
    if !matches!(
        status(intent),
        "requires_payment_method" | "requires_confirmation"
    ) {
        return Err(unexpected_state(intent, "confirm"));
    }
    if let Some(pm) = params.get("payment_method").filter(|pm| !pm.is_null()) {
        intent.insert("payment_method".into(), pm.clone());
    }
    match text(intent, "payment_method") {
        "" => Err(Rejection::invalid_request(
            "You cannot confirm this PaymentIntent because it's missing a payment method.",
        )
        .code("payment_intent_unexpected_state")),
        CARD_DECLINED => {
            // Stripe keeps the failure (and the failed charge) on the intent, back to needing a
            // payment method, and answers the card error with the intent.
            let message = "Your card was declined.";
            let charge = format!("ch_{}", context.token(24));
            intent.insert(
                "last_payment_error".into(),
                json!({"type": "card_error", "code": "card_declined",
                       "decline_code": "generic_decline", "message": message}),
            );
            intent.insert("latest_charge".into(), charge.clone().into());
            intent.insert("payment_method".into(), Value::Null);
            intent.insert("status".into(), "requires_payment_method".into());
            context.emit_about("charge.failed", charge::of(intent, 0))?;
            context.emit("payment_intent.payment_failed")?;
            context.refuse_after_storing(Rejection {
                type_: "card_error",
                ..Rejection::invalid_request(message)
                    .code("card_declined")
                    .status(402)
                    .with("decline_code", "generic_decline")
                    .with("charge", charge)
                    .with("payment_intent", intent.clone())
            });
            Ok(())
        }
        _ => {
            let amount = intent.get("amount").cloned().unwrap_or(json!(0));
            let manual = intent.get("capture_method").and_then(Value::as_str) == Some("manual");
            let charge = format!("ch_{}", context.token(24));
            intent.insert("latest_charge".into(), charge.into());
            intent.insert("last_payment_error".into(), Value::Null);
            if manual {
                intent.insert("amount_capturable".into(), amount);
                intent.insert("status".into(), "requires_capture".into());
                context.emit_about("charge.succeeded", charge::of(intent, 0))?;
                context.emit("payment_intent.amount_capturable_updated")
            } else {
                received(intent, amount.as_i64().unwrap_or_default(), context);
                context.emit_about("charge.succeeded", charge::of(intent, 0))?;
                context.emit("payment_intent.succeeded")
            }
        }
    }
}

fn capture(intent: &mut Object, params: &Object, context: &Context<'_>) -> Result<(), Rejection> {
    if status(intent) != "requires_capture" {
        return Err(unexpected_state(intent, "capture"));
    }
    let capturable = integer(intent, "amount_capturable");
    let amount = params
        .get("amount_to_capture")
        .and_then(Value::as_i64)
        .unwrap_or(capturable);
    if !(1..=capturable).contains(&amount) {
        return Err(Rejection::invalid_request(format!(
            "The amount to capture must be between 1 and the capturable amount, {capturable}."
        ))
        .param("amount_to_capture"));
    }
    intent.insert("amount_capturable".into(), 0.into());
    received(intent, amount, context);
    context.emit_about("charge.captured", charge::of(intent, 0))?;
    context.emit("payment_intent.succeeded")
}

/// The intent succeeded with `amount` received through its latest charge, which moves the
/// balance.
fn received(intent: &mut Object, amount: i64, context: &Context<'_>) {
    intent.insert("amount_received".into(), amount.into());
    intent.insert("status".into(), "succeeded".into());
    let currency = intent
        .get("currency")
        .and_then(Value::as_str)
        .unwrap_or("usd");
    let charge = text(intent, "latest_charge");
    balance::moved(context, "charge", amount, currency, charge);
}

fn cancel(intent: &mut Object, params: &Object, context: &Context<'_>) -> Result<(), Rejection> {
    if matches!(status(intent), "succeeded" | "canceled") {
        return Err(unexpected_state(intent, "cancel"));
    }
    let reason = params
        .get("cancellation_reason")
        .cloned()
        .unwrap_or(Value::Null);
    intent.insert("cancellation_reason".into(), reason);
    intent.insert("amount_capturable".into(), 0.into());
    intent.insert("status".into(), "canceled".into());
    context.emit("payment_intent.canceled")
}
