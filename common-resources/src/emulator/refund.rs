//! Refunds of a payment intent's charge:
//!
//! - the payment is named by `payment_intent` or by `charge` (its intent's `latest_charge`), or
//!   both when they agree; neither is Stripe's 400;
//! - only a `succeeded` intent can be refunded; `amount` defaults to what is left unrefunded
//!   (the amount received, less the earlier refunds that did not fail and were not canceled);
//!   more than that is Stripe's 400 `amount_too_large`, and nothing left is
//!   `charge_already_refunded`;
//! - a card refund `succeeded` at once, and moves the balance: a `refund` balance transaction
//!   (the refund's `balance_transaction`);
//! - only a refund in `requires_action` can be canceled (none is, unless stored so with
//!   [`Emulator::insert`]): it gives the money back to the balance (a `refund_failure`
//!   balance transaction) and frees its amount to be refunded again;
//! - the events Stripe emits: `refund.created` and `charge.refunded` for a refund (the charge,
//!   which is no resource here, made from its intent: amounts, `refunded`, `payment_intent`),
//!   `refund.updated` and `charge.refund.updated` for an update or a cancel.

use resource_emulator::{Context, Emulate, Emulator, Object, Rejection, Routes};
use serde_json::Value;

use crate::{CancelRefund, Refund};

use super::fields::{integer, no_such, text};

use super::{balance, charge};

pub(super) fn register(emulator: &Emulator) {
    emulator.register::<Refund>();
}

const REFUNDS: &str = "/v1/refunds";

impl Emulate for Refund {
    fn routes(routes: &mut Routes<Self>) {
        routes
            .create()
            .retrieve()
            .update()
            .list()
            .action::<CancelRefund>("cancel", cancel);
    }

    fn indexed_fields() -> &'static [&'static str] {
        &["payment_intent"]
    }

    fn on_create(
        refund: &mut Object,
        params: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        let intent = refunded_intent(params, context)?;
        let (intent_id, charge) = (text(intent, "id"), text(intent, "latest_charge"));
        if text(intent, "status") != "succeeded" {
            return Err(Rejection::invalid_request(format!(
                "This PaymentIntent ({intent_id}) does not have a successful charge to refund."
            ))
            .code("charge_not_refundable"));
        }
        let refunded: i64 = context
            .objects_where(REFUNDS, "payment_intent", intent_id)
            .into_iter()
            .filter(|other| !matches!(text(other, "status"), "failed" | "canceled"))
            .map(|other| integer(other, "amount"))
            .sum();
        let left = integer(intent, "amount_received") - refunded;
        if left <= 0 {
            return Err(Rejection::invalid_request(format!(
                "Charge {charge} has already been refunded."
            ))
            .code("charge_already_refunded"));
        }
        let currency = text(intent, "currency");
        let amount = params.get("amount").and_then(Value::as_i64).unwrap_or(left);
        if amount < 1 {
            return Err(Rejection::invalid_request("Invalid positive integer").param("amount"));
        }
        if amount > left {
            let of = if refunded == 0 {
                "charge amount"
            } else {
                "unrefunded amount on charge"
            };
            return Err(Rejection::invalid_request(format!(
                "Refund amount ({}) is greater than {of} ({})",
                money(amount, currency),
                money(left, currency)
            ))
            .code("amount_too_large")
            .param("amount"));
        }
        for (field, value) in [
            ("charge", charge),
            ("payment_intent", intent_id),
            ("currency", currency),
            ("status", "succeeded"),
        ] {
            refund.insert(field.into(), value.into());
        }
        refund.insert("amount".into(), amount.into());
        let transaction = balance::moved(context, "refund", -amount, currency, text(refund, "id"));
        refund.insert("balance_transaction".into(), transaction.into());
        context.emit_about("charge.refunded", charge::of(intent, refunded + amount))
    }

    fn on_update(
        _: &Object,
        _: &mut Object,
        _: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        context.emit("charge.refund.updated")
    }
}

/// The intent a refund's params name, by `payment_intent` or `charge` (or both, when the charge
/// is the intent's).
fn refunded_intent<'a>(params: &Object, context: &Context<'a>) -> Result<&'a Object, Rejection> {
    let by_id = params.get("payment_intent").and_then(Value::as_str);
    let by_charge = params.get("charge").and_then(Value::as_str);
    let intents = "/v1/payment_intents";
    let intent = match (by_id, by_charge) {
        (Some(id), _) => context
            .find(intents, id)
            .ok_or_else(|| no_such("payment_intent", id, "payment_intent"))?,
        (None, Some(charge)) => context
            .objects_where(intents, "latest_charge", charge)
            .into_iter()
            .next()
            .ok_or_else(|| no_such("charge", charge, "charge"))?,
        (None, None) => {
            return Err(Rejection::invalid_request(
                "One of the following params should be provided for this request: \
                 payment_intent or charge.",
            )
            .code("parameter_missing"));
        }
    };
    match by_charge {
        Some(charge) if text(intent, "latest_charge") != charge => {
            Err(Rejection::invalid_request(format!(
                "Charge {charge} does not belong to PaymentIntent {}.",
                text(intent, "id")
            ))
            .param("charge"))
        }
        _ => Ok(intent),
    }
}

fn cancel(refund: &mut Object, _: &Object, context: &Context<'_>) -> Result<(), Rejection> {
    let status = text(refund, "status");
    if status != "requires_action" {
        return Err(Rejection::invalid_request(format!(
            "You can't cancel this refund because it has a status of {status}."
        )));
    }
    // The money it took from the balance, if it took some, comes back.
    if refund
        .get("balance_transaction")
        .is_some_and(|t| !t.is_null())
    {
        let currency = text(refund, "currency");
        let amount = integer(refund, "amount");
        balance::moved(
            context,
            "refund_failure",
            amount,
            currency,
            text(refund, "id"),
        );
    }
    refund.insert("status".into(), "canceled".into());
    refund.insert("failure_reason".into(), "merchant_request".into());
    context.emit("charge.refund.updated")
}

/// An amount as Stripe writes it in messages: `$20.00`, or `20.00 EUR` (two decimals assumed).
fn money(amount: i64, currency: &str) -> String {
    let figures = format!("{}.{:02}", amount / 100, amount % 100);
    match currency {
        "usd" => format!("${figures}"),
        _ => format!("{figures} {}", currency.to_ascii_uppercase()),
    }
}
