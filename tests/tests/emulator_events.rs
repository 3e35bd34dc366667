//! The events the emulator records as Stripe emits them (`GET /v1/events`): one per create,
//! update (with `previous_attributes`) and delete, and those the hooks name for what actions do;
//! each carrying the request that caused it. Only types Stripe has, never for a refused request
//! nor for a replay. In process and over HTTP.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    missing_docs,
    reason = "test code and a test-only resource"
)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common_resources::emulator::{CARD_DECLINED, CARD_VISA};
use common_resources::{
    Account, CancelSubscription, CapturePaymentIntent, CheckoutLineItemParams, CheckoutSession,
    ConfirmPaymentIntent, Coupon, CreateAccount, CreateCheckoutSession, CreateCoupon,
    CreateCustomer, CreateCustomerBalanceTransaction, CreateExternalAccount, CreatePaymentIntent,
    CreatePrice, CreateRefund, CreateSubscription, CreateTaxId, CreateTransfer,
    CreateTransferReversal, Customer, CustomerBalanceTransaction, EndBehaviorParams,
    ExpireCheckoutSession, ExternalAccount, ListSubscriptions, PaymentIntent, Price,
    PriceDataParams, PriceProductDataParams, ProductDataParams, RecurringParams, Refund,
    ResumeSubscription, Subscription, SubscriptionItemParams, TaxId, Transfer, TransferReversal,
    TrialSettingsParams, UpdateCustomer, UpdateRefund, UpdateSubscription,
};
use file_link::{CreateFile, CreateFileLink, File, FileLink, FileLinkData, FilePurpose};
use resource_core::StripeResource;
use resource_core::{
    Client, DEFAULT_API_VERSION, ErrorKind, Event, ListEvents, MetadataParam, Method, Request,
    RequestOptions, Response, Transport, TransportError, Upload, UreqTransport,
};
use resource_emulator::{Context, Emulate, Emulator, Object, Rejection, Routes, Server};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// One request as an event should name it: the `Request-Id` it was answered with, and the
/// `Idempotency-Key` it was sent with (the client sends a fresh one with every `POST`).
#[derive(Debug, Clone)]
struct Sent {
    request_id: String,
    idempotency_key: Option<String>,
}

impl Sent {
    /// The event's `request`.
    fn as_request(&self) -> Value {
        json!({"id": self.request_id, "idempotency_key": self.idempotency_key})
    }
}

/// A transport that keeps what each request was sent and answered with.
#[derive(Debug)]
struct Recorder<T> {
    inner: T,
    sent: Arc<Mutex<Vec<Sent>>>,
}

impl<T: Transport> Transport for Recorder<T> {
    fn send(&self, request: &Request<'_>) -> Result<Response, TransportError> {
        let response = self.inner.send(request)?;
        let idempotency_key = request
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("Idempotency-Key"))
            .map(|(_, value)| value.to_string());
        let request_id = response.header("Request-Id").unwrap_or_default().to_owned();
        self.sent.lock().unwrap().push(Sent {
            request_id,
            idempotency_key,
        });
        Ok(response)
    }
}

/// An emulator serving every resource, and a client whose answers' request ids are kept.
struct Setup {
    emulator: Emulator,
    client: Client,
    sent: Arc<Mutex<Vec<Sent>>>,
    _server: Option<Server>,
}

impl Setup {
    /// The last request sent.
    fn last(&self) -> Sent {
        self.sent.lock().unwrap().last().cloned().unwrap()
    }

    /// The `Request-Id` of the last answer.
    fn last_request_id(&self) -> String {
        self.last().request_id
    }

    /// `GET /v1/events` with `query`: the page's events, newest first.
    fn events(&self, query: Value) -> Vec<Value> {
        let page: Value = self
            .client
            .request(Method::Get, "/v1/events", &query)
            .unwrap();
        assert_eq!(page["object"], "list");
        page["data"].as_array().unwrap().clone()
    }

    /// Every event's type, newest first.
    fn types(&self) -> Vec<String> {
        self.events(json!({"limit": 100}))
            .iter()
            .map(|event| event["type"].as_str().unwrap().to_owned())
            .collect()
    }
}

fn new_emulator() -> Emulator {
    let emulator = Emulator::new();
    common_resources::emulator::register(&emulator);
    file_link::emulator::register(&emulator);
    emulator
}

/// Runs `check` in process, then over HTTP (`tests::served`), each on a fresh emulator.
fn on_both_paths(check: impl Fn(&Setup)) {
    let sent = Arc::new(Mutex::new(Vec::new()));
    let emulator = new_emulator();
    let recorder = Recorder {
        inner: emulator.clone(),
        sent: sent.clone(),
    };
    let client = Client::builder("sk_test_123")
        .transport(recorder)
        .max_network_retries(0)
        .build()
        .unwrap();
    check(&Setup {
        emulator,
        client,
        sent,
        _server: None,
    });

    let sent = Arc::new(Mutex::new(Vec::new()));
    let emulator = new_emulator();
    let (server, _) = tests::served(&emulator);
    let recorder = Recorder {
        inner: UreqTransport::new(Duration::from_secs(30), Duration::from_secs(5)),
        sent: sent.clone(),
    };
    let client = Client::builder("sk_test_123")
        .base_url(server.url())
        .files_base_url(server.url())
        .transport(recorder)
        .max_network_retries(0)
        .build()
        .unwrap();
    check(&Setup {
        emulator,
        client,
        sent,
        _server: Some(server),
    });
}

/// Metadata to set (`""` unsets the key).
fn metadata(pairs: &[(&str, &str)]) -> MetadataParam {
    let mut metadata = MetadataParam::new();
    for (key, value) in pairs {
        match *value {
            "" => metadata.unset(*key),
            value => metadata.set(*key, value),
        };
    }
    metadata
}

#[test]
fn a_customer_created_updated_and_deleted_emits_three_events() {
    on_both_paths(|setup| {
        let client = &setup.client;
        let created = Customer::create(
            client,
            &CreateCustomer {
                name: Some("Jenny".into()),
                email: Some("jenny@example.com".into()),
                metadata: metadata(&[("order", "6735"), ("tier", "gold")]),
                ..Default::default()
            },
        )
        .unwrap();
        let create = setup.last();
        let updated = Customer::update(
            client,
            &created.id,
            &UpdateCustomer {
                name: Some("Jenny Rosen".into()),
                metadata: metadata(&[("tier", ""), ("vip", "yes")]),
                ..Default::default()
            },
        )
        .unwrap();
        let update = setup.last();
        // An update that changes nothing emits nothing, as on Stripe.
        Customer::update(client, &created.id, &UpdateCustomer::default()).unwrap();
        Customer::delete(client, &created.id).unwrap();
        let delete = setup.last();
        assert!(create.request_id.starts_with("req_"));
        assert_ne!(create.request_id, update.request_id);
        assert!(create.idempotency_key.is_some() && delete.idempotency_key.is_none());

        let events = setup.events(json!({}));
        let types: Vec<_> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(
            types,
            ["customer.deleted", "customer.updated", "customer.created"],
            "newest first"
        );
        let now = setup.emulator.now();
        for (event, sent) in events.iter().zip([&delete, &update, &create]) {
            let mut fields: Vec<&str> = event
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            fields.sort_unstable();
            assert_eq!(
                fields,
                [
                    "api_version",
                    "created",
                    "data",
                    "id",
                    "livemode",
                    "object",
                    "pending_webhooks",
                    "request",
                    "type"
                ],
                "Stripe's fields (`account` only on Connect events)"
            );
            assert!(event["id"].as_str().unwrap().starts_with("evt_"), "{event}");
            assert_eq!(event["object"], "event");
            assert_eq!(event["api_version"], DEFAULT_API_VERSION);
            assert!((now - 5..=now).contains(&event["created"].as_i64().unwrap()));
            assert_eq!(event["livemode"], false);
            assert_eq!(event["pending_webhooks"], 0);
            assert_eq!(
                event["request"],
                sent.as_request(),
                "the request that caused it: the Request-Id it was answered with, the \
                 Idempotency-Key it was sent with"
            );
            // Each is there by its id too.
            let id = event["id"].as_str().unwrap();
            let retrieved: Value = client
                .request(Method::Get, &format!("/v1/events/{id}"), &json!({}))
                .unwrap();
            assert_eq!(&retrieved, event);
        }

        // `customer.created` carries the customer as answered; `customer.updated` it as
        // answered and the changed fields' old values (a hash's changed keys only).
        let [deleted_event, updated_event, created_event] = &events[..] else {
            panic!("{events:?}")
        };
        assert_eq!(created_event["data"], json!({"object": as_json(&created)}));
        assert_eq!(updated_event["data"]["object"], as_json(&updated));
        assert_eq!(
            updated_event["data"]["previous_attributes"],
            json!({"name": "Jenny", "metadata": {"tier": "gold", "vip": null}})
        );
        // `customer.deleted` carries the customer as it was, as Stripe's does.
        assert_eq!(deleted_event["data"], json!({"object": as_json(&updated)}));
    });
}

#[test]
fn events_read_back_through_resource_core_event() {
    on_both_paths(|setup| {
        let client = &setup.client;
        let jenny = Customer::create(
            client,
            &CreateCustomer {
                email: Some("jenny@example.com".into()),
                ..Default::default()
            },
        )
        .unwrap();
        let renamed = UpdateCustomer {
            email: Some("jenny.rosen@example.com".into()),
            ..Default::default()
        };
        Customer::update(client, &jenny.id, &renamed).unwrap();
        PaymentIntent::create(client, &CreatePaymentIntent::new(100, "usd")).unwrap();

        let customers = ListEvents {
            type_: Some("customer.*".into()),
            ..ListEvents::default()
        };
        let listed = Event::list(client, &customers).unwrap();
        let types: Vec<_> = listed.data.iter().map(|e| e.type_.as_str()).collect();
        assert_eq!(types, ["customer.updated", "customer.created"]);
        let created = Event::retrieve(client, &listed.data[1].id).unwrap();
        assert_eq!(created, listed.data[1]);
        assert_eq!(created.data.object_as::<Customer>().unwrap(), jenny);
        assert_eq!(created.data.previous_attributes, None);

        #[derive(Debug, Deserialize, PartialEq)]
        struct EmailChange {
            email: Option<String>,
        }
        let update = &listed.data[0];
        assert_eq!(
            update.data.previous_attributes_as::<EmailChange>().unwrap(),
            Some(EmailChange {
                email: Some("jenny@example.com".into())
            })
        );
        let request = update.request.clone().unwrap();
        assert!(request.id.is_some_and(|id| id.starts_with("req_")));

        let both = ListEvents {
            types: vec!["payment_intent.created".into(), "customer.created".into()],
            ..ListEvents::default()
        };
        let listed = Event::list(client, &both).unwrap();
        let types: Vec<_> = listed.data.iter().map(|e| e.type_.as_str()).collect();
        assert_eq!(types, ["payment_intent.created", "customer.created"]);
        let page = Event::list(
            client,
            &ListEvents {
                limit: Some(1),
                ..ListEvents::default()
            },
        )
        .unwrap();
        assert!(page.has_more);
        assert_eq!(page.data.len(), 1);
    });
}

fn as_json<T: Serialize>(object: &T) -> Value {
    serde_json::to_value(object).unwrap()
}

/// A monthly price of `unit_amount` usd, for a product made with it.
fn monthly(client: &Client, unit_amount: i64) -> Price {
    let params = CreatePrice {
        product_data: Some(PriceProductDataParams { name: "Pro".into() }),
        recurring: Some(RecurringParams::new("month")),
        unit_amount: Some(unit_amount),
        ..CreatePrice::new("usd")
    };
    Price::create(client, &params).unwrap()
}

/// A subscription of `customer` to one of `price`, paid with `pm_card_visa`.
fn subscribe(customer: &Customer, price: &Price) -> CreateSubscription {
    CreateSubscription {
        items: vec![SubscriptionItemParams {
            price: Some(price.id.as_str().into()),
            quantity: Some(1),
        }],
        default_payment_method: Some(CARD_VISA.into()),
        ..CreateSubscription::new(customer.id.as_str())
    }
}

#[test]
fn objects_made_by_hooks_emit_their_events_in_order() {
    on_both_paths(|setup| {
        let client = &setup.client;
        let coupon = Coupon::create(
            client,
            &CreateCoupon {
                percent_off: Some(25.0),
                ..Default::default()
            },
        )
        .unwrap();
        // A balance is a customer balance transaction (no event on Stripe); a coupon a discount.
        let customer = Customer::create(
            client,
            &CreateCustomer {
                balance: Some(500),
                coupon: Some(coupon.id.as_str().into()),
                ..Default::default()
            },
        )
        .unwrap();
        let request_id = setup.last_request_id();
        assert_eq!(
            setup.types(),
            [
                "customer.discount.created",
                "customer.created",
                "coupon.created"
            ]
        );
        let events = setup.events(json!({"limit": 2}));
        assert!(events.iter().all(|e| e["request"]["id"] == request_id));
        assert_eq!(
            events[0]["data"]["object"]["customer"],
            customer.id.as_str()
        );
        assert_eq!(events[1]["data"]["object"]["balance"], 500);
    });
}

fn confirm(pm: &str) -> ConfirmPaymentIntent {
    ConfirmPaymentIntent {
        payment_method: Some(pm.into()),
        ..Default::default()
    }
}

#[test]
fn payment_intents_emit_stripes_events_for_each_step() {
    on_both_paths(|setup| {
        let client = &setup.client;
        let intent = PaymentIntent::create(client, &CreatePaymentIntent::new(2000, "usd")).unwrap();
        let paid = PaymentIntent::confirm(client, &intent.id, &confirm(CARD_VISA)).unwrap();
        let confirmed = setup.last();
        assert_eq!(
            setup.types(),
            [
                "payment_intent.succeeded",
                "charge.succeeded",
                "payment_intent.created"
            ]
        );
        let events = setup.events(json!({"limit": 2}));
        let (succeeded, charged) = (&events[0], &events[1]);
        assert_eq!(succeeded["request"], confirmed.as_request());
        assert_eq!(succeeded["data"], json!({"object": as_json(&paid)}));
        // The charge, as its intent knows it: captured, paid, the intent's.
        let charge = &charged["data"]["object"];
        assert_eq!(charged["request"], confirmed.as_request());
        assert_eq!(
            (
                &charge["id"],
                &charge["captured"],
                &charge["amount_captured"],
                &charge["status"],
                &charge["payment_intent"]
            ),
            (
                &json!(paid.latest_charge),
                &json!(true),
                &json!(2000),
                &json!("succeeded"),
                &json!(paid.id.as_str())
            )
        );

        // A decline is refused, yet Stripe emits `payment_intent.payment_failed`, about the
        // intent as stored (its `last_payment_error`), for the request that was refused.
        let declined =
            PaymentIntent::create(client, &CreatePaymentIntent::new(500, "usd")).unwrap();
        let error =
            PaymentIntent::confirm(client, &declined.id, &confirm(CARD_DECLINED)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Card);
        let refused = setup.last();
        let failed = &setup.events(json!({"limit": 1}))[0];
        assert_eq!(failed["type"], "payment_intent.payment_failed");
        assert_eq!(failed["request"]["id"], error.request_id().unwrap());
        assert_eq!(failed["request"], refused.as_request());
        let object = &failed["data"]["object"];
        assert_eq!(
            (&object["id"], &object["last_payment_error"]["code"]),
            (&json!(declined.id.as_str()), &json!("card_declined"))
        );
        let charge_failed = &setup.events(json!({"limit": 2}))[1];
        let charge = &charge_failed["data"]["object"];
        assert_eq!(
            (
                &charge_failed["type"],
                &charge["status"],
                &charge["paid"],
                &charge["failure_code"],
                &charge["id"]
            ),
            (
                &json!("charge.failed"),
                &json!("failed"),
                &json!(false),
                &json!("card_declined"),
                &object["latest_charge"]
            )
        );

        // Manual capture: the amount becomes capturable, then is captured; a cancel.
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
        PaymentIntent::capture(client, &manual.id, &CapturePaymentIntent::default()).unwrap();
        let other = PaymentIntent::create(client, &CreatePaymentIntent::new(700, "usd")).unwrap();
        PaymentIntent::cancel(client, &other.id, &Default::default()).unwrap();
        assert_eq!(
            setup.types()[..9],
            [
                "payment_intent.canceled",
                "payment_intent.created",
                "payment_intent.succeeded",
                "charge.captured",
                "payment_intent.amount_capturable_updated",
                "charge.succeeded",
                "payment_intent.created",
                "payment_intent.payment_failed",
                "charge.failed",
            ]
        );
        let authorized = &setup.events(json!({"type": "charge.succeeded", "limit": 1}))[0];
        assert_eq!(authorized["data"]["object"]["captured"], json!(false));

        // A refund: `refund.created`, and `charge.refunded` about the charge it refunds.
        let refund = Refund::create(
            client,
            &CreateRefund {
                payment_intent: Some(paid.id.as_str().into()),
                amount: Some(500),
                ..Default::default()
            },
        )
        .unwrap();
        let events = setup.events(json!({"limit": 2}));
        assert_eq!(
            (&events[0]["type"], &events[1]["type"]),
            (&json!("charge.refunded"), &json!("refund.created"))
        );
        assert_eq!(events[1]["data"]["object"], as_json(&refund));
        let charge = &events[0]["data"]["object"];
        assert_eq!(
            (
                &charge["id"],
                &charge["object"],
                &charge["amount_refunded"],
                &charge["refunded"],
                &charge["payment_intent"]
            ),
            (
                &json!(paid.latest_charge),
                &json!("charge"),
                &json!(500),
                &json!(false),
                &json!(paid.id.as_str())
            )
        );
    });
}

#[test]
fn refunds_updated_or_canceled_emit_refund_updated_and_charge_refund_updated() {
    on_both_paths(|setup| {
        let client = &setup.client;
        let intent = PaymentIntent::create(
            client,
            &CreatePaymentIntent {
                confirm: Some(true),
                payment_method: Some(CARD_VISA.into()),
                ..CreatePaymentIntent::new(1000, "usd")
            },
        )
        .unwrap();
        // None waits for the customer through the API: stored as Stripe would have it, which
        // emits nothing (no request caused it).
        let fields = json!({
            "amount": 300, "currency": "usd", "status": "requires_action",
            "payment_intent": intent.id.as_str(), "charge": intent.latest_charge.as_deref(),
        });
        let Value::Object(fields) = fields else {
            panic!()
        };
        let waiting = setup.emulator.insert::<Refund>(fields).unwrap();
        let before = setup.types();
        let tagged = UpdateRefund {
            metadata: metadata(&[("ticket", "42")]),
            ..Default::default()
        };
        Refund::update(client, &waiting.id, &tagged).unwrap();
        Refund::cancel(client, &waiting.id, &Default::default()).unwrap();
        let events = setup.events(json!({"limit": 4}));
        let types: Vec<_> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(
            types,
            [
                "charge.refund.updated",
                "refund.updated",
                "charge.refund.updated",
                "refund.updated"
            ]
        );
        assert_eq!(setup.types().len(), before.len() + 4);
        for event in &events[..2] {
            assert_eq!(
                event["data"]["previous_attributes"],
                json!({"status": "requires_action", "failure_reason": null})
            );
            assert_eq!(event["data"]["object"]["status"], "canceled");
        }
        for event in &events[2..] {
            assert_eq!(
                event["data"]["previous_attributes"],
                json!({"metadata": {"ticket": null}})
            );
        }
    });
}

#[test]
fn a_refused_request_emits_nothing() {
    on_both_paths(|setup| {
        let client = &setup.client;
        let error = PaymentIntent::create(client, &CreatePaymentIntent::new(0, "usd")).unwrap_err();
        assert_eq!(error.status(), Some(400));
        let unknown_coupon = CreateCustomer {
            coupon: Some("NOPE".into()),
            ..Default::default()
        };
        Customer::create(client, &unknown_coupon).unwrap_err();
        let intent = PaymentIntent::create(client, &CreatePaymentIntent::new(900, "usd")).unwrap();
        // In the wrong state: refused, nothing changed, nothing emitted.
        PaymentIntent::capture(client, &intent.id, &CapturePaymentIntent::default()).unwrap_err();
        assert_eq!(setup.types(), ["payment_intent.created"]);
    });
}

#[test]
fn an_idempotent_replay_emits_nothing_new() {
    on_both_paths(|setup| {
        let keyed = setup
            .client
            .with_options(RequestOptions::new().idempotency_key("signup-6735"));
        let params = CreateCustomer {
            email: Some("jenny@example.com".into()),
            ..Default::default()
        };
        let first = Customer::create(&keyed, &params).unwrap();
        let first_id = setup.last_request_id();
        let again = Customer::create(&keyed, &params).unwrap();
        assert_eq!(again, first);
        assert_ne!(
            setup.last_request_id(),
            first_id,
            "a replay has its own Request-Id"
        );
        let events = setup.events(json!({}));
        assert_eq!(events.len(), 1);
        assert_eq!(
            events[0]["request"],
            json!({"id": first_id, "idempotency_key": "signup-6735"})
        );
    });
}

#[test]
fn the_stripe_version_asked_for_is_the_events_api_version() {
    on_both_paths(|setup| {
        let pinned = setup
            .client
            .with_options(RequestOptions::new().api_version("2024-06-20"));
        Customer::create(&pinned, &CreateCustomer::default()).unwrap();
        assert_eq!(setup.events(json!({}))[0]["api_version"], "2024-06-20");
    });
}

#[test]
fn files_emit_file_created_and_file_links_nothing() {
    on_both_paths(|setup| {
        let client = &setup.client;
        let file = File::create(
            client,
            &CreateFile::new(
                FilePurpose::DisputeEvidence,
                Upload::from_bytes("evidence.pdf", b"%PDF-1.7".to_vec()),
            ),
        )
        .unwrap();
        // Stripe has no `file_link.*` event.
        FileLink::create(client, &CreateFileLink::new(&file.id)).unwrap();
        let linked = File::create(
            client,
            &CreateFile::new(
                FilePurpose::DisputeEvidence,
                Upload::from_bytes("more.pdf", b"%PDF-1.7".to_vec()),
            )
            .file_link_data(FileLinkData::new()),
        )
        .unwrap();
        assert_eq!(setup.types(), ["file.created", "file.created"]);
        let events = setup.events(json!({}));
        assert_eq!(events[1]["data"]["object"]["id"], file.id.as_str());
        assert_eq!(events[0]["data"]["object"]["id"], linked.id.as_str());
    });
}

#[test]
fn a_checkout_session_expired_emits_checkout_session_expired() {
    on_both_paths(|setup| {
        let client = &setup.client;
        let item = CheckoutLineItemParams {
            price_data: Some(PriceDataParams {
                unit_amount: Some(1500),
                product_data: Some(ProductDataParams {
                    name: "T-shirt".into(),
                }),
                ..PriceDataParams::new("usd")
            }),
            ..Default::default()
        };
        let session = CheckoutSession::create(
            client,
            &CreateCheckoutSession {
                mode: Some("payment".into()),
                line_items: vec![item.clone()],
                ..Default::default()
            },
        )
        .unwrap();
        let shirt = item;
        let expired =
            CheckoutSession::expire(client, &session.id, &ExpireCheckoutSession::default())
                .unwrap();
        // Stripe has no `checkout.session.created`; the inline product is made, and emitted.
        assert_eq!(
            setup.types(),
            ["checkout.session.expired", "product.created"]
        );
        let event = &setup.events(json!({"limit": 1}))[0];
        assert_eq!(event["data"], json!({"object": as_json(&expired)}));

        // Left open, a session expires on the clock: the same event, caused by no request.
        let open = CheckoutSession::create(
            client,
            &CreateCheckoutSession {
                mode: Some("payment".into()),
                line_items: vec![shirt.clone()],
                ..Default::default()
            },
        )
        .unwrap();
        let expirations = || {
            setup
                .events(json!({"type": "checkout.session.expired"}))
                .len()
        };
        setup.emulator.advance(23 * 60 * 60);
        assert_eq!(expirations(), 1, "not yet: sessions last 24 hours");
        setup.emulator.advance(60 * 60);
        assert_eq!(expirations(), 2);
        let event = &setup.events(json!({"limit": 1}))[0];
        assert_eq!(
            (
                &event["type"],
                &event["data"]["object"]["id"],
                &event["data"]["object"]["status"],
                &event["request"]
            ),
            (
                &json!("checkout.session.expired"),
                &json!(open.id.as_str()),
                &json!("expired"),
                &json!({"id": null, "idempotency_key": null})
            )
        );
        // Once: the clock moving on changes nothing more.
        let count = setup.types().len();
        setup.emulator.advance(60 * 60);
        assert_eq!(setup.types().len(), count);
    });
}

#[test]
fn nested_objects_and_subscriptions_emit_under_stripes_names() {
    on_both_paths(|setup| {
        let client = &setup.client;
        let customer = Customer::create(client, &CreateCustomer::default()).unwrap();
        let vat = CreateTaxId::new("eu_vat", "DE123456789");
        let tax_id = TaxId::create(client, &customer.id, &vat).unwrap();
        TaxId::delete(client, &customer.id, &tax_id.id).unwrap();
        let price = monthly(client, 1500);
        let subscription = Subscription::create(client, &subscribe(&customer, &price)).unwrap();
        let at_period_end = UpdateSubscription {
            cancel_at_period_end: Some(true),
            ..Default::default()
        };
        Subscription::update(client, &subscription.id, &at_period_end).unwrap();
        // Stripe's cancel is a `DELETE`: `customer.subscription.deleted`, the subscription as
        // it is then.
        let canceled =
            Subscription::cancel(client, &subscription.id, &CancelSubscription::default()).unwrap();
        let account = Account::create(client, &CreateAccount::default()).unwrap();
        let bank = CreateExternalAccount::new("btok_us_verified");
        ExternalAccount::create(client, &account.id, &bank).unwrap();
        assert_eq!(
            setup.types(),
            [
                "account.external_account.created",
                "customer.subscription.deleted",
                "customer.subscription.updated",
                "customer.subscription.created",
                "product.created", // made by the price's hook, once the price is stored
                "price.created",
                "customer.tax_id.deleted",
                "customer.tax_id.created",
                "customer.created",
            ]
        );
        let events = setup.events(json!({"type": "customer.subscription.*"}));
        let object = &events[0]["data"]["object"];
        assert_eq!(
            (&object["id"], &object["status"], &object["canceled_at"]),
            (
                &json!(canceled.id.as_str()),
                &json!("canceled"),
                &json!(canceled.canceled_at)
            )
        );
        assert_eq!(
            events[1]["data"]["previous_attributes"],
            json!({"cancel_at_period_end": false})
        );
    });
}

#[test]
fn a_reversal_and_a_resume_emit_transfer_reversed_and_subscription_resumed() {
    on_both_paths(|setup| {
        let client = &setup.client;
        let account = Account::create(client, &CreateAccount::default()).unwrap();
        let transfer = CreateTransfer::new(1000, "usd", account.id.as_str());
        let transfer = Transfer::create(client, &transfer).unwrap();
        let part = CreateTransferReversal {
            amount: Some(400),
            ..Default::default()
        };
        TransferReversal::create(client, &transfer.id, &part).unwrap();
        let reversed = &setup.events(json!({"type": "transfer.reversed"}))[0];
        let object = &reversed["data"]["object"];
        assert_eq!(
            (
                &object["id"],
                &object["amount_reversed"],
                &object["reversed"]
            ),
            (&json!(transfer.id.as_str()), &json!(400), &json!(false))
        );
        TransferReversal::create(client, &transfer.id, &Default::default()).unwrap();
        let whole = &setup.events(json!({"type": "transfer.reversed", "limit": 1}))[0];
        assert_eq!(
            (
                &whole["data"]["object"]["amount_reversed"],
                &whole["data"]["object"]["reversed"]
            ),
            (&json!(1000), &json!(true))
        );

        // A trial that ends without a payment method pauses; resuming it is Stripe's event.
        let customer = Customer::create(client, &CreateCustomer::default()).unwrap();
        let trial = CreateSubscription {
            trial_period_days: Some(7),
            trial_settings: Some(TrialSettingsParams {
                end_behavior: EndBehaviorParams {
                    missing_payment_method: "pause".into(),
                },
            }),
            default_payment_method: None,
            ..subscribe(&customer, &monthly(client, 1500))
        };
        let subscription = Subscription::create(client, &trial).unwrap();
        setup.emulator.advance(8 * 24 * 60 * 60);
        Subscription::resume(client, &subscription.id, &ResumeSubscription::default()).unwrap();
        // The clock paused it (no request), then the resume: Stripe's events for both.
        assert_eq!(
            setup.types()[..4],
            [
                "customer.subscription.resumed",
                "customer.subscription.updated",
                "customer.subscription.paused",
                "customer.subscription.updated",
            ]
        );
        let events = setup.events(json!({"limit": 4}));
        assert_eq!(events[0]["data"]["object"]["status"], "active");
        assert_eq!(
            (
                &events[3]["request"]["id"],
                &events[3]["data"]["previous_attributes"]
            ),
            (&Value::Null, &json!({"status": "trialing"}))
        );
        assert_eq!(events[2]["data"]["object"]["status"], "paused");
        // Three days before the trial ended, Stripe said it would, about it as it was then.
        assert_eq!(setup.types()[4], "customer.subscription.trial_will_end");
        let announced = &setup.events(json!({"limit": 5}))[4];
        assert_eq!(announced["data"]["object"]["status"], "trialing");
    });
}

#[test]
fn what_a_hook_changes_in_another_object_emits_its_updated() {
    on_both_paths(|setup| {
        let client = &setup.client;
        let customer = Customer::create(client, &CreateCustomer::default()).unwrap();
        let credit = CreateCustomerBalanceTransaction::new(-700, "usd");
        CustomerBalanceTransaction::create(client, &customer.id, &credit).unwrap();
        let updated = &setup.events(json!({"type": "customer.updated"}))[0];
        assert_eq!(
            (
                &updated["data"]["object"]["balance"],
                &updated["data"]["previous_attributes"],
                &updated["request"]["id"].is_string()
            ),
            (&json!(-700), &json!({"balance": 0}), &true)
        );
        let shown = Customer::retrieve(client, &customer.id)
            .unwrap()
            .object()
            .unwrap();
        assert_eq!(shown.balance, -700);
    });
}

#[test]
fn deleting_a_customer_cancels_its_subscriptions_first() {
    on_both_paths(|setup| {
        let client = &setup.client;
        let customer = Customer::create(client, &CreateCustomer::default()).unwrap();
        let price = monthly(client, 900);
        let subscribed = || Subscription::create(client, &subscribe(&customer, &price)).unwrap();
        let (live, ended) = (subscribed(), subscribed());
        Subscription::cancel(client, &ended.id, &CancelSubscription::default()).unwrap();
        assert!(Customer::delete(client, &customer.id).unwrap().deleted);
        assert_eq!(
            setup.types()[..3],
            [
                "customer.deleted",
                "customer.subscription.deleted",
                "customer.subscription.deleted",
            ]
        );
        let canceled = &setup.events(json!({"limit": 2}))[1];
        assert_eq!(
            (
                &canceled["data"]["object"]["id"],
                &canceled["data"]["object"]["status"]
            ),
            (&json!(live.id.as_str()), &json!("canceled"))
        );
        // The one already canceled is left as it was: one `.deleted` each.
        let all = Subscription::list(
            client,
            &ListSubscriptions {
                status: Some("canceled".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(all.data.len(), 2);
    });
}

#[test]
fn a_trial_will_end_is_announced_three_days_before_once() {
    let emulator = new_emulator();
    let client = emulator.client("sk_test_123").unwrap();
    let customer = Customer::create(&client, &CreateCustomer::default()).unwrap();
    let price = monthly(&client, 900);
    let trial = |days| CreateSubscription {
        trial_period_days: Some(days),
        ..subscribe(&customer, &price)
    };
    let announced = || {
        let params = ListEvents {
            type_: Some("customer.subscription.trial_will_end".into()),
            ..ListEvents::default()
        };
        let events = Event::list(&client, &params).unwrap().data;
        let ids: Vec<String> = events
            .iter()
            .map(|e| e.data.object["id"].as_str().unwrap().to_owned())
            .collect();
        ids
    };
    // A trial of a day is announced at once; one of a week three days before its end.
    let short = Subscription::create(&client, &trial(1)).unwrap();
    assert_eq!(announced(), [short.id.as_str()]);
    let week = Subscription::create(&client, &trial(7)).unwrap();
    emulator.advance(4 * 24 * 60 * 60 - 60);
    assert_eq!(announced().len(), 1, "not yet");
    emulator.advance(60);
    assert_eq!(announced(), [week.id.as_str(), short.id.as_str()]);
    emulator.advance(24 * 60 * 60);
    assert_eq!(announced().len(), 2, "once");
}

#[test]
fn lists_filter_by_type_group_types_created_and_delivery() {
    on_both_paths(|setup| {
        let client = &setup.client;
        let coupon = Coupon::create(
            client,
            &CreateCoupon {
                percent_off: Some(10.0),
                ..Default::default()
            },
        )
        .unwrap();
        let customer = Customer::create(
            client,
            &CreateCustomer {
                coupon: Some(coupon.id.as_str().into()),
                ..Default::default()
            },
        )
        .unwrap();
        Customer::update(
            client,
            &customer.id,
            &UpdateCustomer {
                name: Some("Jenny".into()),
                ..Default::default()
            },
        )
        .unwrap();
        PaymentIntent::create(client, &CreatePaymentIntent::new(100, "usd")).unwrap();
        let types = |query: Value| -> Vec<String> {
            setup
                .events(query)
                .iter()
                .map(|e| e["type"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(
            types(json!({"type": "customer.*"})),
            [
                "customer.updated",
                "customer.discount.created",
                "customer.created"
            ]
        );
        assert_eq!(
            types(json!({"type": "customer.discount.*"})),
            ["customer.discount.created"]
        );
        assert_eq!(
            types(json!({"type": "customer.created"})),
            ["customer.created"]
        );
        assert_eq!(types(json!({"type": "*"})).len(), 5);
        assert_eq!(
            types(json!({"types": ["coupon.created", "payment_intent.created"]})),
            ["payment_intent.created", "coupon.created"]
        );
        let error = client
            .request::<Value, _>(
                Method::Get,
                "/v1/events",
                &json!({"type": "customer.created", "types": ["coupon.created"]}),
            )
            .unwrap_err();
        assert_eq!(error.status(), Some(400), "{error}");

        // No webhooks to deliver: every event was delivered to every (no) endpoint.
        assert_eq!(types(json!({"delivery_success": true})).len(), 5);
        assert!(types(json!({"delivery_success": false})).is_empty());

        // `created`, and Stripe's cursors.
        let now = setup.emulator.now();
        assert!(types(json!({"created": {"gt": now}})).is_empty());
        assert_eq!(types(json!({"created": {"lte": now}})).len(), 5);
        let all = setup.events(json!({}));
        let page = setup.events(json!({"limit": 2, "starting_after": all[1]["id"]}));
        assert_eq!(page, all[2..4]);
        let page = setup.events(json!({"limit": 2, "ending_before": all[4]["id"]}));
        assert_eq!(page, all[2..4]);

        let missing = client
            .request::<Value, _>(Method::Get, "/v1/events/evt_missing", &json!({}))
            .unwrap_err();
        assert_eq!(
            (missing.status(), missing.code()),
            (Some(404), Some("resource_missing"))
        );
    });
}

#[test]
fn the_events_kept_are_capped_oldest_dropped_first() {
    assert_eq!(Emulator::DEFAULT_EVENT_CAPACITY, 10_000);
    let setup_emulator = new_emulator();
    let client = setup_emulator.client("sk_test_123").unwrap();
    setup_emulator.set_event_capacity(3);
    let customers: Vec<Customer> = (0..5)
        .map(|_| Customer::create(&client, &CreateCustomer::default()).unwrap())
        .collect();
    let page: Value = client
        .request(Method::Get, "/v1/events", &json!({}))
        .unwrap();
    let shown: Vec<&Value> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["data"]["object"]["id"])
        .collect();
    let newest: Vec<Value> = customers[2..]
        .iter()
        .rev()
        .map(|c| json!(c.id.as_str()))
        .collect();
    assert_eq!(shown, newest.iter().collect::<Vec<_>>());
    assert_eq!(setup_emulator.usage().events, 3);
    setup_emulator.set_event_capacity(1);
    assert_eq!(setup_emulator.usage().events, 1);
    setup_emulator.set_event_capacity(0);
    Customer::create(&client, &CreateCustomer::default()).unwrap();
    assert_eq!(setup_emulator.usage().events, 0);
}

/// An application's own resource: Stripe has no `ticket.*` event, so it emits none, and a hook
/// that names an event Stripe does not have is the emulator's 500, with nothing stored.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(object = "ticket", path = "/v1/tickets", prefix = "tkt", create = CreateTicket)]
pub struct Ticket {
    pub id: TicketId,
    pub object: String,
    pub created: i64,
    pub subject: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateTicket {
    pub subject: Option<String>,
}

impl Emulate for Ticket {
    fn routes(routes: &mut Routes<Self>) {
        routes.create();
    }

    fn on_create(ticket: &mut Object, _: &Object, context: &Context<'_>) -> Result<(), Rejection> {
        if ticket.get("subject") == Some(&json!("announce")) {
            context.emit("ticket.announced")?;
        }
        Ok(())
    }
}

#[test]
fn hooks_emit_only_the_event_types_stripe_has() {
    let emulator = new_emulator();
    emulator.register::<Ticket>();
    let client = emulator.client("sk_test_123").unwrap();
    let quiet = CreateTicket {
        subject: Some("hello".into()),
    };
    Ticket::create(&client, &quiet).unwrap();
    let loud = CreateTicket {
        subject: Some("announce".into()),
    };
    let error = Ticket::create(&client, &loud).unwrap_err();
    assert_eq!((error.kind(), error.status()), (ErrorKind::Api, Some(500)));
    assert!(
        error.message().unwrap().contains("ticket.announced"),
        "{error}"
    );
    assert_eq!(emulator.usage().events, 0);
    assert!(resource_emulator::is_event_type("customer.created"));
    assert!(!resource_emulator::is_event_type("ticket.created"));
    assert_eq!(resource_emulator::EVENT_TYPES.len(), 222);
}

/// An application's resource with a field only its create shows, whose events borrow Stripe's
/// `customer.*` names so that they are emitted.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "vault",
    path = "/v1/vaults",
    prefix = "vlt",
    create = VaultParams,
    retrieve,
    update = VaultParams
)]
pub struct Vault {
    pub id: VaultId,
    pub object: String,
    pub created: i64,
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct VaultParams {
    pub name: Option<String>,
}

impl Emulate for Vault {
    fn routes(routes: &mut Routes<Self>) {
        routes.create().retrieve().update();
    }

    fn event_prefix() -> Option<&'static str> {
        Some("customer")
    }

    fn secret_fields() -> &'static [&'static str] {
        &["secret"]
    }

    fn on_create(vault: &mut Object, _: &Object, context: &Context<'_>) -> Result<(), Rejection> {
        vault.insert("secret".into(), format!("vs_{}", context.token(16)).into());
        Ok(())
    }
}

#[test]
fn a_field_only_the_create_shows_is_in_no_other_answer_nor_event() {
    let emulator = new_emulator();
    emulator.register::<Vault>();
    let client = emulator.client("sk_test_123").unwrap();
    let named = |name: &str| VaultParams {
        name: Some(name.into()),
    };
    let vault = Vault::create(&client, &named("first")).unwrap();
    let secret = vault.secret.clone().unwrap();
    assert_eq!(Vault::retrieve(&client, &vault.id).unwrap().secret, None);
    assert_eq!(
        Vault::update(&client, &vault.id, &named("second"))
            .unwrap()
            .secret,
        None
    );
    let events = Event::list(&client, &ListEvents::default()).unwrap();
    let types: Vec<&str> = events.data.iter().map(|e| e.type_.as_str()).collect();
    assert_eq!(types, ["customer.updated", "customer.created"]);
    for event in &events.data {
        let json = serde_json::to_string(event).unwrap();
        assert!(!json.contains(&secret), "{json}");
    }
    assert_eq!(
        events.data[0].data.previous_attributes,
        Some(serde_json::from_value(json!({"name": "first"})).unwrap())
    );
}

/// An application's resource that ends on the clock, whose events borrow Stripe's
/// `customer.*` names so that they are emitted.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "lease",
    path = "/v1/leases",
    prefix = "lse",
    create = LeaseParams
)]
pub struct Lease {
    pub id: LeaseId,
    pub object: String,
    pub created: i64,
    pub ends_at: i64,
    pub status: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LeaseParams {
    pub ends_at: i64,
}

impl Emulate for Lease {
    fn routes(routes: &mut Routes<Self>) {
        routes.create();
    }

    fn event_prefix() -> Option<&'static str> {
        Some("customer")
    }

    fn on_show(lease: &Object, context: &Context<'_>) -> Object {
        let ended = lease["ends_at"]
            .as_i64()
            .is_some_and(|at| at <= context.now());
        let status = if ended { "ended" } else { "active" };
        Object::from_iter([("status".to_owned(), status.into())])
    }
}

#[test]
fn time_passing_on_its_own_emits_at_the_next_request() {
    let emulator = new_emulator();
    emulator.register::<Lease>();
    let client = emulator.client("sk_test_123").unwrap();
    let ends_at = emulator.now() + 1;
    let lease = Lease::create(&client, &LeaseParams { ends_at }).unwrap();
    assert_eq!(lease.status.as_deref(), Some("active"));
    while emulator.now() <= ends_at {
        std::thread::sleep(Duration::from_millis(50));
    }
    // No request yet: nothing recorded. The next request that changes something stores what
    // the time changed first, and emits it as caused by no request.
    let updates = || {
        let params = ListEvents {
            type_: Some("customer.updated".into()),
            ..ListEvents::default()
        };
        Event::list(&client, &params).unwrap().data
    };
    assert!(updates().is_empty());
    Lease::create(
        &client,
        &LeaseParams {
            ends_at: ends_at + 3600,
        },
    )
    .unwrap();
    let ended = updates();
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].data.object["id"], json!(lease.id.as_str()));
    assert_eq!(ended[0].data.object["status"], json!("ended"));
    assert_eq!(ended[0].request.as_ref().and_then(|r| r.id.clone()), None);
}

#[test]
fn an_idle_server_emits_what_time_changes_within_a_second() {
    let emulator = new_emulator();
    emulator.register::<Lease>();
    let (_server, client) = tests::served(&emulator);
    let ends_at = emulator.now() + 1;
    let lease = Lease::create(&client, &LeaseParams { ends_at }).unwrap();
    // Only reads from here: the server's own clock thread stores the change.
    let params = ListEvents {
        type_: Some("customer.updated".into()),
        ..ListEvents::default()
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let ended = loop {
        let events = Event::list(&client, &params).unwrap().data;
        if !events.is_empty() || std::time::Instant::now() > deadline {
            break events;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(ended.len(), 1, "no event within 10 s");
    assert_eq!(ended[0].data.object["id"], json!(lease.id.as_str()));
}
