//! The payment intent's state machine on the emulator (common-resources, feature `emulator`):
//! Stripe's statuses, its test payment methods, and its errors for an action in the wrong state,
//! in process and over HTTP.
#![allow(clippy::unwrap_used, reason = "test code")]

use common_resources::emulator::{CARD_DECLINED, CARD_VISA};
use common_resources::{
    CancelPaymentIntent, CapturePaymentIntent, ConfirmPaymentIntent, CreatePaymentIntent,
    ListPaymentIntents, PaymentIntent,
};
use resource_core::{Client, ErrorKind, RequestOptions, SearchParams};
use resource_emulator::Emulator;

fn flow(client: &Client) {
    // `""` unsets a field; one the object cannot be without is Stripe's 400, not a 500 (found by
    // the emulator_request fuzz target).
    let error = PaymentIntent::create(client, &CreatePaymentIntent::new(2, "")).unwrap_err();
    assert_eq!(
        (error.status(), error.code(), error.param()),
        (Some(400), Some("parameter_invalid_empty"), Some("currency"))
    );

    // Automatic capture: created without a method, confirmed with a card that succeeds.
    let intent = PaymentIntent::create(client, &CreatePaymentIntent::new(2000, "usd")).unwrap();
    assert_eq!(intent.status, "requires_payment_method");
    assert_eq!(intent.capture_method, "automatic");
    let confirm = |pm: &str| ConfirmPaymentIntent {
        payment_method: Some(pm.into()),
        ..Default::default()
    };
    let paid = PaymentIntent::confirm(client, &intent.id, &confirm(CARD_VISA)).unwrap();
    assert_eq!(
        (paid.status.as_str(), paid.amount_received),
        ("succeeded", 2000)
    );
    assert!(
        paid.latest_charge
            .as_deref()
            .is_some_and(|ch| ch.starts_with("ch_"))
    );
    let again = PaymentIntent::confirm(client, &intent.id, &confirm(CARD_VISA)).unwrap_err();
    assert_eq!(
        (again.status(), again.code()),
        (Some(400), Some("payment_intent_unexpected_state"))
    );
    assert_eq!(PaymentIntent::retrieve(client, &intent.id).unwrap(), paid);

    // Manual capture, confirmed at creation, captured in part.
    let manual = PaymentIntent::create(
        client,
        &CreatePaymentIntent {
            capture_method: Some("manual".into()),
            confirm: Some(true),
            payment_method: Some(CARD_VISA.into()),
            ..CreatePaymentIntent::new(1500, "usd")
        },
    )
    .unwrap();
    assert_eq!(
        (manual.status.as_str(), manual.amount_capturable),
        ("requires_capture", 1500)
    );
    let too_much = CapturePaymentIntent {
        amount_to_capture: Some(1600),
        ..Default::default()
    };
    let error = PaymentIntent::capture(client, &manual.id, &too_much).unwrap_err();
    assert_eq!(error.param(), Some("amount_to_capture"));
    let part = CapturePaymentIntent {
        amount_to_capture: Some(1000),
        ..Default::default()
    };
    let captured = PaymentIntent::capture(client, &manual.id, &part).unwrap();
    assert_eq!(
        (captured.status.as_str(), captured.amount_received),
        ("succeeded", 1000)
    );

    // A declined card, then a cancel.
    let declined = PaymentIntent::create(client, &CreatePaymentIntent::new(500, "usd")).unwrap();
    let error = PaymentIntent::confirm(client, &declined.id, &confirm(CARD_DECLINED)).unwrap_err();
    assert_eq!(
        (error.kind(), error.status(), error.code()),
        (ErrorKind::Card, Some(402), Some("card_declined"))
    );
    let body = error.body().unwrap();
    assert_eq!(body.decline_code.as_deref(), Some("generic_decline"));
    assert_eq!(body.other["payment_intent"]["id"], declined.id.as_str());
    assert_eq!(
        body.other["payment_intent"]["status"],
        "requires_payment_method"
    );
    // The intent keeps the failure, back to needing a payment method.
    let failed = PaymentIntent::retrieve(client, &declined.id).unwrap();
    assert_eq!(failed.status, "requires_payment_method");
    let last = failed.last_payment_error.unwrap();
    assert_eq!(
        (last.type_.as_str(), last.code.as_deref()),
        ("card_error", Some("card_declined"))
    );
    let reason = CancelPaymentIntent {
        cancellation_reason: Some("abandoned".into()),
        ..Default::default()
    };
    let canceled = PaymentIntent::cancel(client, &declined.id, &reason).unwrap();
    assert_eq!(
        (
            canceled.status.as_str(),
            canceled.cancellation_reason.as_deref()
        ),
        ("canceled", Some("abandoned"))
    );
    let error = PaymentIntent::cancel(client, &declined.id, &reason).unwrap_err();
    assert_eq!(error.code(), Some("payment_intent_unexpected_state"));

    // Declined when confirmed by the create itself: the same 402, and the intent is kept.
    let create = CreatePaymentIntent {
        confirm: Some(true),
        payment_method: Some(CARD_DECLINED.into()),
        ..CreatePaymentIntent::new(900, "usd")
    };
    let error = PaymentIntent::create(client, &create).unwrap_err();
    assert_eq!(
        (error.kind(), error.status(), error.code()),
        (ErrorKind::Card, Some(402), Some("card_declined"))
    );
    let kept = error.body().unwrap().other["payment_intent"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let kept = PaymentIntent::retrieve(client, &kept).unwrap();
    assert_eq!(
        (kept.status.as_str(), kept.amount),
        ("requires_payment_method", 900)
    );
    // Sent again with its idempotency key, it is the same answer, not a second intent: Stripe
    // keeps the result of a request that started executing.
    let keyed = client.with_options(RequestOptions::new().idempotency_key("declined-once"));
    let first = PaymentIntent::create(&keyed, &create).unwrap_err();
    let again = PaymentIntent::create(&keyed, &create).unwrap_err();
    assert_eq!(again.status(), Some(402));
    assert_eq!(
        again.body().unwrap().other["payment_intent"]["id"],
        first.body().unwrap().other["payment_intent"]["id"]
    );
    let intents = PaymentIntent::list(client, &ListPaymentIntents::default()).unwrap();
    assert_eq!(
        intents
            .data
            .iter()
            .filter(|intent| intent.amount == 900)
            .count(),
        2,
        "the create above and the keyed one, once"
    );

    // Searched by status, newest first.
    let found = PaymentIntent::search(
        client,
        &SearchParams::new("status:'succeeded' AND amount>1000"),
    )
    .unwrap();
    let ids: Vec<_> = found.data.into_iter().map(|intent| intent.id).collect();
    assert_eq!(ids, [manual.id, intent.id]);
}

fn emulator() -> Emulator {
    let emulator = Emulator::new();
    common_resources::emulator::register(&emulator);
    emulator
}

#[test]
fn the_state_machine_in_process() {
    flow(&emulator().client("sk_test_123").unwrap());
}

#[test]
fn the_state_machine_over_http() {
    let emulator = emulator();
    let (_server, client) = tests::served(&emulator);
    flow(&client);
}
