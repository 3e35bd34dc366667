//! Customers and what hangs off them:
//!
//! - a customer's `balance` is the sum of its balance transactions: a `balance` given to create
//!   or update is recorded as one (`initial`, then `adjustment`), as Stripe records it, and a
//!   balance transaction made through the API moves it (`customer.updated`);
//! - a balance transaction's `ending_balance` is the balance it leaves;
//! - a `coupon` given to create or update becomes the customer's discount (a coupon that does
//!   not exist is Stripe's 400); the discount can be retrieved and deleted;
//! - tax ids are kept under their customer, their `country` read from their type or value;
//! - a deleted customer is retrieved in its deleted form, and what hangs off it goes with it;
//!   its subscriptions that have not ended are canceled, as on Stripe.

use resource_emulator::{Context, Emulate, Emulator, Object, Rejection, Routes};
use serde_json::{Value, json};

use crate::{Coupon, Customer, CustomerBalanceTransaction, Discount, TaxId};

use super::fields::{integer, no_such, object, text};
use super::subscription;

pub(super) fn register(emulator: &Emulator) {
    emulator
        .register::<Customer>()
        .register::<CustomerBalanceTransaction>()
        .register::<Coupon>()
        .register::<Discount>()
        .register::<TaxId>();
}

const CUSTOMERS: &str = "/v1/customers";
const SUBSCRIPTIONS: &str = "/v1/subscriptions";
const TRANSACTIONS: &str = "/v1/customers/{customer}/balance_transactions";

impl Emulate for Customer {
    fn routes(routes: &mut Routes<Self>) {
        routes.create().retrieve().update().delete().list().search();
    }

    fn on_create(
        customer: &mut Object,
        params: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        let balance = integer(params, "balance");
        customer.insert("balance".into(), balance.into());
        if balance != 0 {
            record_balance(customer, "initial", balance, balance, context);
        }
        discount_from(customer, params, context)
    }

    /// As on Stripe, deleting a customer cancels its subscriptions that have not ended
    /// (`customer.subscription.deleted` each, before `customer.deleted`).
    fn on_delete(customer: &Object, context: &Context<'_>) -> Result<(), Rejection> {
        let id = text(customer, "id");
        for subscription in context.objects_where(SUBSCRIPTIONS, "customer", id) {
            if subscription::is_live(subscription, context) {
                let path = format!("{SUBSCRIPTIONS}/{}", text(subscription, "id"));
                context.call_later("DELETE", &path, Vec::new());
            }
        }
        Ok(())
    }

    fn on_update(
        before: &Object,
        customer: &mut Object,
        params: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        if params.get("balance").is_some_and(|b| !b.is_null()) {
            let (old, new) = (integer(before, "balance"), integer(params, "balance"));
            if new != old {
                record_balance(customer, "adjustment", new - old, new, context);
            }
        }
        discount_from(customer, params, context)
    }
}

/// The balance of the customer `id`: the sum of its balance transactions.
fn balance_of(id: &str, context: &Context<'_>) -> i64 {
    context
        .children(TRANSACTIONS, &[id])
        .into_iter()
        .map(|transaction| integer(transaction, "amount"))
        .sum()
}

/// Records a change of the customer's balance as a balance transaction.
fn record_balance(
    customer: &Object,
    type_: &str,
    amount: i64,
    ending_balance: i64,
    context: &Context<'_>,
) {
    let currency = customer
        .get("currency")
        .and_then(Value::as_str)
        .unwrap_or("usd");
    let path = format!(
        "/v1/customers/{}/balance_transactions",
        text(customer, "id")
    );
    let fields = json!({"amount": amount, "currency": currency, "type": type_,
                        "ending_balance": ending_balance});
    context.insert_later(&path, object(fields));
}

/// A `coupon` parameter gives the customer a discount (replacing any it had).
fn discount_from(
    customer: &Object,
    params: &Object,
    context: &Context<'_>,
) -> Result<(), Rejection> {
    let Some(coupon) = params.get("coupon").and_then(Value::as_str) else {
        return Ok(());
    };
    if context.find("/v1/coupons", coupon).is_none() {
        return Err(no_such("coupon", coupon, "coupon"));
    }
    let id = text(customer, "id");
    let discount = json!({
        "id": format!("di_{}", context.token(24)),
        "customer": id,
        "source": {"coupon": coupon, "type": "coupon"},
        "start": context.now(),
        "end": null,
    });
    context.insert_later(&format!("/v1/customers/{id}/discount"), object(discount));
    Ok(())
}

impl Emulate for CustomerBalanceTransaction {
    fn routes(routes: &mut Routes<Self>) {
        routes.create().retrieve().update().list();
    }

    fn on_create(
        transaction: &mut Object,
        _params: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        let customer = text(transaction, "customer").to_owned();
        let ending = balance_of(&customer, context) + integer(transaction, "amount");
        transaction.insert("ending_balance".into(), ending.into());
        transaction.insert("type".into(), "adjustment".into());
        let balance = Object::from_iter([("balance".to_owned(), ending.into())]);
        context.update_later(CUSTOMERS, &customer, balance);
        Ok(())
    }
}

impl Emulate for Coupon {
    fn routes(routes: &mut Routes<Self>) {
        routes.create().retrieve().update().delete().list();
    }

    fn on_create(coupon: &mut Object, params: &Object, _: &Context<'_>) -> Result<(), Rejection> {
        if params.get("duration").and_then(Value::as_str) == Some("") {
            return Err(Rejection::parameter_invalid_empty("duration"));
        }
        let percent = coupon.get("percent_off").is_some_and(|p| !p.is_null());
        let amount = coupon.get("amount_off").is_some_and(|a| !a.is_null());
        if percent == amount {
            return Err(Rejection::invalid_request(
                "You must pass exactly one of amount_off or percent_off.",
            ));
        }
        if amount && coupon.get("currency").is_none_or(Value::is_null) {
            return Err(Rejection::parameter_missing("currency"));
        }
        if coupon.get("duration").is_none_or(Value::is_null) {
            coupon.insert("duration".into(), "once".into());
        }
        coupon.insert("times_redeemed".into(), 0.into());
        coupon.insert("valid".into(), true.into());
        Ok(())
    }
}

impl Emulate for Discount {
    fn routes(routes: &mut Routes<Self>) {
        routes.retrieve().delete();
    }
}

impl Emulate for TaxId {
    fn routes(routes: &mut Routes<Self>) {
        routes.create().retrieve().delete().list();
    }

    fn on_create(tax_id: &mut Object, _: &Object, _: &Context<'_>) -> Result<(), Rejection> {
        let (type_, value) = (text(tax_id, "type"), text(tax_id, "value"));
        if value.is_empty() {
            return Ok(()); // `value=""`: the engine's `parameter_invalid_empty` about `value`
        }
        // `us_ein` is the US's; an `eu_vat` number starts with its country.
        let country = match type_.split_once('_') {
            Some(("eu", _)) => value.get(..2).map(str::to_ascii_uppercase),
            Some((country, _)) if country.len() == 2 => Some(country.to_ascii_uppercase()),
            _ => None,
        };
        let Some(country) = country else {
            return Err(Rejection::invalid_request(format!(
                "Invalid value for type: {type_} is not a tax id type."
            ))
            .param("type"));
        };
        tax_id.insert("country".into(), country.into());
        Ok(())
    }
}
