//! An action is one declaration plus one hook: the emulator serves it from the declaration's
//! path template, in process and over HTTP, with Stripe's errors when the hook refuses.
#![allow(
    clippy::unwrap_used,
    missing_docs,
    reason = "test code and a test-only resource"
)]

use resource_core::{Client, ErrorKind, StripeResource};
use resource_emulator::{Emulate, Emulator, Rejection, Routes};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "ticket",
    path = "/v1/tickets",
    prefix = "tkt",
    create = CreateTicket,
    retrieve,
    action(close, post = "{id}/close", params = CloseTicket),
)]
pub struct Ticket {
    pub id: TicketId,
    pub object: String,
    pub created: i64,
    pub status: Option<String>,
    pub close_reason: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateTicket {}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CloseTicket {
    pub reason: Option<String>,
}

impl Emulate for Ticket {
    fn routes(routes: &mut Routes<Self>) {
        routes
            .create()
            .retrieve()
            .action::<CloseTicket>("close", |ticket, params, _| {
                if ticket.get("status").and_then(Value::as_str) == Some("closed") {
                    return Err(Rejection::invalid_request("This ticket is already closed.")
                        .code("ticket_unexpected_state"));
                }
                ticket.insert("status".into(), "closed".into());
                ticket.insert(
                    "close_reason".into(),
                    params.get("reason").cloned().unwrap_or(Value::Null),
                );
                Ok(())
            });
    }

    fn on_create(
        object: &mut resource_emulator::Object,
        _: &resource_emulator::Object,
        _: &resource_emulator::Context<'_>,
    ) -> Result<(), Rejection> {
        object.insert("status".into(), "open".into());
        Ok(())
    }
}

fn close_twice(client: &Client) {
    let ticket = Ticket::create(client, &CreateTicket {}).unwrap();
    assert_eq!(ticket.status.as_deref(), Some("open"));
    let closed = Ticket::close(
        client,
        &ticket.id,
        &CloseTicket {
            reason: Some("solved".into()),
        },
    )
    .unwrap();
    assert_eq!(
        (closed.status.as_deref(), closed.close_reason.as_deref()),
        (Some("closed"), Some("solved"))
    );
    // Stored: a retrieve sees it closed.
    assert_eq!(Ticket::retrieve(client, &ticket.id).unwrap(), closed);
    // The hook's refusal is Stripe's error.
    let again = Ticket::close(client, &ticket.id, &CloseTicket::default()).unwrap_err();
    assert_eq!(again.kind(), ErrorKind::InvalidRequest);
    assert_eq!(
        (again.status(), again.code()),
        (Some(400), Some("ticket_unexpected_state"))
    );
    // An unknown object is Stripe's 404; an unknown parameter Stripe's 400.
    let missing = Ticket::close(
        client,
        &"tkt_missing".parse().unwrap(),
        &CloseTicket::default(),
    )
    .unwrap_err();
    assert_eq!(missing.status(), Some(404));
    let unknown: Result<Ticket, _> = client.call(
        &resource_core::Operation::new(
            "close",
            resource_core::Method::Post,
            "/v1/tickets/{id}/close",
        ),
        &[ticket.id.as_str()],
        &std::collections::BTreeMap::from([("colour", "red")]),
    );
    assert_eq!(unknown.unwrap_err().param(), Some("colour"));
}

#[test]
fn an_action_is_served_in_process() {
    let emulator = Emulator::new();
    emulator.register::<Ticket>();
    close_twice(&emulator.client("sk_test_123").unwrap());
}

#[test]
fn an_action_is_served_over_http() {
    let emulator = Emulator::new();
    emulator.register::<Ticket>();
    let (_server, client) = tests::served(&emulator);
    close_twice(&client);
    // A path no declaration has is Stripe's 404.
    let unrouted: Result<Value, _> = client.request(
        resource_core::Method::Post,
        "/v1/tickets/tkt_1/reopen",
        &CreateTicket {},
    );
    let error = unrouted.unwrap_err();
    assert_eq!(error.status(), Some(404));
    assert!(
        error
            .message()
            .unwrap_or_default()
            .starts_with("Unrecognized request URL (POST: /v1/tickets/tkt_1/reopen)")
    );
}
