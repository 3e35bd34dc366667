//! Transfers to connected accounts, and their reversals:
//!
//! - a transfer's `amount` is at least 1, and its `destination` an existing connected account
//!   (otherwise Stripe's 400 `resource_missing` about `destination`);
//! - its `amount_reversed` is the sum of its reversals, and it is `reversed` once all of it is;
//! - a reversal takes back what remains of its transfer, or `amount` of it (at most what
//!   remains: more is Stripe's 400 about `amount`), in the transfer's currency.
//!
//! Transfers do not move the platform's balance (no `transfer` balance transaction, no
//! insufficient funds check): the balance is what payments and refunds make it.

use resource_emulator::{Context, Emulate, Emulator, Object, Rejection, Routes};
use serde_json::Value;

use crate::{Transfer, TransferReversal};

use super::fields::{integer, text};

pub(super) fn register(emulator: &Emulator) {
    emulator
        .register::<Transfer>()
        .register::<TransferReversal>();
}

const ACCOUNTS: &str = "/v1/accounts";
const TRANSFERS: &str = "/v1/transfers";
const REVERSALS: &str = "/v1/transfers/{transfer}/reversals";

impl Emulate for Transfer {
    fn routes(routes: &mut Routes<Self>) {
        routes.create().retrieve().update().list();
    }

    fn on_create(
        transfer: &mut Object,
        _: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        if integer(transfer, "amount") < 1 {
            return Err(Rejection::invalid_request("Invalid positive integer").param("amount"));
        }
        let destination = text(transfer, "destination");
        if context.find(ACCOUNTS, destination).is_none() {
            return Err(Rejection::no_such("destination", destination, "destination").status(400));
        }
        Ok(())
    }

    fn on_show(transfer: &Object, context: &Context<'_>) -> Object {
        let reversed = reversed(text(transfer, "id"), context);
        let whole = reversed >= integer(transfer, "amount");
        Object::from_iter([
            ("amount_reversed".to_owned(), reversed.into()),
            ("reversed".to_owned(), whole.into()),
        ])
    }
}

/// How much of the transfer `id` its reversals took back.
fn reversed(id: &str, context: &Context<'_>) -> i64 {
    context
        .children(REVERSALS, &[id])
        .into_iter()
        .map(|reversal| integer(reversal, "amount"))
        .sum()
}

impl Emulate for TransferReversal {
    fn routes(routes: &mut Routes<Self>) {
        routes.create().retrieve().update().list();
    }

    fn on_create(
        reversal: &mut Object,
        params: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        let id = text(reversal, "transfer");
        let Some(transfer) = context.find(TRANSFERS, id) else {
            return Err(Rejection::no_such("transfer", id, "transfer"));
        };
        let remaining = integer(transfer, "amount") - reversed(id, context);
        if remaining == 0 {
            return Err(Rejection::invalid_request(format!(
                "Transfer {id} has already been fully reversed."
            )));
        }
        let amount = params
            .get("amount")
            .and_then(Value::as_i64)
            .unwrap_or(remaining);
        if amount < 1 {
            return Err(Rejection::invalid_request("Invalid positive integer").param("amount"));
        }
        if amount > remaining {
            return Err(Rejection::invalid_request(format!(
                "The reversal amount ({amount}) is greater than what remains of transfer {id} \
                 ({remaining})."
            ))
            .param("amount"));
        }
        reversal.insert("amount".into(), amount.into());
        let currency = transfer.get("currency").cloned().unwrap_or(Value::Null);
        reversal.insert("currency".into(), currency);
        // `transfer.reversed`, about the transfer as the reversal leaves it.
        let mut reversed = transfer.clone();
        let taken = integer(transfer, "amount") - remaining + amount;
        reversed.insert("amount_reversed".into(), taken.into());
        reversed.insert("reversed".into(), (amount == remaining).into());
        context.emit_about("transfer.reversed", reversed)
    }
}
