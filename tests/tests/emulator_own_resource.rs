//! The README's own-resource example, run as written: an application declares a resource with an
//! action and a search, and a collection nested under it; the emulator serves all of it from
//! the declarations plus one hook, in process and over HTTP, with Stripe's errors.
#![allow(
    clippy::unwrap_used,
    missing_docs,
    reason = "test code and a test-only resource"
)]

// README: the emulator, "Your own resources".
use resource_core::{Client, ErrorKind, Metadata, MetadataParam, SearchParams, StripeResource};
use resource_emulator::{Context, Emulate, Emulator, Object, Rejection, Routes};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "ticket",
    path = "/v1/tickets",
    prefix = "tkt",
    create = CreateTicket,
    retrieve,
    list = ListTickets,
    search,
    action(close, post = "{id}/close", params = CloseTicket),
)]
pub struct Ticket {
    pub id: TicketId,
    pub object: String,
    pub created: i64,
    pub subject: Option<String>,
    pub status: Option<String>,
    pub close_reason: Option<String>,
    #[serde(default)]
    pub metadata: Metadata,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "ticket_comment",
    path = "/v1/tickets/{ticket}/comments",
    parents(ticket = TicketId),
    prefix = "tcm",
    create = CreateComment,
    list = ListComments,
)]
pub struct TicketComment {
    pub id: TicketCommentId,
    pub object: String,
    pub created: i64,
    pub ticket: String,
    pub body: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateTicket {
    pub subject: Option<String>,
    pub metadata: MetadataParam,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListTickets {
    pub status: Option<String>,
    pub limit: Option<u32>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CloseTicket {
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct CreateComment {
    pub body: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListComments {
    pub limit: Option<u32>,
}

impl Emulate for Ticket {
    fn routes(routes: &mut Routes<Self>) {
        routes
            .create()
            .retrieve()
            .list()
            .search()
            .action::<CloseTicket>("close", close);
    }

    fn on_create(ticket: &mut Object, _params: &Object, _: &Context<'_>) -> Result<(), Rejection> {
        ticket.insert("status".into(), "open".into());
        Ok(())
    }
}

/// The state machine's one step: `open` -> `closed`, and Stripe's kind of error otherwise.
fn close(ticket: &mut Object, params: &Object, _: &Context<'_>) -> Result<(), Rejection> {
    if ticket.get("status") == Some(&"closed".into()) {
        return Err(Rejection::invalid_request("This ticket is already closed.")
            .code("ticket_unexpected_state"));
    }
    ticket.insert("status".into(), "closed".into());
    let reason = params.get("reason").cloned().unwrap_or_default();
    ticket.insert("close_reason".into(), reason);
    Ok(())
}

impl Emulate for TicketComment {
    fn routes(routes: &mut Routes<Self>) {
        routes.create().list();
    }
}

fn emulator() -> Emulator {
    let emulator = Emulator::new();
    emulator.register::<Ticket>().register::<TicketComment>();
    emulator
}
// End of the README's example.

fn comment(body: &str) -> CreateComment {
    CreateComment { body: body.into() }
}

fn own_resource(client: &Client) {
    let printer = CreateTicket {
        subject: Some("The printer is on fire".into()),
        metadata: [("floor", "3")].into_iter().collect(),
    };
    let ticket = Ticket::create(client, &printer).unwrap();
    let other = Ticket::create(client, &CreateTicket::default()).unwrap();

    // The nested collection: scoped to its parent, the child carrying the parent's id.
    let first = TicketComment::create(client, &ticket.id, &comment("Smoke seen")).unwrap();
    assert_eq!(first.ticket, ticket.id.as_str());
    assert!(first.id.as_str().starts_with("tcm_"));
    TicketComment::create(client, &ticket.id, &comment("Extinguished")).unwrap();
    TicketComment::create(client, &other.id, &comment("Unrelated")).unwrap();
    let comments = TicketComment::list(client, &ticket.id, &ListComments::default()).unwrap();
    let bodies: Vec<_> = comments.data.iter().map(|c| c.body.as_str()).collect();
    assert_eq!(bodies, ["Extinguished", "Smoke seen"]);
    assert_eq!(comments.url, format!("/v1/tickets/{}/comments", ticket.id));
    let all: Vec<_> = TicketComment::paginate(client, &ticket.id, &ListComments { limit: Some(1) })
        .map(|c| c.unwrap().body)
        .collect();
    assert_eq!(all, ["Extinguished", "Smoke seen"]);
    let missing = "tkt_missing".parse().unwrap();
    let error = TicketComment::create(client, &missing, &comment("?")).unwrap_err();
    assert_eq!(
        (error.status(), error.message(), error.param()),
        (
            Some(404),
            Some("No such ticket: 'tkt_missing'"),
            Some("ticket")
        )
    );
    let missing_body: Result<TicketComment, _> = client.call(
        &resource_core::Operation::new(
            "create",
            resource_core::Method::Post,
            "/v1/tickets/{ticket}/comments",
        ),
        &[ticket.id.as_str()],
        &std::collections::BTreeMap::<&str, &str>::new(),
    );
    assert_eq!(missing_body.unwrap_err().code(), Some("parameter_missing"));

    // The search: the subset of Stripe's query language.
    let query = SearchParams::new("metadata['floor']:'3' AND status:'open'");
    let found = Ticket::search(client, &query).unwrap();
    let ids: Vec<_> = found.data.iter().map(|t| &t.id).collect();
    assert_eq!(ids, [&ticket.id]);
    let error = Ticket::search(client, &SearchParams::new("subject:")).unwrap_err();
    assert_eq!((error.status(), error.param()), (Some(400), Some("query")));
    close_twice(client, &ticket);
    let closed = ListTickets {
        status: Some("closed".into()),
        ..Default::default()
    };
    let listed = Ticket::list(client, &closed).unwrap();
    assert_eq!(listed.data.len(), 1);
}

fn close_twice(client: &Client, ticket: &Ticket) {
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
    let unknown = unknown.unwrap_err();
    assert_eq!(
        (unknown.param(), unknown.code()),
        (Some("colour"), Some("parameter_unknown"))
    );
}

#[test]
fn served_in_process() {
    own_resource(&emulator().client("sk_test_123").unwrap());
}

#[test]
fn served_over_http() {
    let emulator = emulator();
    let (_server, client) = tests::served(&emulator);
    own_resource(&client);
    // A path no declaration has is Stripe's 404.
    let unrouted: Result<Value, _> = client.request(
        resource_core::Method::Post,
        "/v1/tickets/tkt_1/reopen",
        &CreateTicket::default(),
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
