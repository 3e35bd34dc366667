//! A second resource, declared only here, shows the derive is not File-Links-specific: a
//! customer-like object with all five operations, over an in-process transport and against the
//! emulator, with nothing added to resource-core, resource-derive or resource-emulator.
#![allow(missing_docs, reason = "a test-only resource")]

use resource_core::{Client, Deleted, ErrorKind, Metadata, MetadataParam, Method, StripeResource};
use resource_emulator::{Emulate, Emulator, Routes};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tests::{InProcess, decode_form, json_response};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "customer",
    path = "/v1/customers",
    prefix = "cus",
    create = CreateCustomer,
    retrieve,
    update = UpdateCustomer,
    delete,
    list = ListCustomers,
)]
pub struct Customer {
    pub id: CustomerId,
    pub object: String,
    pub created: i64,
    pub email: Option<String>,
    pub metadata: Metadata,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct CreateCustomer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default)]
    pub metadata: MetadataParam,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct UpdateCustomer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ListCustomers {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starting_after: Option<String>,
}

/// All the emulator needs: which operations to serve. The declaration gives the rest.
impl Emulate for Customer {
    fn routes(routes: &mut Routes<Self>) {
        routes.create().retrieve().update().delete().list();
    }
}

fn customer(id: &str) -> serde_json::Value {
    json!({"id": id, "object": "customer", "created": 1_700_000_000, "email": "jenny@example.com", "metadata": {}})
}

/// A tiny customer store: enough server to exercise every operation.
fn store() -> InProcess {
    InProcess::new(|request| {
        let path = request.url.trim_start_matches("https://api.stripe.com");
        match (request.method, path) {
            (Method::Post, "/v1/customers") => json_response(200, &customer("cus_new")),
            (Method::Get, "/v1/customers/cus_123") | (Method::Post, "/v1/customers/cus_123") => {
                json_response(200, &customer("cus_123"))
            }
            (Method::Delete, "/v1/customers/cus_123") => json_response(
                200,
                &json!({"id": "cus_123", "object": "customer", "deleted": true}),
            ),
            (Method::Get, "/v1/customers?limit=2") => json_response(
                200,
                &json!({"object": "list", "url": "/v1/customers", "has_more": true, "data": [customer("cus_3"), customer("cus_2")]}),
            ),
            (Method::Get, "/v1/customers?limit=2&starting_after=cus_2") => json_response(
                200,
                &json!({"object": "list", "url": "/v1/customers", "has_more": false, "data": [customer("cus_1")]}),
            ),
            _ => json_response(
                404,
                &json!({"error": {"type": "invalid_request_error", "code": "resource_missing", "message": format!("No such route: {path}")}}),
            ),
        }
    })
}

#[test]
fn the_declaration_drives_every_operation() {
    let transport = store();
    let client = Client::builder("sk_test_123")
        .transport(transport.clone())
        .build()
        .unwrap();
    assert_eq!(<Customer as StripeResource>::PATH, "/v1/customers");
    assert_eq!(<Customer as StripeResource>::OBJECT, "customer");

    let mut metadata = MetadataParam::new();
    metadata.set("tier", "gold");
    let created = Customer::create(
        &client,
        &CreateCustomer {
            email: Some("jenny@example.com".into()),
            metadata,
        },
    )
    .unwrap();
    assert_eq!(created.id, "cus_new");

    let id: CustomerId = "cus_123".parse().unwrap();
    assert_eq!(Customer::retrieve(&client, &id).unwrap().id, id);
    let updated = Customer::update(
        &client,
        &id,
        &UpdateCustomer {
            email: Some("j@example.com".into()),
        },
    )
    .unwrap();
    assert_eq!(updated.id, id);
    let deleted: Deleted<CustomerId> = Customer::delete(&client, &id).unwrap();
    assert_eq!(
        deleted,
        Deleted {
            id: id.clone(),
            object: "customer".into(),
            deleted: true
        }
    );

    let page = Customer::list(
        &client,
        &ListCustomers {
            limit: Some(2),
            ..ListCustomers::default()
        },
    )
    .unwrap();
    assert_eq!(page.data.len(), 2);
    let all: Vec<String> = Customer::paginate(
        &client,
        &ListCustomers {
            limit: Some(2),
            ..ListCustomers::default()
        },
    )
    .map(|c| c.unwrap().id.to_string())
    .collect();
    assert_eq!(all, ["cus_3", "cus_2", "cus_1"]);

    let requests = transport.requests();
    let create = &requests[0];
    assert_eq!(create.method, Method::Post);
    assert_eq!(
        decode_form(std::str::from_utf8(create.body.as_bytes().unwrap()).unwrap()),
        [
            ("email".to_owned(), "jenny@example.com".to_owned()),
            ("metadata[tier]".to_owned(), "gold".to_owned())
        ]
    );
    let delete = &requests[3];
    assert_eq!(
        (delete.method, delete.url.as_str()),
        (
            Method::Delete,
            "https://api.stripe.com/v1/customers/cus_123"
        )
    );
    assert!(delete.body.is_empty());
    assert_eq!(delete.header("Content-Type"), None);
    assert_eq!(
        delete.header("Idempotency-Key"),
        None,
        "v1 DELETE gets no generated key, as in the SDKs"
    );
}

#[test]
fn the_prefix_is_checked_when_parsing() {
    assert_eq!(
        "link_123".parse::<CustomerId>().unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        "cus_".parse::<CustomerId>().unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        "cus_a/b".parse::<CustomerId>().unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        "cus_a b".parse::<CustomerId>().unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    let too_long = format!("cus_{}", "a".repeat(252)); // 256 characters
    assert_eq!(
        too_long.parse::<CustomerId>().unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
    assert!(
        format!("cus_{}", "a".repeat(251))
            .parse::<CustomerId>()
            .is_ok()
    ); // 255
    assert_eq!(
        "cus_Abc_123".parse::<CustomerId>().unwrap().to_string(),
        "cus_Abc_123"
    );
}

#[test]
fn the_declaration_drives_the_emulator_too() {
    let emulator = Emulator::new();
    emulator.register::<Customer>();
    let client = emulator.client("sk_test_123").unwrap();

    let mut metadata = MetadataParam::new();
    metadata.set("tier", "gold");
    let jenny = Customer::create(
        &client,
        &CreateCustomer {
            email: Some("jenny@example.com".into()),
            metadata,
        },
    )
    .unwrap();
    assert!(jenny.id.as_str().starts_with("cus_"));
    assert_eq!(
        (jenny.object.as_str(), jenny.metadata.get("tier")),
        ("customer", Some("gold"))
    );
    let bob = Customer::create(
        &client,
        &CreateCustomer {
            email: Some("bob@example.com".into()),
            ..CreateCustomer::default()
        },
    )
    .unwrap();

    assert_eq!(Customer::retrieve(&client, &jenny.id).unwrap(), jenny);
    let moved = Customer::update(
        &client,
        &jenny.id,
        &UpdateCustomer {
            email: Some("j@example.com".into()),
        },
    )
    .unwrap();
    assert_eq!(moved.email.as_deref(), Some("j@example.com"));

    let by_email = Customer::list(
        &client,
        &ListCustomers {
            email: Some("bob@example.com".into()),
            ..ListCustomers::default()
        },
    )
    .unwrap();
    assert_eq!(by_email.data, std::slice::from_ref(&bob));
    let everyone: Vec<CustomerId> = Customer::paginate(
        &client,
        &ListCustomers {
            limit: Some(1),
            ..ListCustomers::default()
        },
    )
    .map(|c| c.unwrap().id)
    .collect();
    assert_eq!(everyone, [bob.id.clone(), jenny.id.clone()]);

    assert_eq!(
        Customer::delete(&client, &jenny.id).unwrap(),
        Deleted {
            id: jenny.id.clone(),
            object: "customer".into(),
            deleted: true
        }
    );
    let gone = Customer::retrieve(&client, &jenny.id).unwrap_err();
    assert_eq!(
        (gone.kind(), gone.status(), gone.code()),
        (
            ErrorKind::InvalidRequest,
            Some(404),
            Some("resource_missing")
        )
    );
    assert_eq!(
        gone.message(),
        Some(format!("No such customer: '{}'", jenny.id).as_str())
    );
    let unknown = client
        .request::<Customer, _>(
            Method::Post,
            "/v1/customers",
            &serde_json::json!({"nickname": "j"}),
        )
        .unwrap_err();
    assert_eq!(
        unknown.message(),
        Some("Received unknown parameter: nickname")
    );
}

/// A list whose params type declares no cursor: the paginator sends them all the same, and the
/// emulator, like Stripe, takes them on every list.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(object = "note", path = "/v1/notes", prefix = "note", create = CreateNote, list = ListNotes)]
pub struct Note {
    pub id: NoteId,
    pub object: String,
    pub created: i64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateNote {}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ListNotes {
    pub limit: Option<u32>,
    /// A filter on a field `Note` does not have.
    pub color: Option<String>,
}

impl Emulate for Note {
    fn routes(routes: &mut Routes<Self>) {
        routes.create().list();
    }
}

#[test]
fn a_list_pages_without_declaring_its_cursors_and_refuses_filters_on_no_field() {
    let emulator = Emulator::new();
    emulator.register::<Note>();
    let client = emulator.client("sk_test_123").unwrap();
    let created: Vec<NoteId> = (0..5)
        .map(|_| Note::create(&client, &CreateNote {}).unwrap().id)
        .collect();
    let params = ListNotes {
        limit: Some(2),
        ..ListNotes::default()
    };
    let paged: Vec<NoteId> = Note::paginate(&client, &params)
        .map(|note| note.unwrap().id)
        .collect();
    // Newest first, every note once, over three pages.
    assert_eq!(paged, created.into_iter().rev().collect::<Vec<_>>());

    // A filter on a field the object does not have is refused, not answered with nothing.
    let params = ListNotes {
        color: Some("red".into()),
        ..ListNotes::default()
    };
    let error = Note::list(&client, &params).unwrap_err();
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.param(), Some("color"));
}

/// A field the emulator cannot fill: the error names the resource and the field.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(object = "memo", path = "/v1/memos", prefix = "memo", create = CreateNote)]
pub struct Memo {
    pub id: MemoId,
    pub title: String,
}

impl Emulate for Memo {
    fn routes(routes: &mut Routes<Self>) {
        routes.create();
    }
}

#[test]
fn a_field_the_emulator_cannot_fill_is_named() {
    let emulator = Emulator::new();
    emulator.register::<Memo>();
    let client = emulator.client("sk_test_123").unwrap();
    let error = Memo::create(&client, &CreateNote {}).unwrap_err();
    assert_eq!(error.status(), Some(500));
    let message = error.message().unwrap_or_default();
    assert!(message.contains("second_resource::Memo"), "{message}");
    assert!(
        message.contains("fields with no value: `title`"),
        "{message}"
    );
}
