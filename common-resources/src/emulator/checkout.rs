//! Checkout Sessions and their line items:
//!
//! - a session needs a `mode`: `payment` and `subscription` need `line_items`, each an existing
//!   active `price` or an inline `price_data` (a price made for the session, `active: false`,
//!   for an existing `product` or a new one from `product_data[name]`), `quantity` 1 unless
//!   given; `subscription` needs a recurring price among them, `payment` takes none; `setup`
//!   takes no line items (and has no amounts nor currency, and no payment to make);
//! - the prices must share one currency, the session's; `amount_subtotal` and `amount_total` are
//!   the sum of the line items (no discounts, no taxes);
//! - a new session is `open` and `unpaid`, at `url` (`{base_url}/c/pay/{id}`), and expires 24
//!   hours after its creation: then, as after `expire`, it shows `expired`, with no `url`;
//! - only an `open` session can be expired, as on Stripe: `checkout.session.expired` is emitted
//!   (not yet for a session that expires on the clock, which no request causes);
//! - each line item is listed through its session, in the order given, with its price whole and
//!   its product's name as `description`.

use resource_emulator::{Context, Emulate, Emulator, Object, Rejection, Routes};
use serde_json::{Value, json};

use crate::{CheckoutSession, CheckoutSessionLineItem, ExpireCheckoutSession};

use super::fields::{integer, no_such, object, text};

use super::catalog::product_for;

pub(super) fn register(emulator: &Emulator) {
    emulator
        .register::<CheckoutSession>()
        .register::<CheckoutSessionLineItem>();
}

/// How long a session stays open, by default on Stripe: 24 hours.
const LIFETIME: i64 = 24 * 60 * 60;

impl Emulate for CheckoutSession {
    fn routes(routes: &mut Routes<Self>) {
        routes
            .create()
            .retrieve()
            .update()
            .list()
            .action::<ExpireCheckoutSession>("expire", expire);
    }

    fn on_create(
        session: &mut Object,
        params: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        let mode = match params.get("mode").and_then(Value::as_str) {
            None => return Err(Rejection::parameter_missing("mode")),
            Some(mode @ ("payment" | "subscription" | "setup")) => mode,
            Some(_) => {
                return Err(Rejection::invalid_request(
                    "Invalid mode: must be one of payment, setup, or subscription",
                )
                .param("mode"));
            }
        };
        if let Some(customer) = params.get("customer").and_then(Value::as_str) {
            if context.find("/v1/customers", customer).is_none() {
                return Err(no_such("customer", customer, "customer"));
            }
        }
        let items = params
            .get("line_items")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let items = items
            .iter()
            .enumerate()
            .map(|(i, item)| line_item(item, &format!("line_items[{i}]"), context))
            .collect::<Result<Vec<_>, _>>()?;
        fits(mode, &items)?;

        // Test-mode sessions are `cs_test_...`, as on Stripe.
        let id = text(session, "id").replacen("cs_", "cs_test_", 1);
        session.insert("id".into(), id.clone().into());
        if mode != "setup" {
            let total: i64 = items.iter().map(|item| integer(item, "amount_total")).sum();
            let currency = items.first().map(|item| text(item, "currency"));
            session.insert("currency".into(), currency.into());
            session.insert("amount_subtotal".into(), total.into());
            session.insert("amount_total".into(), total.into());
        }
        let payment_status = match mode {
            "setup" => "no_payment_required",
            _ => "unpaid",
        };
        session.insert("payment_status".into(), payment_status.into());
        session.insert("status".into(), "open".into());
        session.insert("expires_at".into(), (context.now() + LIFETIME).into());
        let url = format!("{}/c/pay/{id}", context.base_url());
        session.insert("url".into(), url.into());
        for item in items {
            context.insert_later(&format!("/v1/checkout/sessions/{id}/line_items"), item);
        }
        Ok(())
    }

    /// Expired by the clock: Stripe's `checkout.session.expired`.
    fn on_clock(before: &Object, session: &mut Object, context: &Context<'_>) {
        if text(before, "status") == "open" && text(session, "status") == "expired" {
            // Only types Stripe has are refused, and this is one.
            let _ = context.emit("checkout.session.expired");
        }
    }

    fn on_show(session: &Object, context: &Context<'_>) -> Object {
        let mut computed = Object::new();
        if text(session, "status") == "open" && integer(session, "expires_at") <= context.now() {
            expired(&mut computed);
        }
        computed
    }
}

impl Emulate for CheckoutSessionLineItem {
    fn routes(routes: &mut Routes<Self>) {
        routes.list();
    }

    /// In the order given, as Stripe lists them.
    fn listed_oldest_first() -> bool {
        true
    }
}

/// One of the `line_items` given (the one at `at`, as in `line_items[0]`), as listed.
fn line_item(item: &Value, at: &str, context: &Context<'_>) -> Result<Object, Rejection> {
    let id = item.get("price").and_then(Value::as_str);
    let data = item.get("price_data").and_then(Value::as_object);
    let (price, description) = match (id, data) {
        (Some(_), Some(_)) => {
            return Err(Rejection::invalid_request(format!(
                "You may only specify one of these parameters: {at}[price], {at}[price_data]."
            )));
        }
        (Some(id), None) => {
            let param = format!("{at}[price]");
            let price = context
                .find("/v1/prices", id)
                .ok_or_else(|| no_such("price", id, &param))?;
            if price.get("active") != Some(&Value::Bool(true)) {
                return Err(Rejection::invalid_request(
                    "The price specified is inactive. This field only accepts active prices.",
                )
                .param(param));
            }
            let product = context.find("/v1/products", text(price, "product"));
            let name = product
                .map(|product| text(product, "name"))
                .unwrap_or_default();
            (price.clone(), name.to_owned())
        }
        (None, Some(data)) => inline_price(data, &format!("{at}[price_data]"), context)?,
        (None, None) => return Err(Rejection::parameter_missing(&format!("{at}[price]"))),
    };
    let quantity = item.get("quantity").and_then(Value::as_i64).unwrap_or(1);
    let amount = integer(&price, "unit_amount").saturating_mul(quantity);
    Ok(object(json!({
        "amount_discount": 0, "amount_subtotal": amount, "amount_tax": 0, "amount_total": amount,
        "currency": text(&price, "currency"), "description": description, "price": price,
        "quantity": quantity,
    })))
}

/// The price a `price_data` (at `at`) makes for one session, and its product's name.
fn inline_price(
    data: &Object,
    at: &str,
    context: &Context<'_>,
) -> Result<(Object, String), Rejection> {
    if data.get("unit_amount").is_none_or(Value::is_null) {
        return Err(Rejection::parameter_missing(&format!("{at}[unit_amount]")));
    }
    let product = product_for(data, at, context)?;
    let price = object(json!({
        "id": format!("price_{}", context.token(24)), "object": "price", "active": false,
        "created": context.now(), "currency": data.get("currency"), "livemode": false,
        "metadata": {}, "nickname": null, "product": product.get("id"), "recurring": null,
        "type": "one_time", "unit_amount": data.get("unit_amount"),
    }));
    Ok((price, text(&product, "name").to_owned()))
}

/// Whether the line items suit the mode, in one currency.
fn fits(mode: &str, items: &[Object]) -> Result<(), Rejection> {
    let recurring = items
        .iter()
        .any(|item| item.get("price").and_then(|p| p.get("type")) == Some(&json!("recurring")));
    match mode {
        "setup" if !items.is_empty() => {
            return Err(Rejection::invalid_request(
                "You can not pass `line_items` in `setup` mode.",
            )
            .param("line_items"));
        }
        "setup" => return Ok(()),
        _ if items.is_empty() => return Err(Rejection::parameter_missing("line_items")),
        "payment" if recurring => {
            return Err(Rejection::invalid_request(
                "You specified `payment` mode but passed a recurring price. Either switch to \
                 `subscription` mode or use only one-time prices.",
            ));
        }
        "subscription" if !recurring => {
            return Err(Rejection::invalid_request(
                "You must provide at least one recurring price in `subscription` mode when \
                 using prices.",
            ));
        }
        _ => {}
    }
    let currency = items.first().map(|item| text(item, "currency"));
    for (i, item) in items.iter().enumerate() {
        if Some(text(item, "currency")) != currency {
            return Err(Rejection::invalid_request(format!(
                "All the prices of a Checkout Session must be in the same currency: \
                 line_items[{i}] is in {}, not {}.",
                text(item, "currency"),
                currency.unwrap_or_default()
            ))
            .param(format!("line_items[{i}]")));
        }
    }
    Ok(())
}

fn expire(session: &mut Object, _: &Object, context: &Context<'_>) -> Result<(), Rejection> {
    let status = text(session, "status");
    if status != "open" {
        return Err(Rejection::invalid_request(format!(
            "Only Checkout Sessions with a status in [\"open\"] can be expired. This Checkout \
             Session has a status of `{status}`."
        )));
    }
    expired(session);
    context.emit("checkout.session.expired")
}

/// The session closes: no more payment page.
fn expired(session: &mut Object) {
    session.insert("status".into(), "expired".into());
    session.insert("url".into(), Value::Null);
}
