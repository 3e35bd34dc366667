//! Products, prices, refunds and Checkout Sessions on the emulator (common-resources, feature
//! `emulator`): the catalog's defaults, a refund's amount and its move of the balance, a
//! session's totals, line items and expiry, and Stripe's errors for each, in process and over
//! HTTP.
#![allow(clippy::unwrap_used, reason = "test code")]

use common_resources::emulator::CARD_VISA;
use common_resources::{
    Balance, BalanceTransaction, CancelRefund, CheckoutLineItemParams, CheckoutSession,
    CheckoutSessionLineItem, CreateCheckoutSession, CreatePaymentIntent, CreatePrice,
    CreateProduct, CreateRefund, ExpireCheckoutSession, ListBalanceTransactions,
    ListCheckoutSessionLineItems, ListCheckoutSessions, ListPrices, ListProducts, ListRefunds,
    PaymentIntent, Price, PriceDataParams, PriceProductDataParams, PriceRecurring, Product,
    ProductDataParams, ProductId, RecurringParams, Refund, UpdateCheckoutSession, UpdatePrice,
    UpdateProduct, UpdateRefund,
};
use resource_core::{Client, Error, MetadataParam};
use resource_emulator::{Emulator, Object};
use serde_json::json;

/// An error's status, code, param and message.
fn answer(error: &Error) -> (Option<u16>, Option<&str>, Option<&str>, Option<&str>) {
    (error.status(), error.code(), error.param(), error.message())
}

fn fields(value: serde_json::Value) -> Object {
    value.as_object().cloned().unwrap()
}

fn catalog(client: &Client) {
    // A product is active unless said otherwise, `updated` at first when created.
    let shirt = Product::create(client, &CreateProduct::new("T-shirt")).unwrap();
    assert!(shirt.id.as_str().starts_with("prod_"));
    assert_eq!(
        (shirt.name.as_str(), shirt.active, shirt.updated),
        ("T-shirt", true, shirt.created)
    );
    let hidden = CreateProduct {
        active: Some(false),
        ..CreateProduct::new("Hidden")
    };
    let hidden = Product::create(client, &hidden).unwrap();
    assert!(!hidden.active);

    // A price of an existing product is one-time and active.
    let price = Price::create(
        client,
        &CreatePrice {
            product: Some(shirt.id.as_str().into()),
            unit_amount: Some(1500),
            ..CreatePrice::new("usd")
        },
    )
    .unwrap();
    assert!(price.id.as_str().starts_with("price_"));
    assert_eq!(
        (
            price.type_.as_str(),
            price.active,
            price.product.as_str(),
            price.unit_amount,
            price.currency.as_str(),
        ),
        ("one_time", true, shirt.id.as_str(), Some(1500), "usd")
    );
    assert_eq!(price.recurring, None);

    // With `recurring` it is recurring (every 1 interval by default); with `product_data` its
    // product is made with it.
    let monthly = Price::create(
        client,
        &CreatePrice {
            product_data: Some(PriceProductDataParams {
                name: "Club".into(),
            }),
            recurring: Some(RecurringParams::new("month")),
            unit_amount: Some(900),
            ..CreatePrice::new("usd")
        },
    )
    .unwrap();
    assert_eq!(monthly.type_, "recurring");
    let every_month = PriceRecurring {
        interval: "month".into(),
        interval_count: 1,
    };
    assert_eq!(monthly.recurring, Some(every_month));
    let club_id: ProductId = monthly.product.parse().unwrap();
    assert!(club_id.as_str().starts_with("prod_"));
    let club = Product::retrieve(client, &club_id).unwrap();
    assert_eq!(
        (club.name.as_str(), club.active, club.updated),
        ("Club", true, club.created)
    );

    // Stripe's errors: a product that does not exist, none, both; no amount.
    let for_product = |product: &str| CreatePrice {
        product: Some(product.into()),
        unit_amount: Some(100),
        ..CreatePrice::new("usd")
    };
    let error = Price::create(client, &for_product("prod_missing")).unwrap_err();
    assert_eq!(
        answer(&error),
        (
            Some(400),
            Some("resource_missing"),
            Some("product"),
            Some("No such product: 'prod_missing'")
        )
    );
    let neither = CreatePrice {
        product: None,
        ..for_product("")
    };
    let error = Price::create(client, &neither).unwrap_err();
    assert_eq!(
        answer(&error),
        (
            Some(400),
            None,
            None,
            Some("You must specify either `product` or `product_data` when creating a price.")
        )
    );
    let both = CreatePrice {
        product_data: Some(PriceProductDataParams { name: "x".into() }),
        ..for_product(shirt.id.as_str())
    };
    let error = Price::create(client, &both).unwrap_err();
    assert_eq!(
        error.message(),
        Some("You may only specify one of these parameters: product, product_data.")
    );
    let free = CreatePrice {
        unit_amount: None,
        ..for_product(shirt.id.as_str())
    };
    let error = Price::create(client, &free).unwrap_err();
    assert_eq!(
        (error.status(), error.code(), error.param()),
        (Some(400), Some("parameter_missing"), Some("unit_amount"))
    );
    let yearly = CreatePrice {
        recurring: Some(RecurringParams::new("decade")),
        ..for_product(shirt.id.as_str())
    };
    let error = Price::create(client, &yearly).unwrap_err();
    assert_eq!(
        (error.status(), error.param()),
        (Some(400), Some("recurring[interval]"))
    );

    // Archived prices drop out of `active=true`; lists filter by product and type.
    let archive = UpdatePrice {
        active: Some(false),
        ..Default::default()
    };
    assert!(!Price::update(client, &price.id, &archive).unwrap().active);
    let listed = |params: &ListPrices| -> Vec<_> {
        let list = Price::list(client, params).unwrap();
        list.data
            .into_iter()
            .map(|price| price.id.to_string())
            .collect()
    };
    let active = ListPrices {
        active: Some(true),
        ..Default::default()
    };
    assert_eq!(listed(&active), [monthly.id.as_str()]);
    let of_shirt = ListPrices {
        product: Some(shirt.id.as_str().into()),
        ..Default::default()
    };
    assert_eq!(listed(&of_shirt), [price.id.as_str()]);
    let recurring = ListPrices {
        type_: Some("recurring".into()),
        ..Default::default()
    };
    assert_eq!(listed(&recurring), [monthly.id.as_str()]);

    // An update moves `updated`; a `default_price` must exist; a name cannot be unset.
    let rename = UpdateProduct {
        name: Some("Tee".into()),
        default_price: Some(price.id.as_str().into()),
        ..Default::default()
    };
    let renamed = Product::update(client, &shirt.id, &rename).unwrap();
    assert_eq!(
        (renamed.name.as_str(), renamed.default_price.as_deref()),
        ("Tee", Some(price.id.as_str()))
    );
    assert!(renamed.updated >= shirt.updated);
    let unknown = UpdateProduct {
        default_price: Some("price_missing".into()),
        ..Default::default()
    };
    let error = Product::update(client, &shirt.id, &unknown).unwrap_err();
    assert_eq!(
        answer(&error),
        (
            Some(400),
            Some("resource_missing"),
            Some("default_price"),
            Some("No such price: 'price_missing'")
        )
    );
    let unnamed = UpdateProduct {
        name: Some(String::new()),
        ..Default::default()
    };
    let error = Product::update(client, &shirt.id, &unnamed).unwrap_err();
    assert_eq!(
        (error.status(), error.code(), error.param()),
        (Some(400), Some("parameter_invalid_empty"), Some("name"))
    );

    // Listed newest first, filtered by `active`; deleted, gone.
    let active = ListProducts {
        active: Some(true),
        ..Default::default()
    };
    let ids: Vec<_> = Product::list(client, &active)
        .unwrap()
        .data
        .into_iter()
        .map(|product| product.id)
        .collect();
    assert_eq!(ids, [club.id.clone(), shirt.id.clone()]);
    // A product with prices stays; one without is deleted.
    let error = Product::delete(client, &shirt.id).unwrap_err();
    assert_eq!((error.status(), error.param()), (Some(400), None));
    let deleted = Product::delete(client, &hidden.id).unwrap();
    assert!(deleted.deleted);
    let error = Product::retrieve(client, &hidden.id).unwrap_err();
    assert_eq!(
        (error.status(), error.code()),
        (Some(404), Some("resource_missing"))
    );
}

/// A payment of `amount` cents that succeeded.
fn paid(client: &Client, amount: i64) -> PaymentIntent {
    let params = CreatePaymentIntent {
        confirm: Some(true),
        payment_method: Some(CARD_VISA.into()),
        ..CreatePaymentIntent::new(amount, "usd")
    };
    let intent = PaymentIntent::create(client, &params).unwrap();
    assert_eq!(intent.status, "succeeded");
    intent
}

fn available(client: &Client) -> i64 {
    let balance = Balance::retrieve(client).unwrap();
    assert_eq!(balance.available[0].currency, "usd");
    balance.available[0].amount
}

fn of_intent(intent: &PaymentIntent) -> CreateRefund {
    CreateRefund {
        payment_intent: Some(intent.id.as_str().into()),
        ..Default::default()
    }
}

fn of_charge(intent: &PaymentIntent) -> CreateRefund {
    CreateRefund {
        charge: intent.latest_charge.clone(),
        ..Default::default()
    }
}

fn refunds(emulator: &Emulator, client: &Client) {
    let intent = paid(client, 2000);
    let charge = intent.latest_charge.clone().unwrap();
    assert_eq!(available(client), 2000);

    // Part of it, by the intent: succeeded at once, out of the balance.
    let part = CreateRefund {
        amount: Some(500),
        reason: Some("requested_by_customer".into()),
        ..of_intent(&intent)
    };
    let part = Refund::create(client, &part).unwrap();
    assert!(part.id.as_str().starts_with("re_"));
    assert_eq!(
        (
            part.amount,
            part.status.as_deref(),
            part.currency.as_str(),
            part.reason.as_deref()
        ),
        (500, Some("succeeded"), "usd", Some("requested_by_customer"))
    );
    assert_eq!(
        (part.charge.as_deref(), part.payment_intent.as_deref()),
        (Some(charge.as_str()), Some(intent.id.as_str()))
    );
    assert_eq!(available(client), 1500);
    let history = Balance::history(client, &ListBalanceTransactions::default()).unwrap();
    let moved = &history.data[0];
    assert_eq!(
        (moved.amount, moved.net, moved.type_.as_str()),
        (-500, -500, "refund")
    );
    assert_eq!(part.balance_transaction.as_deref(), Some(moved.id.as_str()));
    assert_eq!(Refund::retrieve(client, &part.id).unwrap(), part);

    // More than is left: Stripe's 400 about `amount`.
    let too_much = CreateRefund {
        amount: Some(1600),
        ..of_intent(&intent)
    };
    let error = Refund::create(client, &too_much).unwrap_err();
    assert_eq!(
        answer(&error),
        (
            Some(400),
            Some("amount_too_large"),
            Some("amount"),
            Some("Refund amount ($16.00) is greater than unrefunded amount on charge ($15.00)")
        )
    );

    // The rest by default, by the charge; then nothing is left.
    let rest = Refund::create(client, &of_charge(&intent)).unwrap();
    assert_eq!(
        (rest.amount, rest.payment_intent.as_deref()),
        (1500, Some(intent.id.as_str()))
    );
    assert_eq!(available(client), 0);
    let error = Refund::create(client, &of_intent(&intent)).unwrap_err();
    let message = format!("Charge {charge} has already been refunded.");
    assert_eq!(
        answer(&error),
        (
            Some(400),
            Some("charge_already_refunded"),
            None,
            Some(message.as_str())
        )
    );

    // A first refund of more than the charge.
    let other = paid(client, 1000);
    let error = Refund::create(
        client,
        &CreateRefund {
            amount: Some(1001),
            ..of_intent(&other)
        },
    )
    .unwrap_err();
    assert_eq!(
        error.message(),
        Some("Refund amount ($10.01) is greater than charge amount ($10.00)")
    );

    // What is refunded must be named, exist, agree, and have succeeded.
    let error = Refund::create(client, &CreateRefund::default()).unwrap_err();
    assert_eq!(
        answer(&error),
        (
            Some(400),
            Some("parameter_missing"),
            None,
            Some(
                "One of the following params should be provided for this request: \
                 payment_intent or charge."
            )
        )
    );
    let missing = CreateRefund {
        payment_intent: Some("pi_missing".into()),
        ..Default::default()
    };
    let error = Refund::create(client, &missing).unwrap_err();
    assert_eq!(
        answer(&error),
        (
            Some(400),
            Some("resource_missing"),
            Some("payment_intent"),
            Some("No such payment intent: 'pi_missing'")
        )
    );
    let missing = CreateRefund {
        charge: Some("ch_missing".into()),
        ..Default::default()
    };
    let error = Refund::create(client, &missing).unwrap_err();
    assert_eq!(
        answer(&error),
        (
            Some(400),
            Some("resource_missing"),
            Some("charge"),
            Some("No such charge: 'ch_missing'")
        )
    );
    let mismatched = CreateRefund {
        charge: Some(charge.clone()),
        ..of_intent(&other)
    };
    let error = Refund::create(client, &mismatched).unwrap_err();
    let message = format!(
        "Charge {charge} does not belong to PaymentIntent {}.",
        other.id
    );
    assert_eq!(
        answer(&error),
        (Some(400), None, Some("charge"), Some(message.as_str()))
    );
    let both = CreateRefund {
        amount: Some(100),
        ..of_charge(&other)
    };
    let both = CreateRefund {
        payment_intent: Some(other.id.as_str().into()),
        ..both
    };
    assert_eq!(Refund::create(client, &both).unwrap().amount, 100);
    let unpaid = PaymentIntent::create(client, &CreatePaymentIntent::new(700, "usd")).unwrap();
    let error = Refund::create(client, &of_intent(&unpaid)).unwrap_err();
    let message = format!(
        "This PaymentIntent ({}) does not have a successful charge to refund.",
        unpaid.id
    );
    assert_eq!(
        answer(&error),
        (
            Some(400),
            Some("charge_not_refundable"),
            None,
            Some(message.as_str())
        )
    );

    // Listed newest first, by intent or charge; metadata updated.
    let by_intent = ListRefunds {
        payment_intent: Some(intent.id.as_str().into()),
        ..Default::default()
    };
    let ids: Vec<_> = Refund::list(client, &by_intent)
        .unwrap()
        .data
        .into_iter()
        .map(|refund| refund.id)
        .collect();
    assert_eq!(ids, [rest.id.clone(), part.id.clone()]);
    let by_charge = ListRefunds {
        charge: Some(charge.clone()),
        limit: Some(1),
        ..Default::default()
    };
    let page = Refund::list(client, &by_charge).unwrap();
    assert_eq!(
        (page.data[0].id.as_str(), page.has_more),
        (rest.id.as_str(), true)
    );
    let mut metadata = MetadataParam::new();
    metadata.set("ticket", "T-1");
    let tagged = UpdateRefund {
        metadata,
        ..Default::default()
    };
    let tagged = Refund::update(client, &part.id, &tagged).unwrap();
    assert_eq!(
        (tagged.metadata.get("ticket"), tagged.amount),
        (Some("T-1"), 500)
    );

    // A succeeded refund cannot be canceled.
    let error = Refund::cancel(client, &part.id, &CancelRefund::default()).unwrap_err();
    assert_eq!(
        answer(&error),
        (
            Some(400),
            None,
            None,
            Some("You can't cancel this refund because it has a status of succeeded.")
        )
    );

    // One waiting for the customer (none is made so through the API: stored as Stripe would
    // have it, with its balance transaction) can: the money comes back, and can be refunded
    // again.
    let third = paid(client, 1000);
    let before = available(client);
    // A refund waiting for action, and the money it already took, seeded as a test would.
    let taken = fields(json!({
        "amount": -300, "available_on": emulator.now(), "currency": "usd", "fee": 0,
        "net": -300, "status": "available", "type": "refund", "source": "re_waiting",
    }));
    let taken = emulator.insert::<BalanceTransaction>(taken).unwrap();
    let waiting = fields(json!({
        "id": "re_waiting", "amount": 300, "currency": "usd", "status": "requires_action",
        "payment_intent": third.id.as_str(), "charge": third.latest_charge.as_deref(),
        "balance_transaction": taken.id.as_str(),
    }));
    let waiting = emulator.insert::<Refund>(waiting).unwrap();
    assert_eq!(available(client), before - 300);
    let canceled = Refund::cancel(client, &waiting.id, &CancelRefund::default()).unwrap();
    assert_eq!(
        (
            canceled.status.as_deref(),
            canceled.failure_reason.as_deref()
        ),
        (Some("canceled"), Some("merchant_request"))
    );
    assert_eq!(available(client), before);
    let history = Balance::history(client, &ListBalanceTransactions::default()).unwrap();
    assert_eq!(
        (history.data[0].amount, history.data[0].type_.as_str()),
        (300, "refund_failure")
    );
    let error = Refund::cancel(client, &waiting.id, &CancelRefund::default()).unwrap_err();
    assert_eq!(
        error.message(),
        Some("You can't cancel this refund because it has a status of canceled.")
    );
    let whole = Refund::create(client, &of_intent(&third)).unwrap();
    assert_eq!(whole.amount, 1000);
    assert_eq!(available(client), before - 1000);
}

fn sells(price: &str, quantity: u64) -> CheckoutLineItemParams {
    CheckoutLineItemParams {
        price: Some(price.into()),
        quantity: Some(quantity),
        ..Default::default()
    }
}

fn inline(currency: &str, unit_amount: i64, name: &str) -> CheckoutLineItemParams {
    CheckoutLineItemParams {
        price_data: Some(PriceDataParams {
            unit_amount: Some(unit_amount),
            product_data: Some(ProductDataParams { name: name.into() }),
            ..PriceDataParams::new(currency)
        }),
        ..Default::default()
    }
}

fn session(mode: &str, line_items: Vec<CheckoutLineItemParams>) -> CreateCheckoutSession {
    CreateCheckoutSession {
        mode: Some(mode.into()),
        line_items,
        success_url: Some("https://example.com/thanks".into()),
        ..Default::default()
    }
}

fn checkout(emulator: &Emulator, client: &Client) {
    let mug = Product::create(client, &CreateProduct::new("Mug")).unwrap();
    let price = |amount: i64, recurring: Option<RecurringParams>| {
        let params = CreatePrice {
            product: Some(mug.id.as_str().into()),
            unit_amount: Some(amount),
            recurring,
            ..CreatePrice::new("usd")
        };
        Price::create(client, &params).unwrap()
    };
    let one_time = price(1200, None);
    let monthly = price(900, Some(RecurringParams::new("month")));

    // A payment of an existing price twice and an inline one once.
    let lines = vec![
        sells(one_time.id.as_str(), 2),
        inline("usd", 350, "Sticker"),
    ];
    let paying = CheckoutSession::create(client, &session("payment", lines)).unwrap();
    assert!(paying.id.as_str().starts_with("cs_test_"));
    assert_eq!(
        (
            paying.amount_subtotal,
            paying.amount_total,
            paying.currency.as_deref()
        ),
        (Some(2750), Some(2750), Some("usd"))
    );
    assert_eq!(
        (
            paying.mode.as_str(),
            paying.status.as_deref(),
            paying.payment_status.as_str()
        ),
        ("payment", Some("open"), "unpaid")
    );
    assert_eq!(paying.expires_at, paying.created + 24 * 60 * 60);
    let url = format!("{}/c/pay/{}", emulator.base_url(), paying.id);
    assert_eq!(paying.url.as_deref(), Some(url.as_str()));
    assert_eq!(
        (
            paying.payment_intent.as_deref(),
            paying.success_url.as_deref()
        ),
        (None, Some("https://example.com/thanks"))
    );

    // Its line items, in the order given: the existing price whole, and the inline one made
    // for the session (inactive) with its new product.
    let all = ListCheckoutSessionLineItems::default();
    let items = CheckoutSessionLineItem::list(client, &paying.id, &all).unwrap();
    assert_eq!(
        items.url,
        format!("/v1/checkout/sessions/{}/line_items", paying.id)
    );
    let lines: Vec<_> = items
        .data
        .iter()
        .map(|item| {
            (
                item.description.as_deref(),
                item.quantity,
                item.amount_subtotal,
                item.amount_total,
                item.amount_discount,
                item.amount_tax,
                item.currency.as_str(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (Some("Mug"), Some(2), 2400, 2400, 0, 0, "usd"),
            (Some("Sticker"), Some(1), 350, 350, 0, 0, "usd"),
        ]
    );
    assert!(
        items
            .data
            .iter()
            .all(|item| item.id.as_str().starts_with("li_"))
    );
    // Paged in that order too: after the first, the second; before the second, the first.
    let first = items.data[0].id.as_str();
    let after_first = ListCheckoutSessionLineItems {
        starting_after: Some(first.into()),
        ..Default::default()
    };
    let next = CheckoutSessionLineItem::list(client, &paying.id, &after_first).unwrap();
    assert_eq!(
        (
            next.data.len(),
            next.data[0].description.as_deref(),
            next.has_more
        ),
        (1, Some("Sticker"), false)
    );
    let before_second = ListCheckoutSessionLineItems {
        ending_before: Some(next.data[0].id.as_str().into()),
        ..Default::default()
    };
    let back = CheckoutSessionLineItem::list(client, &paying.id, &before_second).unwrap();
    assert_eq!(back.data[0].id.as_str(), first);
    assert_eq!(items.data[0].price.as_ref(), Some(&one_time));
    let made = items.data[1].price.clone().unwrap();
    assert!(made.id.as_str().starts_with("price_") && made.id != one_time.id);
    assert_eq!(
        (
            made.active,
            made.type_.as_str(),
            made.unit_amount,
            made.currency.as_str()
        ),
        (false, "one_time", Some(350), "usd")
    );
    let sticker = Product::retrieve(client, &made.product.parse().unwrap()).unwrap();
    assert_eq!(sticker.name, "Sticker");
    // Only its own session's.
    let setup = CheckoutSession::create(client, &session("setup", Vec::new())).unwrap();
    let none = CheckoutSessionLineItem::list(client, &setup.id, &all).unwrap();
    assert!(none.data.is_empty());
    assert_eq!(
        (
            setup.payment_status.as_str(),
            setup.amount_total,
            setup.currency
        ),
        ("no_payment_required", None, None)
    );

    // A subscription needs a recurring price; a payment takes none.
    let subscribing = vec![
        sells(monthly.id.as_str(), 1),
        sells(one_time.id.as_str(), 1),
    ];
    let subscribing = CheckoutSession::create(client, &session("subscription", subscribing));
    assert_eq!(subscribing.unwrap().amount_total, Some(2100));
    let error = CheckoutSession::create(
        client,
        &session("subscription", vec![sells(one_time.id.as_str(), 1)]),
    )
    .unwrap_err();
    assert_eq!(
        answer(&error),
        (
            Some(400),
            None,
            None,
            Some(
                "You must provide at least one recurring price in `subscription` mode when \
                 using prices."
            )
        )
    );
    let error = CheckoutSession::create(
        client,
        &session("payment", vec![sells(monthly.id.as_str(), 1)]),
    )
    .unwrap_err();
    assert_eq!(
        error.message(),
        Some(
            "You specified `payment` mode but passed a recurring price. Either switch to \
             `subscription` mode or use only one-time prices."
        )
    );

    // Stripe's other refusals.
    let no_mode = CreateCheckoutSession {
        mode: None,
        ..session("payment", vec![sells(one_time.id.as_str(), 1)])
    };
    let error = CheckoutSession::create(client, &no_mode).unwrap_err();
    assert_eq!(
        answer(&error),
        (
            Some(400),
            Some("parameter_missing"),
            Some("mode"),
            Some("Missing required param: mode.")
        )
    );
    let error = CheckoutSession::create(client, &session("payment", Vec::new())).unwrap_err();
    assert_eq!(
        (error.status(), error.code(), error.param()),
        (Some(400), Some("parameter_missing"), Some("line_items"))
    );
    let unknown = vec![sells(one_time.id.as_str(), 1), sells("price_missing", 1)];
    let error = CheckoutSession::create(client, &session("payment", unknown)).unwrap_err();
    assert_eq!(
        answer(&error),
        (
            Some(400),
            Some("resource_missing"),
            Some("line_items[1][price]"),
            Some("No such price: 'price_missing'")
        )
    );
    let mixed = vec![sells(one_time.id.as_str(), 1), inline("eur", 100, "Pin")];
    let error = CheckoutSession::create(client, &session("payment", mixed)).unwrap_err();
    assert_eq!(
        (error.status(), error.param()),
        (Some(400), Some("line_items[1]"))
    );
    let error = CheckoutSession::create(
        client,
        &session("setup", vec![sells(one_time.id.as_str(), 1)]),
    )
    .unwrap_err();
    assert_eq!(
        (error.status(), error.param()),
        (Some(400), Some("line_items"))
    );
    let stranger = CreateCheckoutSession {
        customer: Some("cus_missing".into()),
        ..session("payment", vec![sells(one_time.id.as_str(), 1)])
    };
    let error = CheckoutSession::create(client, &stranger).unwrap_err();
    assert_eq!(
        answer(&error),
        (
            Some(400),
            Some("resource_missing"),
            Some("customer"),
            Some("No such customer: 'cus_missing'")
        )
    );
    // None of them made a session.
    let sessions = CheckoutSession::list(client, &ListCheckoutSessions::default()).unwrap();
    assert_eq!(sessions.data.len(), 3);

    // Metadata; expire; only an open session can be expired.
    let mut metadata = MetadataParam::new();
    metadata.set("order", "6735");
    let tagged = UpdateCheckoutSession {
        metadata,
        ..Default::default()
    };
    let tagged = CheckoutSession::update(client, &paying.id, &tagged).unwrap();
    assert_eq!(tagged.metadata.get("order"), Some("6735"));
    let expire = ExpireCheckoutSession::default();
    let expired = CheckoutSession::expire(client, &paying.id, &expire).unwrap();
    assert_eq!(
        (expired.status.as_deref(), expired.url.as_deref()),
        (Some("expired"), None)
    );
    let error = CheckoutSession::expire(client, &paying.id, &expire).unwrap_err();
    assert_eq!(
        answer(&error),
        (
            Some(400),
            None,
            None,
            Some(
                "Only Checkout Sessions with a status in [\"open\"] can be expired. This \
                 Checkout Session has a status of `expired`."
            )
        )
    );

    // 24 hours later, every open session has expired.
    let open = |client: &Client| {
        let params = ListCheckoutSessions {
            status: Some("open".into()),
            ..Default::default()
        };
        CheckoutSession::list(client, &params).unwrap().data.len()
    };
    assert_eq!(open(client), 2);
    emulator.advance(24 * 60 * 60);
    assert_eq!(open(client), 0);
    let shown = CheckoutSession::retrieve(client, &setup.id).unwrap();
    assert_eq!(
        (shown.status.as_deref(), shown.url.as_deref()),
        (Some("expired"), None)
    );
    let error = CheckoutSession::expire(client, &setup.id, &expire).unwrap_err();
    assert_eq!(error.status(), Some(400));
}

fn emulator() -> Emulator {
    let emulator = Emulator::new();
    common_resources::emulator::register(&emulator);
    emulator
}

#[test]
fn the_catalog_in_process() {
    catalog(&emulator().client("sk_test_123").unwrap());
}

#[test]
fn the_catalog_over_http() {
    let emulator = emulator();
    let (_server, client) = tests::served(&emulator);
    catalog(&client);
}

#[test]
fn refunds_in_process() {
    let emulator = emulator();
    refunds(&emulator, &emulator.client("sk_test_123").unwrap());
}

#[test]
fn refunds_over_http() {
    let emulator = emulator();
    let (_server, client) = tests::served(&emulator);
    refunds(&emulator, &client);
}

#[test]
fn checkout_sessions_in_process() {
    let emulator = emulator();
    checkout(&emulator, &emulator.client("sk_test_123").unwrap());
}

#[test]
fn checkout_sessions_over_http() {
    let emulator = emulator();
    let (_server, client) = tests::served(&emulator);
    checkout(&emulator, &client);
}
