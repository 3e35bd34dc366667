//! The balance: the sum of the balance transactions, which payments and refunds record.
//!
//! Every transaction is `available` at once and has no fee (Stripe keeps charges `pending` for
//! days and takes its fee): the balance moves by exactly what was paid or refunded.

use resource_emulator::{Context, Emulate, Emulator, Object, Routes};
use serde_json::{Value, json};

use crate::{Balance, BalanceTransaction, ListBalanceTransactions};

use super::fields::object;

pub(super) fn register(emulator: &Emulator) {
    emulator
        .register::<Balance>()
        .register::<BalanceTransaction>();
}

const TRANSACTIONS: &str = "/v1/balance_transactions";

/// Records `amount` (negative for money going out) moved by `source` (a charge, a refund): the
/// balance transaction's id.
pub(super) fn moved(
    context: &Context<'_>,
    type_: &str,
    amount: i64,
    currency: &str,
    source: &str,
) -> Option<String> {
    let transaction = json!({
        "amount": amount, "available_on": context.now(), "currency": currency, "fee": 0,
        "net": amount, "source": source, "status": "available", "type": type_,
    });
    context.insert_later(TRANSACTIONS, object(transaction))
}

impl Emulate for Balance {
    fn routes(routes: &mut Routes<Self>) {
        routes
            .retrieve()
            .list_of::<ListBalanceTransactions, BalanceTransaction>("history");
    }

    fn on_show(_: &Object, context: &Context<'_>) -> Object {
        let mut available: Vec<(String, i64)> = Vec::new();
        for transaction in context.objects(TRANSACTIONS) {
            let currency = transaction.get("currency").and_then(Value::as_str);
            let net = transaction.get("net").and_then(Value::as_i64);
            let (Some(currency), Some(net)) = (currency, net) else {
                continue;
            };
            match available.iter_mut().find(|(c, _)| c == currency) {
                Some((_, sum)) => *sum += net,
                None => available.push((currency.to_owned(), net)),
            }
        }
        if available.is_empty() {
            available.push(("usd".to_owned(), 0));
        }
        let amounts = |sums: &[(String, i64)]| -> Value {
            sums.iter()
                .map(|(currency, amount)| json!({"amount": amount, "currency": currency}))
                .collect()
        };
        let pending: Vec<(String, i64)> = available.iter().map(|(c, _)| (c.clone(), 0)).collect();
        Object::from_iter([
            ("available".to_owned(), amounts(&available)),
            ("pending".to_owned(), amounts(&pending)),
        ])
    }
}

impl Emulate for BalanceTransaction {
    fn routes(routes: &mut Routes<Self>) {
        routes.retrieve().list();
    }
}
