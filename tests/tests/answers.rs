//! The answer types an operation can declare with `returns`: an object or its deleted form, a
//! file streamed or read whole, and a polymorphic object told apart by `object`.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    missing_docs,
    reason = "test code and test-only resources"
)]

use common_resources::{Customer, Quote};
use std::io::Read;

use resource_core::{Binary, Client, Download, ErrorKind, OrDeleted, Response, StripeResource};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tests::{InProcess, RecordingServer, Reply, json_response};

fn client(transport: &InProcess) -> Client {
    Client::builder("sk_test_123")
        .transport(transport.clone())
        .build()
        .unwrap()
}

#[test]
fn a_customer_or_its_deleted_form() {
    let transport = InProcess::new(|request| {
        if request.url.ends_with("cus_gone") {
            json_response(
                200,
                &json!({"id": "cus_gone", "object": "customer", "deleted": true}),
            )
        } else {
            json_response(
                200,
                &json!({"id": "cus_1", "object": "customer", "created": 1, "livemode": false,
                        "email": "jenny@example.com", "metadata": {}}),
            )
        }
    });
    let client = client(&transport);
    let live = Customer::retrieve(&client, &"cus_1".parse().unwrap()).unwrap();
    assert_eq!(
        live.object().and_then(|customer| customer.email).as_deref(),
        Some("jenny@example.com")
    );
    match Customer::retrieve(&client, &"cus_gone".parse().unwrap()).unwrap() {
        OrDeleted::Deleted(gone) => {
            assert_eq!((gone.id.as_str(), gone.deleted), ("cus_gone", true))
        }
        OrDeleted::Object(customer) => panic!("expected the deleted form, got {customer:?}"),
    }
}

#[test]
fn a_file_is_streamed_from_the_files_host() {
    let transport = InProcess::new(|request| {
        assert_eq!(request.url, "https://files.stripe.com/v1/quotes/qt_1/pdf");
        Ok(Response {
            status: 200,
            headers: vec![
                ("Content-Type".into(), "application/pdf".into()),
                ("Request-Id".into(), "req_pdf".into()),
            ],
            body: b"%PDF-1.7\x00\xff".to_vec(),
        })
    });
    let mut pdf: Download = Quote::pdf(&client(&transport), &"qt_1".parse().unwrap()).unwrap();
    assert_eq!(pdf.content_type(), Some("application/pdf"));
    assert_eq!(pdf.request_id(), Some("req_pdf"));
    let mut bytes = Vec::new();
    pdf.read_to_end(&mut bytes).unwrap();
    assert_eq!(bytes, b"%PDF-1.7\x00\xff");
    // An error answer is still an error, not bytes.
    let transport = InProcess::new(|_| {
        json_response(
            404,
            &json!({"error": {"type": "invalid_request_error", "code": "resource_missing"}}),
        )
    });
    let error = Quote::pdf(&client(&transport), &"qt_1".parse().unwrap()).unwrap_err();
    assert_eq!(
        (error.kind(), error.code()),
        (ErrorKind::InvalidRequest, Some("resource_missing"))
    );
}

/// Over the real transport, a file larger than any answer read whole (16 MiB) arrives whole,
/// read as it comes; an error answer is retried and classified as any other.
#[test]
fn a_file_larger_than_any_answer_read_whole_is_streamed_over_http() {
    const SIZE: usize = 17 * 1024 * 1024;
    let mut attempts = 0;
    let server = RecordingServer::start(move |_| {
        attempts += 1;
        if attempts == 1 {
            return Reply::json(503, &json!({"error": {"type": "api_error"}}));
        }
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), "application/pdf".into())],
            body: (0..SIZE).map(|i| (i % 251) as u8).collect(),
        }
    });
    let client = Client::builder("sk_test_123")
        .files_base_url(server.base_url())
        .sleeper(|_| {})
        .build()
        .unwrap();
    let mut pdf = Quote::pdf(&client, &"qt_1".parse().unwrap()).unwrap();
    let mut read = 0;
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let n = pdf.read(&mut buffer).unwrap();
        if n == 0 {
            break;
        }
        assert!(
            buffer[..n]
                .iter()
                .enumerate()
                .all(|(i, b)| usize::from(*b) == (read + i) % 251)
        );
        read += n;
    }
    assert_eq!(read, SIZE);
    assert_eq!(server.requests().len(), 2);
}

#[derive(Debug, Deserialize, StripeResource)]
#[stripe(
    object = "report_run",
    path = "/v1/report_runs",
    prefix = "frr",
    action(contents, get = "{id}/contents", returns = Binary),
)]
pub struct ReportRun {
    pub id: ReportRunId,
}

#[test]
fn a_binary_answer_is_taken_whole_with_its_type() {
    let transport = InProcess::new(|_| {
        Ok(Response {
            status: 200,
            headers: vec![("Content-Type".into(), "text/csv".into())],
            body: b"a,b\n1,2\n".to_vec(),
        })
    });
    let csv: Binary = ReportRun::contents(&client(&transport), &"frr_1".parse().unwrap()).unwrap();
    assert_eq!(csv.content_type.as_deref(), Some("text/csv"));
    assert_eq!(csv.bytes, b"a,b\n1,2\n");
}

#[derive(Debug, PartialEq, Deserialize, Serialize)]
pub struct BankAccount {
    pub id: String,
    pub bank_name: String,
}

#[derive(Debug, PartialEq, Deserialize, Serialize)]
pub struct Card {
    pub id: String,
    pub last4: String,
}

/// An external account is a bank account or a card; other kinds are tolerated.
#[derive(Debug, PartialEq, Deserialize, Serialize)]
#[serde(tag = "object", rename_all = "snake_case")]
pub enum ExternalAccountKind {
    BankAccount(BankAccount),
    Card(Card),
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "external_account",
    path = "/v1/accounts/{account}/external_accounts",
    parents(account = AccountId),
    prefix = ["ba", "card"],
    retrieve(returns = ExternalAccountKind),
    delete,
)]
pub struct ExternalAccount {
    pub id: ExternalAccountId,
    pub object: String,
}

#[derive(Debug, Deserialize, StripeResource)]
#[stripe(object = "account", path = "/v1/accounts", prefix = "acct", retrieve)]
pub struct Account {
    pub id: AccountId,
}

#[test]
fn a_polymorphic_answer_by_its_object() {
    let transport = InProcess::new(|request| {
        let id = request.url.rsplit('/').next().unwrap_or_default();
        let body = match id {
            "ba_1" => {
                json!({"id": "ba_1", "object": "bank_account", "bank_name": "STRIPE TEST BANK"})
            }
            "card_1" => json!({"id": "card_1", "object": "card", "last4": "4242"}),
            _ => json!({"id": id, "object": "crypto_wallet"}),
        };
        json_response(200, &body)
    });
    let client = client(&transport);
    let account: AccountId = "acct_1".parse().unwrap();
    let get =
        |id: &str| ExternalAccount::retrieve(&client, &account, &id.parse().unwrap()).unwrap();
    assert_eq!(
        get("ba_1"),
        ExternalAccountKind::BankAccount(BankAccount {
            id: "ba_1".into(),
            bank_name: "STRIPE TEST BANK".into()
        })
    );
    assert_eq!(
        get("card_1"),
        ExternalAccountKind::Card(Card {
            id: "card_1".into(),
            last4: "4242".into()
        })
    );
    assert_eq!(get("card_2"), ExternalAccountKind::Unknown);
    let urls: Vec<String> = transport.requests().into_iter().map(|r| r.url).collect();
    assert_eq!(
        urls[0],
        "https://api.stripe.com/v1/accounts/acct_1/external_accounts/ba_1"
    );
    // Either prefix parses; another does not.
    assert!("src_1".parse::<ExternalAccountId>().is_err());
}
