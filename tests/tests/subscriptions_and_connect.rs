//! Subscriptions and Connect on the emulator (common-resources, feature `emulator`): a
//! subscription's statuses (paid, incomplete, trialing, and what the trial's end makes of it on
//! the emulator's clock), cancel and resume; connected accounts, their bank accounts and cards
//! made from Stripe's test tokens; transfers and their reversals. Each with Stripe's errors, in
//! process and over HTTP.
#![allow(clippy::unwrap_used, reason = "test code")]

use common_resources::emulator::{CARD_DECLINED, CARD_VISA};
use common_resources::{
    Account, AccountId, CancelSubscription, CreateAccount, CreateCustomer, CreateExternalAccount,
    CreatePrice, CreateSubscription, CreateTransfer, CreateTransferReversal, Customer,
    EndBehaviorParams, ExternalAccount, ListExternalAccounts, ListSubscriptions,
    ListTransferReversals, ListTransfers, Price, PriceProductDataParams, RecurringParams,
    ResumeSubscription, Subscription, SubscriptionItemParams, Transfer, TransferId,
    TransferReversal, TrialSettingsParams, UpdateExternalAccount, UpdateSubscription,
};
use resource_core::{Client, Error, SearchParams};
use resource_emulator::Emulator;

const DAY: i64 = 24 * 60 * 60;

fn emulator() -> Emulator {
    let emulator = Emulator::new();
    common_resources::emulator::register(&emulator);
    emulator
}

/// An error's status, code and param.
fn answer(error: &Error) -> (Option<u16>, Option<&str>, Option<&str>) {
    (error.status(), error.code(), error.param())
}

fn price(client: &Client, recurring: bool) -> Price {
    let params = CreatePrice {
        product_data: Some(PriceProductDataParams { name: "Pro".into() }),
        recurring: recurring.then(|| RecurringParams::new("month")),
        unit_amount: Some(1500),
        ..CreatePrice::new("usd")
    };
    Price::create(client, &params).unwrap()
}

/// A subscription of `customer` to `price`, paid with `payment_method`.
fn subscribe(
    customer: &Customer,
    price: &Price,
    payment_method: Option<&str>,
) -> CreateSubscription {
    CreateSubscription {
        items: vec![SubscriptionItemParams {
            price: Some(price.id.as_str().into()),
            quantity: Some(1),
        }],
        default_payment_method: payment_method.map(Into::into),
        ..CreateSubscription::new(customer.id.as_str())
    }
}

/// `subscribe`, with a trial of a week that does `missing_payment_method` when it ends.
fn with_trial(params: CreateSubscription, missing_payment_method: &str) -> CreateSubscription {
    CreateSubscription {
        trial_period_days: Some(7),
        trial_settings: Some(TrialSettingsParams {
            end_behavior: EndBehaviorParams {
                missing_payment_method: missing_payment_method.into(),
            },
        }),
        ..params
    }
}

fn subscriptions(emulator: &Emulator, client: &Client) {
    let customer = Customer::create(client, &CreateCustomer::default()).unwrap();
    let (monthly, once) = (price(client, true), price(client, false));

    // What a subscription must be made of, with Stripe's errors.
    let mut ghost = subscribe(&customer, &monthly, None);
    ghost.customer = "cus_ghost".into();
    let error = Subscription::create(client, &ghost).unwrap_err();
    assert_eq!(
        answer(&error),
        (Some(400), Some("resource_missing"), Some("customer"))
    );
    assert_eq!(error.message(), Some("No such customer: 'cus_ghost'"));
    let empty = CreateSubscription::new(customer.id.as_str());
    let error = Subscription::create(client, &empty).unwrap_err();
    assert_eq!(
        answer(&error),
        (Some(400), Some("parameter_missing"), Some("items"))
    );
    let mut unknown = subscribe(&customer, &monthly, None);
    unknown.items[0].price = Some("price_ghost".into());
    let error = Subscription::create(client, &unknown).unwrap_err();
    assert_eq!(
        answer(&error),
        (Some(400), Some("resource_missing"), Some("items[0][price]"))
    );
    let error = Subscription::create(client, &subscribe(&customer, &once, None)).unwrap_err();
    assert_eq!(answer(&error), (Some(400), None, Some("items[0][price]")));

    // The first payment: taken, declined, or no payment method to take it from.
    let paid = Subscription::create(client, &subscribe(&customer, &monthly, Some(CARD_VISA)));
    let paid = paid.unwrap();
    assert_eq!(
        (paid.status.as_str(), paid.customer.as_str()),
        ("active", customer.id.as_str())
    );
    assert_eq!((paid.trial_start, paid.trial_end), (None, None));
    assert!(!paid.cancel_at_period_end);
    // What it bills: the price, as stored, and its quantity.
    let item = &paid.items.data[0];
    assert_eq!(
        (
            paid.items.data.len(),
            item.object.as_str(),
            &item.price,
            item.quantity,
            item.subscription.as_str()
        ),
        (1, "subscription_item", &monthly, Some(1), paid.id.as_str())
    );
    assert!(item.id.starts_with("si_"));
    let declined = subscribe(&customer, &monthly, Some(CARD_DECLINED));
    let declined = Subscription::create(client, &declined).unwrap();
    assert_eq!(declined.status, "incomplete");
    let unpaid = Subscription::create(client, &subscribe(&customer, &monthly, None)).unwrap();
    assert_eq!(unpaid.status, "incomplete");

    // Trials, each ending as its settings and payment method say.
    let trial = |payment_method, missing_payment_method| {
        let params = with_trial(
            subscribe(&customer, &monthly, payment_method),
            missing_payment_method,
        );
        Subscription::create(client, &params).unwrap()
    };
    let to_pause = trial(None, "pause");
    assert_eq!(to_pause.status, "trialing");
    assert_eq!(to_pause.trial_start, Some(to_pause.created));
    assert_eq!(to_pause.trial_end, Some(to_pause.created + 7 * DAY));
    let to_pay = trial(Some(CARD_VISA), "pause");
    let to_invoice = trial(None, "create_invoice");
    let to_cancel = trial(None, "cancel");
    let bad = with_trial(subscribe(&customer, &monthly, None), "explode");
    let error = Subscription::create(client, &bad).unwrap_err();
    assert_eq!(
        answer(&error),
        (
            Some(400),
            None,
            Some("trial_settings[end_behavior][missing_payment_method]")
        )
    );
    // Nothing changes before the trial ends.
    emulator.advance(7 * DAY - 60);
    let shown = Subscription::retrieve(client, &to_pause.id).unwrap();
    assert_eq!(shown.status, "trialing");

    emulator.advance(60);
    let status = |id| Subscription::retrieve(client, id).unwrap().status;
    assert_eq!(status(&to_pause.id), "paused");
    assert_eq!(status(&to_pay.id), "active");
    assert_eq!(status(&to_invoice.id), "past_due");
    let canceled = Subscription::retrieve(client, &to_cancel.id).unwrap();
    assert_eq!(canceled.status, "canceled");
    assert_eq!(canceled.ended_at, to_cancel.trial_end);
    assert_eq!(canceled.canceled_at, to_cancel.trial_end);
    // An incomplete subscription expires after 23 hours.
    assert_eq!(status(&declined.id), "incomplete_expired");
    assert_eq!(status(&paid.id), "active");

    // Listed and searched by the status they have now.
    let by_status = |status: &str| ListSubscriptions {
        status: Some(status.into()),
        customer: Some(customer.id.as_str().into()),
        ..Default::default()
    };
    let listed = Subscription::list(client, &by_status("paused")).unwrap();
    let ids: Vec<_> = listed.data.iter().map(|s| &s.id).collect();
    assert_eq!(ids, [&to_pause.id]);
    let listed = Subscription::list(client, &by_status("active")).unwrap();
    let ids: Vec<_> = listed.data.iter().map(|s| &s.id).collect();
    assert_eq!(ids, [&to_pay.id, &paid.id]);
    // By price: those with an item of it.
    let by_price = |price: &Price| ListSubscriptions {
        price: Some(price.id.as_str().into()),
        status: Some("all".into()),
        ..Default::default()
    };
    let listed = Subscription::list(client, &by_price(&monthly)).unwrap();
    assert!(listed.data.iter().any(|s| s.id == paid.id));
    assert!(
        listed
            .data
            .iter()
            .all(|s| s.items.data[0].price.id == monthly.id)
    );
    let other = price(client, true);
    assert!(
        Subscription::list(client, &by_price(&other))
            .unwrap()
            .data
            .is_empty()
    );
    // Without `status`, canceled ones are left out, as on Stripe; `all` and `ended` ask for them.
    let listed = |status: Option<&str>| {
        let params = ListSubscriptions {
            status: status.map(Into::into),
            customer: Some(customer.id.as_str().into()),
            limit: Some(100),
            ..Default::default()
        };
        Subscription::list(client, &params)
            .unwrap()
            .data
            .into_iter()
            .map(|s| s.id)
            .collect::<Vec<_>>()
    };
    let (default, all, ended) = (listed(None), listed(Some("all")), listed(Some("ended")));
    assert!(!default.contains(&to_cancel.id) && all.contains(&to_cancel.id));
    assert!(ended.contains(&to_cancel.id) && ended.contains(&declined.id));
    assert!(!ended.contains(&paid.id));
    assert_eq!(all.len(), default.len() + 1);
    let found = Subscription::search(client, &SearchParams::new("status:'past_due'")).unwrap();
    let ids: Vec<_> = found.data.iter().map(|s| &s.id).collect();
    assert_eq!(ids, [&to_invoice.id]);

    // Only a paused subscription resumes.
    let resume = ResumeSubscription::default();
    let resumed = Subscription::resume(client, &to_pause.id, &resume).unwrap();
    assert_eq!(resumed.status, "active");
    assert_eq!(status(&to_pause.id), "active");
    let error = Subscription::resume(client, &to_pause.id, &resume).unwrap_err();
    assert_eq!(answer(&error), (Some(400), None, None));
    assert_eq!(
        error.message(),
        Some("Only a paused subscription can be resumed; this one has a status of active.")
    );

    // Canceled at the period's end, then at once.
    let at_period_end = UpdateSubscription {
        cancel_at_period_end: Some(true),
        ..Default::default()
    };
    let updated = Subscription::update(client, &paid.id, &at_period_end).unwrap();
    assert!(updated.cancel_at_period_end);
    assert_eq!(updated.status, "active");
    let now = emulator.now();
    let cancel = CancelSubscription {
        prorate: Some(true),
        ..Default::default()
    };
    let ended = Subscription::cancel(client, &paid.id, &cancel).unwrap();
    assert_eq!(ended.status, "canceled");
    assert!(ended.canceled_at.is_some_and(|at| at >= now));
    assert_eq!(ended.ended_at, ended.canceled_at);
    assert_eq!(Subscription::retrieve(client, &paid.id).unwrap(), ended);
    // Canceling it again is Stripe's 404, as if it were gone; it only takes metadata now.
    let error = Subscription::cancel(client, &paid.id, &cancel).unwrap_err();
    assert_eq!(
        answer(&error),
        (Some(404), Some("resource_missing"), Some("id"))
    );
    let error = Subscription::update(client, &paid.id, &at_period_end).unwrap_err();
    assert_eq!(answer(&error), (Some(400), None, None));
    let mut tagged = UpdateSubscription::default();
    tagged.metadata.set("reason", "moved");
    let tagged = Subscription::update(client, &paid.id, &tagged).unwrap();
    assert_eq!(tagged.metadata.get("reason"), Some("moved"));
    assert_eq!(tagged.status, "canceled");
}

fn connect(client: &Client) {
    // Accounts: custom in the US unless said otherwise, not able to take charges or pay out.
    let account = Account::create(client, &CreateAccount::default()).unwrap();
    assert_eq!(
        (
            account.type_.as_deref(),
            account.country.as_deref(),
            account.default_currency.as_deref()
        ),
        (Some("custom"), Some("US"), Some("usd"))
    );
    assert!(!account.charges_enabled && !account.payouts_enabled && !account.details_submitted);
    let german = CreateAccount {
        country: Some("DE".into()),
        type_: Some("express".into()),
        email: Some("kontakt@example.de".into()),
        ..Default::default()
    };
    let german = Account::create(client, &german).unwrap();
    assert_eq!(
        (german.type_.as_deref(), german.default_currency.as_deref()),
        (Some("express"), Some("eur"))
    );
    let wrong = CreateAccount {
        type_: Some("premium".into()),
        ..Default::default()
    };
    let error = Account::create(client, &wrong).unwrap_err();
    assert_eq!(answer(&error), (Some(400), None, Some("type")));

    // External accounts from Stripe's test tokens.
    let add = |token: &str| {
        ExternalAccount::create(client, &account.id, &CreateExternalAccount::new(token))
    };
    let bank = add("btok_us_verified").unwrap();
    assert_eq!(bank.object, "bank_account");
    assert!(bank.id.as_str().starts_with("ba_"));
    assert_eq!(
        (
            bank.bank_name.as_deref(),
            bank.last4.as_str(),
            bank.status.as_deref(),
            bank.country.as_deref(),
            bank.currency.as_deref(),
        ),
        (
            Some("STRIPE TEST BANK"),
            "6789",
            Some("new"),
            Some("US"),
            Some("usd")
        )
    );
    assert_eq!(bank.account.as_deref(), Some(account.id.as_str()));
    assert_eq!(bank.brand, None);
    // The first of its currency is the default.
    assert_eq!(bank.default_for_currency, Some(true));
    let visa = add("tok_visa_debit").unwrap();
    assert_eq!(
        (
            visa.object.as_str(),
            visa.brand.as_deref(),
            visa.last4.as_str(),
            visa.currency.as_deref()
        ),
        ("card", Some("Visa"), "5556", Some("usd"))
    );
    assert_eq!((visa.bank_name, visa.status), (None, None));
    assert!(visa.id.as_str().starts_with("card_"));
    assert_eq!(visa.default_for_currency, Some(false));
    let mastercard = add("tok_mastercard_debit").unwrap();
    assert_eq!(
        (mastercard.brand.as_deref(), mastercard.last4.as_str()),
        (Some("MasterCard"), "8210")
    );
    let error = add("tok_nope").unwrap_err();
    assert_eq!(
        answer(&error),
        (
            Some(400),
            Some("resource_missing"),
            Some("external_account")
        )
    );
    assert_eq!(error.message(), Some("No such token: 'tok_nope'"));
    let ghost: AccountId = "acct_ghost".parse().unwrap();
    let error = ExternalAccount::create(
        client,
        &ghost,
        &CreateExternalAccount::new("btok_us_verified"),
    )
    .unwrap_err();
    assert_eq!(
        answer(&error),
        (Some(404), Some("resource_missing"), Some("account"))
    );

    // Listed all together, or one kind only.
    let kind = |object: Option<&str>| {
        let params = ListExternalAccounts {
            object: object.map(Into::into),
            ..Default::default()
        };
        let listed = ExternalAccount::list(client, &account.id, &params).unwrap();
        listed
            .data
            .into_iter()
            .map(|e| e.id.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        kind(None),
        [mastercard.id.as_str(), visa.id.as_str(), bank.id.as_str()]
    );
    assert_eq!(
        kind(Some("card")),
        [mastercard.id.as_str(), visa.id.as_str()]
    );
    assert_eq!(kind(Some("bank_account")), [bank.id.as_str()]);

    // A new default takes over from the old one, which cannot be unset by hand.
    let second = CreateExternalAccount {
        default_for_currency: Some(true),
        ..CreateExternalAccount::new("btok_us_verified")
    };
    let second = ExternalAccount::create(client, &account.id, &second).unwrap();
    assert_eq!(second.default_for_currency, Some(true));
    let first = ExternalAccount::retrieve(client, &account.id, &bank.id).unwrap();
    assert_eq!(first.default_for_currency, Some(false));
    let unset = UpdateExternalAccount {
        default_for_currency: Some(false),
        ..Default::default()
    };
    let error = ExternalAccount::update(client, &account.id, &second.id, &unset).unwrap_err();
    assert_eq!(
        answer(&error),
        (Some(400), None, Some("default_for_currency"))
    );
    let take_over = UpdateExternalAccount {
        default_for_currency: Some(true),
        ..Default::default()
    };
    // Made the default again by an update: the other one is no longer.
    let back = ExternalAccount::update(client, &account.id, &bank.id, &take_over).unwrap();
    assert_eq!(back.default_for_currency, Some(true));
    let second = ExternalAccount::retrieve(client, &account.id, &second.id).unwrap();
    assert_eq!(second.default_for_currency, Some(false));
    let defaults = ExternalAccount::list(client, &account.id, &Default::default()).unwrap();
    let defaults: Vec<_> = defaults
        .data
        .iter()
        .filter(|external| external.default_for_currency == Some(true))
        .map(|external| external.id.as_str())
        .collect();
    assert_eq!(defaults, [bank.id.as_str()]);
    let mut tagged = UpdateExternalAccount::default();
    tagged.metadata.set("purpose", "payouts");
    let tagged = ExternalAccount::update(client, &account.id, &visa.id, &tagged).unwrap();
    assert_eq!(tagged.metadata.get("purpose"), Some("payouts"));

    // Deleted one at a time, or with their account.
    let gone = ExternalAccount::delete(client, &account.id, &visa.id).unwrap();
    assert!(gone.deleted);
    let error = ExternalAccount::retrieve(client, &account.id, &visa.id).unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert_eq!(kind(Some("card")), [mastercard.id.as_str()]);

    transfers(client, &account, &german);

    let gone = Account::delete(client, &german.id).unwrap();
    assert!(gone.deleted);
    assert_eq!(
        Account::retrieve(client, &german.id).unwrap_err().status(),
        Some(404)
    );
    let error =
        Transfer::create(client, &CreateTransfer::new(100, "eur", german.id.as_str())).unwrap_err();
    assert_eq!(
        answer(&error),
        (Some(400), Some("resource_missing"), Some("destination"))
    );
}

fn transfers(client: &Client, account: &Account, german: &Account) {
    let transfer = CreateTransfer::new(1000, "usd", account.id.as_str());
    let transfer = Transfer::create(client, &transfer).unwrap();
    assert_eq!(
        (transfer.amount, transfer.amount_reversed, transfer.reversed),
        (1000, 0, false)
    );
    assert_eq!(transfer.destination.as_deref(), Some(account.id.as_str()));
    let other =
        Transfer::create(client, &CreateTransfer::new(500, "eur", german.id.as_str())).unwrap();
    let error =
        Transfer::create(client, &CreateTransfer::new(0, "usd", account.id.as_str())).unwrap_err();
    assert_eq!(answer(&error), (Some(400), None, Some("amount")));
    let error =
        Transfer::create(client, &CreateTransfer::new(100, "usd", "acct_ghost")).unwrap_err();
    assert_eq!(
        answer(&error),
        (Some(400), Some("resource_missing"), Some("destination"))
    );
    assert_eq!(error.message(), Some("No such destination: 'acct_ghost'"));
    let to_account = ListTransfers {
        destination: Some(account.id.as_str().into()),
        ..Default::default()
    };
    let listed = Transfer::list(client, &to_account).unwrap();
    let ids: Vec<_> = listed.data.iter().map(|t| &t.id).collect();
    assert_eq!(ids, [&transfer.id]);

    // Reversed in part, then what remains of it.
    let part = CreateTransferReversal {
        amount: Some(300),
        ..Default::default()
    };
    let first = TransferReversal::create(client, &transfer.id, &part).unwrap();
    assert_eq!(
        (
            first.amount,
            first.currency.as_str(),
            first.transfer.as_str()
        ),
        (300, "usd", transfer.id.as_str())
    );
    let shown = Transfer::retrieve(client, &transfer.id).unwrap();
    assert_eq!((shown.amount_reversed, shown.reversed), (300, false));
    let too_much = CreateTransferReversal {
        amount: Some(800),
        ..Default::default()
    };
    let error = TransferReversal::create(client, &transfer.id, &too_much).unwrap_err();
    assert_eq!(answer(&error), (Some(400), None, Some("amount")));
    let rest = CreateTransferReversal::default();
    let second = TransferReversal::create(client, &transfer.id, &rest).unwrap();
    assert_eq!(second.amount, 700);
    let shown = Transfer::retrieve(client, &transfer.id).unwrap();
    assert_eq!((shown.amount_reversed, shown.reversed), (1000, true));
    let error = TransferReversal::create(client, &transfer.id, &rest).unwrap_err();
    assert_eq!(answer(&error), (Some(400), None, None));

    // A transfer's reversals are its own; the other transfer has none, in its currency.
    let list = ListTransferReversals::default();
    let reversals = TransferReversal::list(client, &transfer.id, &list).unwrap();
    let amounts: Vec<_> = reversals.data.iter().map(|r| r.amount).collect();
    assert_eq!(amounts, [700, 300]);
    assert!(
        TransferReversal::list(client, &other.id, &list)
            .unwrap()
            .data
            .is_empty()
    );
    let whole = TransferReversal::create(client, &other.id, &rest).unwrap();
    assert_eq!((whole.amount, whole.currency.as_str()), (500, "eur"));
    let error = TransferReversal::retrieve(client, &other.id, &first.id).unwrap_err();
    assert_eq!(error.status(), Some(404));
    let ghost: TransferId = "tr_ghost".parse().unwrap();
    let error = TransferReversal::list(client, &ghost, &list).unwrap_err();
    assert_eq!(
        answer(&error),
        (Some(404), Some("resource_missing"), Some("transfer"))
    );
}

#[test]
fn subscriptions_in_process() {
    let emulator = emulator();
    subscriptions(&emulator, &emulator.client("sk_test_123").unwrap());
}

#[test]
fn subscriptions_over_http() {
    let emulator = emulator();
    let (_server, client) = tests::served(&emulator);
    subscriptions(&emulator, &client);
}

#[test]
fn connect_in_process() {
    connect(&emulator().client("sk_test_123").unwrap());
}

#[test]
fn connect_over_http() {
    let emulator = emulator();
    let (_server, client) = tests::served(&emulator);
    connect(&client);
}
