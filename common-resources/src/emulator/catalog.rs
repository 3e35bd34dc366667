//! The catalog: products and their prices.
//!
//! - a product is `active` unless created with `active=false`; `updated` is when it last
//!   changed (its creation, then each update); a `default_price` must be an existing price
//!   (`""` unsets it); a product with prices cannot be deleted (archive it with
//!   `active=false`), as on Stripe;
//! - a price is for `product` (an existing one: otherwise Stripe's 400 `resource_missing`) or
//!   for a new product made from `product_data[name]`, never both; it needs a `unit_amount`;
//! - a price is `recurring` when given `recurring` (every `interval_count`, default 1,
//!   `interval`s), `one_time` otherwise, and `active` until archived with `active=false`.
//!
//! Checkout Sessions make their inline prices (`price_data`) the same way: see [`product_for`].

use resource_emulator::{Context, Emulate, Emulator, Object, Rejection, Routes};
use serde_json::{Value, json};

use crate::{Price, Product};

use super::fields::{no_such, object};

pub(super) fn register(emulator: &Emulator) {
    emulator.register::<Product>().register::<Price>();
}

const PRODUCTS: &str = "/v1/products";

impl Emulate for Product {
    fn routes(routes: &mut Routes<Self>) {
        routes.create().retrieve().update().delete().list();
    }

    fn on_create(product: &mut Object, _: &Object, context: &Context<'_>) -> Result<(), Rejection> {
        if product.get("active").is_none_or(Value::is_null) {
            product.insert("active".into(), true.into());
        }
        product.insert("updated".into(), context.now().into());
        Ok(())
    }

    fn on_delete(product: &Object, context: &Context<'_>) -> Result<(), Rejection> {
        let id = product
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !context
            .objects_where("/v1/prices", "product", id)
            .is_empty()
        {
            return Err(Rejection::invalid_request(
                "This product cannot be deleted because it has one or more user-created prices.",
            ));
        }
        Ok(())
    }

    fn on_update(
        _before: &Object,
        product: &mut Object,
        params: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        if let Some(price) = params.get("default_price").and_then(Value::as_str) {
            if !price.is_empty() && context.find("/v1/prices", price).is_none() {
                return Err(no_such("price", price, "default_price"));
            }
        }
        product.insert("updated".into(), context.now().into());
        Ok(())
    }
}

impl Emulate for Price {
    fn routes(routes: &mut Routes<Self>) {
        routes.create().retrieve().update().list();
    }

    fn indexed_fields() -> &'static [&'static str] {
        &["product"]
    }

    fn on_create(
        price: &mut Object,
        params: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        if price.get("unit_amount").is_none_or(Value::is_null) {
            return Err(Rejection::parameter_missing("unit_amount"));
        }
        let product = product_for(params, "", context)?;
        price.insert(
            "product".into(),
            product.get("id").cloned().unwrap_or_default(),
        );
        let type_ = match price.get_mut("recurring").and_then(Value::as_object_mut) {
            Some(recurring) => {
                let interval = recurring.get("interval").and_then(Value::as_str);
                if !matches!(interval, Some("day" | "week" | "month" | "year")) {
                    return Err(Rejection::invalid_request(
                        "Invalid recurring[interval]: must be one of day, week, month, or year",
                    )
                    .param("recurring[interval]"));
                }
                if recurring.get("interval_count").is_none_or(Value::is_null) {
                    recurring.insert("interval_count".into(), 1.into());
                }
                "recurring"
            }
            None => "one_time",
        };
        price.insert("type".into(), type_.into());
        price.insert("active".into(), true.into());
        Ok(())
    }
}

/// The product of a new price, from the params that name it (a price's own, or a line item's
/// `price_data`, whose place `at` is, as in `line_items[0][price_data]`, for the errors):
/// the existing `product`, or a new one from `product_data[name]`, stored once the object
/// being created is.
pub(super) fn product_for(
    params: &Object,
    at: &str,
    context: &Context<'_>,
) -> Result<Object, Rejection> {
    let param = |name: &str| match at {
        "" => name.to_owned(),
        _ => format!("{at}[{name}]"),
    };
    let existing = params.get("product").and_then(Value::as_str);
    let data = params.get("product_data").filter(|data| !data.is_null());
    match (existing, data) {
        (Some(_), Some(_)) => Err(Rejection::invalid_request(format!(
            "You may only specify one of these parameters: {}, {}.",
            param("product"),
            param("product_data")
        ))),
        (Some(id), None) => context
            .find(PRODUCTS, id)
            .cloned()
            .ok_or_else(|| no_such("product", id, &param("product"))),
        (None, Some(data)) => {
            let name = data.get("name").cloned().unwrap_or_default();
            let product = object(json!({
                "id": format!("prod_{}", context.token(14)), "name": name,
                "active": true, "updated": context.now(),
            }));
            context.insert_later(PRODUCTS, product.clone());
            Ok(product)
        }
        (None, None) => Err(Rejection::invalid_request(
            "You must specify either `product` or `product_data` when creating a price.",
        )),
    }
}
