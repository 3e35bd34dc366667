//! Customers on the emulator (common-resources, feature `emulator`): the generic shapes served
//! from their declarations (a nested collection scoped to its parent, a nested singleton, the
//! deleted form, a list at another path) and the hooks that keep a balance, in process and over
//! HTTP.
#![allow(clippy::unwrap_used, reason = "test code")]

use common_resources::emulator::CARD_VISA;
use common_resources::{
    Balance, ConfirmPaymentIntent, Coupon, CreateCoupon, CreateCustomer,
    CreateCustomerBalanceTransaction, CreatePaymentIntent, CreateTaxId, Customer,
    CustomerBalanceTransaction, CustomerId, Discount, ListBalanceTransactions,
    ListCustomerBalanceTransactions, PaymentIntent, TaxId, UpdateCustomer,
};
use resource_core::{Client, ErrorKind, SearchParams};
use resource_emulator::Emulator;

fn emulator() -> Emulator {
    let emulator = Emulator::new();
    common_resources::emulator::register(&emulator);
    emulator
}

fn customer(client: &Client, email: &str, balance: Option<i64>) -> Customer {
    let params = CreateCustomer {
        email: Some(email.into()),
        balance,
        ..Default::default()
    };
    Customer::create(client, &params).unwrap()
}

fn customers(client: &Client) {
    let jenny = customer(client, "jenny@example.com", Some(500));
    assert_eq!(jenny.balance, 500);

    // The starting balance is a balance transaction; each new one moves the balance.
    let list = ListCustomerBalanceTransactions::default();
    let history = CustomerBalanceTransaction::list(client, &jenny.id, &list).unwrap();
    let first = &history.data[0];
    assert_eq!(
        (first.amount, first.ending_balance, first.type_.as_str()),
        (500, 500, "initial")
    );
    assert_eq!(first.customer, jenny.id.as_str());
    let credit = CreateCustomerBalanceTransaction::new(-200, "usd");
    let credited = CustomerBalanceTransaction::create(client, &jenny.id, &credit).unwrap();
    assert_eq!(
        (credited.ending_balance, credited.customer.as_str()),
        (300, jenny.id.as_str())
    );
    let shown = Customer::retrieve(client, &jenny.id)
        .unwrap()
        .object()
        .unwrap();
    assert_eq!(shown.balance, 300);
    // Setting the balance records the difference.
    let set = UpdateCustomer {
        balance: Some(1000),
        ..Default::default()
    };
    assert_eq!(
        Customer::update(client, &jenny.id, &set).unwrap().balance,
        1000
    );
    let history = CustomerBalanceTransaction::list(client, &jenny.id, &list).unwrap();
    let amounts: Vec<_> = history
        .data
        .iter()
        .map(|t| (t.amount, t.type_.as_str()))
        .collect();
    assert_eq!(
        amounts,
        [(700, "adjustment"), (-200, "adjustment"), (500, "initial")]
    );

    // A nested list shows its parent's children only; a missing parent is Stripe's 404.
    let other = customer(client, "other@example.com", None);
    let empty = CustomerBalanceTransaction::list(client, &other.id, &list).unwrap();
    assert!(empty.data.is_empty());
    let error = CustomerBalanceTransaction::retrieve(client, &other.id, &credited.id).unwrap_err();
    assert_eq!(
        (error.status(), error.code()),
        (Some(404), Some("resource_missing"))
    );
    let ghost: CustomerId = "cus_ghost".parse().unwrap();
    let error = CustomerBalanceTransaction::list(client, &ghost, &list).unwrap_err();
    assert_eq!(
        (error.status(), error.message(), error.param()),
        (
            Some(404),
            Some("No such customer: 'cus_ghost'"),
            Some("customer")
        )
    );

    // Tax ids under their customer.
    let vat = CreateTaxId::new("eu_vat", "DE123456789");
    let tax_id = TaxId::create(client, &jenny.id, &vat).unwrap();
    assert_eq!(
        (tax_id.country.as_deref(), tax_id.customer.as_deref()),
        (Some("DE"), Some(jenny.id.as_str()))
    );
    TaxId::delete(client, &jenny.id, &tax_id.id).unwrap();
    let error = TaxId::retrieve(client, &jenny.id, &tax_id.id).unwrap_err();
    assert_eq!(error.status(), Some(404));
    let error = TaxId::create(client, &jenny.id, &CreateTaxId::new("eu_vat", "")).unwrap_err();
    assert_eq!(
        (error.status(), error.code(), error.param()),
        (Some(400), Some("parameter_invalid_empty"), Some("value"))
    );

    // A coupon becomes the discount singleton, retrieved and deleted through its customer.
    let error = Discount::retrieve(client, &jenny.id).unwrap_err();
    assert_eq!(
        (error.status(), error.code()),
        (Some(404), Some("resource_missing"))
    );
    let coupon = Coupon::create(
        client,
        &CreateCoupon {
            percent_off: Some(25.0),
            ..Default::default()
        },
    )
    .unwrap();
    let error = Coupon::create(
        client,
        &CreateCoupon {
            percent_off: Some(25.0),
            duration: Some(String::new()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        (error.status(), error.code(), error.param()),
        (Some(400), Some("parameter_invalid_empty"), Some("duration"))
    );
    let unknown = UpdateCustomer {
        coupon: Some("NOPE".into()),
        ..Default::default()
    };
    let error = Customer::update(client, &jenny.id, &unknown).unwrap_err();
    assert_eq!((error.status(), error.param()), (Some(400), Some("coupon")));
    let with_coupon = UpdateCustomer {
        coupon: Some(coupon.id.as_str().into()),
        ..Default::default()
    };
    Customer::update(client, &jenny.id, &with_coupon).unwrap();
    let discount = Discount::retrieve(client, &jenny.id).unwrap();
    assert_eq!(discount.customer.as_deref(), Some(jenny.id.as_str()));
    assert!(discount.id.starts_with("di_"));
    let deleted = Discount::delete(client, &jenny.id).unwrap();
    assert!(deleted.deleted);
    assert_eq!(
        Discount::retrieve(client, &jenny.id).unwrap_err().status(),
        Some(404)
    );

    // Search, then delete: the deleted form on retrieve, what hung off it gone with it.
    let found = Customer::search(client, &SearchParams::new("email:'jenny@example.com'")).unwrap();
    let ids: Vec<_> = found.data.iter().map(|c| &c.id).collect();
    assert_eq!(ids, [&jenny.id]);
    let gone = Customer::delete(client, &jenny.id).unwrap();
    assert_eq!((gone.id.as_str(), gone.deleted), (jenny.id.as_str(), true));
    let retrieved = Customer::retrieve(client, &jenny.id).unwrap();
    assert!(retrieved.is_deleted());
    let error = CustomerBalanceTransaction::list(client, &jenny.id, &list).unwrap_err();
    assert_eq!(error.status(), Some(404));
    let error = Customer::update(client, &jenny.id, &set).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    assert_eq!(error.status(), Some(404));
}

fn balance(client: &Client) {
    let before = Balance::retrieve(client).unwrap();
    assert_eq!(before.available[0].amount, 0);
    let intent = PaymentIntent::create(
        client,
        &CreatePaymentIntent {
            payment_method: Some(CARD_VISA.into()),
            ..CreatePaymentIntent::new(2500, "usd")
        },
    )
    .unwrap();
    PaymentIntent::confirm(client, &intent.id, &ConfirmPaymentIntent::default()).unwrap();
    let after = Balance::retrieve(client).unwrap();
    assert_eq!(
        (
            after.available[0].amount,
            after.available[0].currency.as_str()
        ),
        (2500, "usd")
    );
    let history = Balance::history(client, &ListBalanceTransactions::default()).unwrap();
    assert_eq!(history.url, "/v1/balance/history");
    let charge = &history.data[0];
    assert_eq!((charge.amount, charge.type_.as_str()), (2500, "charge"));
}

#[test]
fn customers_in_process() {
    customers(&emulator().client("sk_test_123").unwrap());
}

#[test]
fn customers_over_http() {
    let emulator = emulator();
    let (_server, client) = tests::served(&emulator);
    customers(&client);
}

#[test]
fn the_balance_in_process() {
    balance(&emulator().client("sk_test_123").unwrap());
}

#[test]
fn the_balance_over_http() {
    let emulator = emulator();
    let (_server, client) = tests::served(&emulator);
    balance(&client);
}
