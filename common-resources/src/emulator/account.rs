//! Connected accounts and where their payouts go:
//!
//! - an account is `custom` unless its `type` says otherwise (`standard`, `express`), in the
//!   `US` unless its `country` says otherwise; its `default_currency` is its country's (`usd`
//!   for the US, `cad`, `gbp`, `aud`, `jpy`, `chf`, ... for a few others, `eur` for any other:
//!   right for the euro area, the emulator does not know every country's currency);
//! - it can take no charges and receive no payouts (`charges_enabled`, `payouts_enabled` and
//!   `details_submitted` stay `false`): nothing here onboards it;
//! - its external accounts are made from Stripe's test tokens: any `btok_...` (such as
//!   `btok_us_verified`) is a US bank account in usd, `tok_visa_debit` and
//!   `tok_mastercard_debit` debit cards (`card_...`); another token is Stripe's 400
//!   `No such token`;
//! - the first external account of a currency is its `default_for_currency`; one created or
//!   updated with `default_for_currency: true` becomes the default, and the one that was is no
//!   longer (`account.external_account.updated`). Unsetting the default is a 400, as on Stripe.
//!   Unlike Stripe, deleting the default leaves its currency without one (Stripe refuses that
//!   delete while others remain);
//! - list them with `object=bank_account` or `object=card` for one kind only; a deleted account
//!   takes its external accounts with it.

use resource_emulator::{Context, Emulate, Emulator, Object, Rejection, Routes};
use serde_json::{Value, json};

use crate::{Account, ExternalAccount};

use super::fields::no_such;

pub(super) fn register(emulator: &Emulator) {
    emulator.register::<Account>().register::<ExternalAccount>();
}

const EXTERNAL_ACCOUNTS: &str = "/v1/accounts/{account}/external_accounts";

impl Emulate for Account {
    fn routes(routes: &mut Routes<Self>) {
        routes.create().retrieve().update().delete().list();
    }

    fn on_create(account: &mut Object, _: &Object, _: &Context<'_>) -> Result<(), Rejection> {
        let type_ = text(account, "type").unwrap_or("custom").to_owned();
        if !matches!(type_.as_str(), "standard" | "express" | "custom") {
            return Err(Rejection::invalid_request(format!(
                "Invalid type: must be one of standard, express or custom (got {type_})."
            ))
            .param("type"));
        }
        let country = text(account, "country")
            .unwrap_or("US")
            .to_ascii_uppercase();
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(Rejection::invalid_request(format!(
                "Country '{country}' is unknown. Try using a 2-character alphanumeric country \
                 code instead, such as 'US', 'EG', or 'GB'."
            ))
            .param("country"));
        }
        let currency = match country.as_str() {
            "US" => "usd",
            "CA" => "cad",
            "GB" => "gbp",
            "AU" => "aud",
            "NZ" => "nzd",
            "JP" => "jpy",
            "CH" => "chf",
            "SG" => "sgd",
            "MX" => "mxn",
            _ => "eur",
        };
        account.insert("type".into(), type_.into());
        account.insert("country".into(), country.into());
        account.insert("default_currency".into(), currency.into());
        for field in ["charges_enabled", "payouts_enabled", "details_submitted"] {
            account.insert(field.into(), false.into());
        }
        Ok(())
    }
}

impl Emulate for ExternalAccount {
    fn routes(routes: &mut Routes<Self>) {
        routes.create().retrieve().update().delete().list();
    }

    fn on_create(
        external: &mut Object,
        params: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        let token = text(params, "external_account").unwrap_or_default();
        let card = |brand: &str, last4: &str| {
            json!({"id": format!("card_{}", context.token(24)), "object": "card",
                   "brand": brand, "last4": last4, "country": "US", "currency": "usd"})
        };
        let made = match token {
            _ if token.starts_with("btok_") => json!({
                "object": "bank_account", "bank_name": "STRIPE TEST BANK", "last4": "6789",
                "country": "US", "currency": "usd", "status": "new",
            }),
            "tok_visa_debit" => card("Visa", "5556"),
            "tok_mastercard_debit" => card("MasterCard", "8210"),
            _ => {
                return Err(no_such("token", token, "external_account"));
            }
        };
        if let Value::Object(fields) = made {
            external.extend(fields);
        }
        // The first of its currency is the default, as is one asked to be.
        let default = is_default(external) || siblings(external, context).next().is_none();
        external.insert("default_for_currency".into(), default.into());
        take_default(external, context);
        Ok(())
    }

    fn on_update(
        before: &Object,
        external: &mut Object,
        _: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        let was = is_default(before);
        if was && !is_default(external) {
            return Err(Rejection::invalid_request(
                "You cannot unset the default external account of a currency: make another \
                 external account the default instead.",
            )
            .param("default_for_currency"));
        }
        if !was {
            take_default(external, context);
        }
        Ok(())
    }
}

fn is_default(external: &Object) -> bool {
    external.get("default_for_currency") == Some(&Value::Bool(true))
}

/// When `external` is its currency's default, the one that was is no longer.
fn take_default(external: &Object, context: &Context<'_>) {
    if !is_default(external) {
        return;
    }
    let (account, id) = (
        text(external, "account").unwrap_or_default(),
        text(external, "id").unwrap_or_default(),
    );
    let path = EXTERNAL_ACCOUNTS.replace("{account}", account);
    let unset = Object::from_iter([("default_for_currency".to_owned(), false.into())]);
    for other in siblings(external, context).filter(|other| is_default(other)) {
        let other = text(other, "id").unwrap_or_default();
        if other != id {
            context.update_later(&path, other, unset.clone());
        }
    }
}

/// The stored external accounts of the same account and currency (the object itself included,
/// once stored), newest first.
fn siblings<'a>(
    external: &'a Object,
    context: &Context<'a>,
) -> impl Iterator<Item = &'a Object> + 'a {
    let (account, currency) = (text(external, "account"), text(external, "currency"));
    context
        .children(EXTERNAL_ACCOUNTS, &[account.unwrap_or_default()])
        .into_iter()
        .filter(move |other| text(other, "currency") == currency)
}

fn text<'a>(object: &'a Object, field: &str) -> Option<&'a str> {
    object.get(field).and_then(Value::as_str)
}
