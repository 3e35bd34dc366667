//! The emulator delivers its events as Stripe does (issue 13): signed `POST`s an application
//! verifies with `Webhook::construct_event`, to every enabled endpoint that wants them and to a
//! forwarding URL; retried on the emulator's clock when the endpoint fails, given up after the
//! last retry; never in the way of a request. The receivers are servers on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test code")]

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use common_resources::{CreateCustomer, CreatePaymentIntent, Customer, PaymentIntent};
use resource_core::{Client, CreateWebhookEndpoint, Event, ListEvents, Webhook, WebhookEndpoint};
use resource_emulator::Emulator;
use tests::{Recorded, RecordingServer, Reply};

fn emulator() -> (Emulator, Client) {
    let emulator = Emulator::new();
    common_resources::emulator::register(&emulator);
    let client = emulator.client("sk_test_123").unwrap();
    (emulator, client)
}

/// A receiver answering the status in `status` (200 unless changed).
fn receiver() -> (RecordingServer, Arc<AtomicU16>) {
    let status = Arc::new(AtomicU16::new(200));
    let answer = Arc::clone(&status);
    let server = RecordingServer::start(move |_| {
        Reply::json(answer.load(Ordering::SeqCst), &serde_json::json!({}))
    });
    (server, status)
}

fn customer(client: &Client, email: &str) -> Customer {
    let params = CreateCustomer {
        email: Some(email.into()),
        ..Default::default()
    };
    Customer::create(client, &params).unwrap()
}

/// The events delivered to `server`, verified with `secret`.
fn verified(server: &RecordingServer, secret: &str) -> Vec<Event> {
    server
        .requests()
        .iter()
        .map(|delivery| {
            let signature = delivery.header("Stripe-Signature").unwrap_or_default();
            Webhook::construct_event(&delivery.body, signature, secret).unwrap()
        })
        .collect()
}

fn types(events: &[Event]) -> Vec<&str> {
    events.iter().map(|event| event.type_.as_str()).collect()
}

/// Waits (up to 10 s) until `server` has received `count` requests.
fn received(server: &RecordingServer, count: usize) -> Vec<Recorded> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let requests = server.requests();
        if requests.len() >= count || Instant::now() > deadline {
            return requests;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn pending(client: &Client, event: &Event) -> i64 {
    Event::retrieve(client, &event.id).unwrap().pending_webhooks
}

#[test]
fn an_endpoint_receives_signed_events_of_the_types_it_wants() {
    let (emulator, client) = emulator();
    let (server, _) = receiver();
    let url = format!("{}/stripe/webhook", server.base_url());
    let create = CreateWebhookEndpoint::new(&url, ["customer.created", "payment_intent.succeeded"]);
    let endpoint = WebhookEndpoint::create(&client, &create).unwrap();
    let secret = endpoint.secret.clone().unwrap();
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert_eq!(endpoint.status, "enabled");

    let jenny = customer(&client, "jenny@example.com");
    let paid = PaymentIntent::create(
        &client,
        &CreatePaymentIntent {
            confirm: Some(true),
            payment_method: Some("pm_card_visa".into()),
            ..CreatePaymentIntent::new(2000, "usd")
        },
    )
    .unwrap();
    assert_eq!(paid.status, "succeeded");
    emulator.flush_webhooks();

    let delivered = verified(&server, &secret);
    let mut kinds = types(&delivered);
    kinds.sort_unstable();
    assert_eq!(kinds, ["customer.created", "payment_intent.succeeded"]);
    let created = delivered
        .iter()
        .find(|event| event.type_ == "customer.created")
        .unwrap();
    assert_eq!(created.data.object_as::<Customer>().unwrap(), jenny);
    assert!(created.request.as_ref().unwrap().id.is_some());

    // Stripe's request: a JSON `POST` to the endpoint's path, the event as listed.
    let request = &server.requests()[0];
    assert_eq!(
        (request.method.as_str(), request.path()),
        ("POST", "/stripe/webhook")
    );
    assert_eq!(
        request.header("Content-Type"),
        Some("application/json; charset=utf-8")
    );
    assert!(
        request
            .header("User-Agent")
            .unwrap()
            .starts_with("Stripe/1.0")
    );
    let signature = request.header("Stripe-Signature").unwrap();
    assert!(
        signature.starts_with("t=") && signature.contains(",v1="),
        "{signature}"
    );
    let wrong = Webhook::construct_event(&request.body, signature, "whsec_wrong").unwrap_err();
    assert_eq!(
        wrong.kind(),
        resource_core::ErrorKind::SignatureVerification
    );

    // Delivered: none pending, and listed as delivered.
    assert_eq!(pending(&client, created), 0);
    let listed = Event::list(
        &client,
        &ListEvents {
            delivery_success: Some(true),
            type_: Some("customer.created".into()),
            ..ListEvents::default()
        },
    )
    .unwrap();
    assert_eq!(listed.data.len(), 1);
    assert_eq!(listed.data[0].id, created.id);
    assert_eq!(emulator.usage().webhooks.delivered, 2);

    // The secret is the create's alone: no other answer shows it.
    let again = WebhookEndpoint::retrieve(&client, &endpoint.id).unwrap();
    assert_eq!(again.secret, None);
    let page = WebhookEndpoint::list(&client, &Default::default()).unwrap();
    assert_eq!(page.data[0].secret, None);
}

#[test]
fn a_failing_endpoint_is_retried_on_the_clock_then_delivered() {
    let (emulator, client) = emulator();
    let (server, status) = receiver();
    status.store(500, Ordering::SeqCst);
    let create = CreateWebhookEndpoint::new(format!("{}/hook", server.base_url()), ["*"]);
    let secret = WebhookEndpoint::create(&client, &create)
        .unwrap()
        .secret
        .unwrap();
    customer(&client, "retry@example.com");
    emulator.flush_webhooks();
    let first = verified(&server, &secret);
    assert_eq!(types(&first), ["customer.created"]);
    assert_eq!(pending(&client, &first[0]), 1);
    let failing = Event::list(
        &client,
        &ListEvents {
            delivery_success: Some(false),
            ..ListEvents::default()
        },
    )
    .unwrap();
    assert_eq!(failing.data.len(), 1);

    // The retry waits for the clock: a minute later on it, the same event comes again.
    status.store(200, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(server.requests().len(), 1, "retried before its time");
    emulator.advance(60);
    let requests = received(&server, 2);
    assert_eq!(requests.len(), 2);
    let retried = verified(&server, &secret);
    assert_eq!(retried[1].id, first[0].id);
    emulator.flush_webhooks();
    assert_eq!(pending(&client, &first[0]), 0);
    let usage = emulator.usage().webhooks;
    assert_eq!((usage.delivered, usage.queued), (1, 0));
}

#[test]
fn an_endpoint_that_keeps_failing_is_given_up_after_three_retries() {
    let (emulator, client) = emulator();
    let (server, status) = receiver();
    status.store(503, Ordering::SeqCst);
    let create = CreateWebhookEndpoint::new(server.base_url(), ["customer.created"]);
    WebhookEndpoint::create(&client, &create).unwrap();
    customer(&client, "gone@example.com");
    emulator.flush_webhooks();
    for retry_after in [60, 600, 3600, 86_400] {
        emulator.advance(retry_after);
        emulator.flush_webhooks();
    }
    assert_eq!(
        server.requests().len(),
        4,
        "the first attempt and three retries"
    );
    let usage = emulator.usage().webhooks;
    assert_eq!((usage.given_up, usage.queued), (1, 0));
    // Never delivered: it stays pending, as on Stripe.
    let event = &Event::list(&client, &ListEvents::default()).unwrap().data[0];
    assert_eq!(pending(&client, event), 1);
}

#[test]
fn a_stalled_endpoint_never_holds_up_requests() {
    let (emulator, client) = emulator();
    let (release, held) = mpsc::channel::<()>();
    let held = Mutex::new(held);
    let server = RecordingServer::start(move |_| {
        // Holds every delivery until the test lets it go (or 30 s pass).
        let _ = held.lock().unwrap().recv_timeout(Duration::from_secs(30));
        Reply::json(200, &serde_json::json!({}))
    });
    let create = CreateWebhookEndpoint::new(server.base_url(), ["customer.created"]);
    let secret = WebhookEndpoint::create(&client, &create)
        .unwrap()
        .secret
        .unwrap();
    let first = customer(&client, "first@example.com");
    // While that delivery is held, requests go on.
    for i in 0..20 {
        customer(&client, &format!("c{i}@example.com"));
        Customer::retrieve(&client, &first.id).unwrap();
    }
    assert!(
        server.requests().is_empty(),
        "the first delivery is still held"
    );
    for _ in 0..21 {
        release.send(()).unwrap();
    }
    emulator.flush_webhooks();
    assert_eq!(verified(&server, &secret).len(), 21);
}

#[test]
fn every_event_goes_to_the_forwarding_url_over_http() {
    let emulator = Emulator::new();
    common_resources::emulator::register(&emulator);
    let (_server, client) = tests::served(&emulator);
    let (receiver, _) = receiver();
    let secret = emulator.forward_events_to(format!("{}/forwarded", receiver.base_url()));
    let jenny = customer(&client, "jenny@example.com");
    let params = common_resources::UpdateCustomer {
        name: Some("Jenny Rosen".into()),
        ..Default::default()
    };
    Customer::update(&client, &jenny.id, &params).unwrap();
    emulator.flush_webhooks();
    // Delivered in any order, as Stripe promises none.
    let mut delivered = verified(&receiver, &secret);
    delivered.sort_by(|a, b| a.type_.cmp(&b.type_));
    assert_eq!(types(&delivered), ["customer.created", "customer.updated"]);
    let previous = delivered[1].data.previous_attributes.as_ref().unwrap();
    assert_eq!(previous["name"], serde_json::Value::Null);
}

#[test]
fn endpoints_are_checked_and_a_disabled_one_receives_nothing() {
    let (emulator, client) = emulator();
    let (server, _) = receiver();
    let bad = WebhookEndpoint::create(
        &client,
        &CreateWebhookEndpoint::new(server.base_url(), ["customer.exploded"]),
    )
    .unwrap_err();
    assert_eq!(
        (bad.status(), bad.param()),
        (Some(400), Some("enabled_events[0]"))
    );
    let bad = WebhookEndpoint::create(
        &client,
        &CreateWebhookEndpoint::new("ftp://example.com", ["*"]),
    )
    .unwrap_err();
    assert_eq!((bad.status(), bad.param()), (Some(400), Some("url")));

    let endpoint = WebhookEndpoint::create(
        &client,
        &CreateWebhookEndpoint::new(server.base_url(), ["*"]),
    )
    .unwrap();
    let disable = resource_core::UpdateWebhookEndpoint {
        disabled: Some(true),
        ..Default::default()
    };
    let disabled = WebhookEndpoint::update(&client, &endpoint.id, &disable).unwrap();
    assert_eq!(
        (disabled.status.as_str(), disabled.enabled_events.as_slice()),
        ("disabled", ["*".to_owned()].as_slice())
    );
    customer(&client, "quiet@example.com");
    emulator.flush_webhooks();
    assert!(server.requests().is_empty());
    let event = &Event::list(&client, &ListEvents::default()).unwrap().data[0];
    assert_eq!(event.pending_webhooks, 0);
}

/// A `POST` of a form to one of the emulator's controls over HTTP: the JSON answer.
fn control(base: &str, path: &str, form: &str) -> serde_json::Value {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut answer = agent
        .post(&format!("{base}{path}"))
        .header("Authorization", "Bearer sk_test_123")
        .content_type("application/x-www-form-urlencoded")
        .send(form)
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200, "{path}");
    let body = answer.body_mut().read_to_vec().unwrap();
    serde_json::from_slice(&body).unwrap()
}

#[test]
fn over_http_a_test_suite_in_any_language_flushes_and_moves_the_clock() {
    let emulator = Emulator::new();
    common_resources::emulator::register(&emulator);
    let (server, client) = tests::served(&emulator);
    let (receiver, status) = receiver();
    status.store(500, Ordering::SeqCst);
    let create = CreateWebhookEndpoint::new(receiver.base_url(), ["customer.created"]);
    WebhookEndpoint::create(&client, &create).unwrap();
    customer(&client, "any-language@example.com");

    let counts = control(server.url(), "/_emulator/webhooks/flush", "");
    assert_eq!(
        (&counts["queued"], &counts["delivered"]),
        (&serde_json::json!(1), &serde_json::json!(0))
    );
    status.store(200, Ordering::SeqCst);
    let before = emulator.now();
    let clock = control(server.url(), "/_emulator/clock/advance", "seconds=60");
    assert!(clock["now"].as_i64().unwrap() >= before + 60);
    let counts = control(server.url(), "/_emulator/webhooks/flush", "");
    assert_eq!(
        (&counts["queued"], &counts["delivered"]),
        (&serde_json::json!(0), &serde_json::json!(1))
    );
    assert_eq!(receiver.requests().len(), 2);
}

#[test]
fn an_endpoint_gets_events_in_the_api_version_it_asked_for() {
    let (emulator, client) = emulator();
    let (pinned, _) = receiver();
    let (default, _) = receiver();
    let mut create = CreateWebhookEndpoint::new(pinned.base_url(), ["customer.created"]);
    create.api_version = Some("2024-06-20".into());
    let pinned_secret = WebhookEndpoint::create(&client, &create)
        .unwrap()
        .secret
        .unwrap();
    let create = CreateWebhookEndpoint::new(default.base_url(), ["customer.created"]);
    let default_secret = WebhookEndpoint::create(&client, &create)
        .unwrap()
        .secret
        .unwrap();
    customer(&client, "versions@example.com");
    emulator.flush_webhooks();
    let version =
        |server: &RecordingServer, secret: &str| verified(server, secret)[0].api_version.clone();
    assert_eq!(
        version(&pinned, &pinned_secret).as_deref(),
        Some("2024-06-20")
    );
    assert_eq!(
        version(&default, &default_secret).as_deref(),
        Some(resource_core::DEFAULT_API_VERSION)
    );
    // The event as listed is the request's, whatever the endpoints asked for.
    let listed = &Event::list(&client, &ListEvents::default()).unwrap().data[0];
    assert_eq!(
        listed.api_version.as_deref(),
        Some(resource_core::DEFAULT_API_VERSION)
    );
    assert_eq!(listed.pending_webhooks, 0);
}
