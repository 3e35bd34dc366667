//! The whole File Links surface against the emulator, through both paths: in process (the
//! emulator as the client's transport) and over HTTP (its server, with the real `UreqTransport`).
#![allow(clippy::unwrap_used, clippy::panic, reason = "test code")]

use file_link::emulator::{add_file, register};
use file_link::{
    CreateFileLink, File, FileLink, FileLinkId, FilePurpose, ListFileLinks, UpdateFileLink,
};
use resource_core::{
    Client, Error, ErrorKind, Expandable, ExpiresAt, Method, RangeQuery, RequestOptions,
    RetrieveParams,
};
use resource_emulator::Emulator;
use serde_json::{Value, json};

fn new_emulator() -> Emulator {
    let emulator = Emulator::new();
    register(&emulator);
    emulator
}

fn in_process(emulator: &Emulator) -> Client {
    emulator.client("sk_test_123").unwrap()
}

/// Runs `check` on both paths, each with a fresh emulator.
fn on_both_paths(check: impl Fn(&Emulator, &Client)) {
    let emulator = new_emulator();
    check(&emulator, &in_process(&emulator));

    let emulator = new_emulator();
    let server = emulator.serve("127.0.0.1:0").unwrap();
    let client = Client::builder("sk_test_123")
        .base_url(server.url())
        .build()
        .unwrap();
    check(&emulator, &client);
}

fn evidence(emulator: &Emulator) -> File {
    add_file(
        emulator,
        &FilePurpose::DisputeEvidence,
        "evidence.pdf",
        b"%PDF-1.7",
    )
    .unwrap()
}

#[track_caller]
fn rejected<T: std::fmt::Debug>(
    result: Result<T, Error>,
    kind: ErrorKind,
    status: u16,
    param: Option<&str>,
) -> Error {
    let error = result.unwrap_err();
    assert_eq!(
        (error.kind(), error.status(), error.param()),
        (kind, Some(status), param),
        "{error}"
    );
    assert!(
        error.request_id().is_some_and(|id| id.starts_with("req_")),
        "every answer has a Request-Id"
    );
    error
}

#[test]
fn create_retrieve_and_expand() {
    on_both_paths(|emulator, client| {
        let file = evidence(emulator);
        let in_a_day = emulator.now() + 86_400;
        let link = FileLink::create(
            client,
            &CreateFileLink::new(&file.id)
                .expires_at(in_a_day)
                .metadata("order_id", "6735"),
        )
        .unwrap();
        assert!(link.id.as_str().starts_with("link_"));
        assert_eq!(
            (link.object.as_str(), link.livemode, link.expired),
            ("file_link", false, false)
        );
        assert_eq!(link.expires_at, Some(in_a_day));
        assert_eq!(link.file, Expandable::Id(file.id.to_string()));
        assert_eq!(link.metadata.get("order_id"), Some("6735"));
        assert!(link.url.as_deref().unwrap().contains("/links/"));
        assert!((emulator.now() - link.created).abs() <= 1);

        assert_eq!(FileLink::retrieve(client, &link.id).unwrap(), link);
        let expanded =
            FileLink::retrieve_with(client, &link.id, &RetrieveParams::new().expand("file"))
                .unwrap();
        assert_eq!(expanded.file.as_object().unwrap().id, file.id);
        let created_expanded =
            FileLink::create(client, &CreateFileLink::new(&file.id).expand("file")).unwrap();
        assert_eq!(
            created_expanded.file.as_object().unwrap().purpose,
            FilePurpose::DisputeEvidence
        );
        let stored = File::retrieve(client, &file.id).unwrap();
        assert_eq!(
            (&stored.id, &stored.filename, stored.size),
            (&file.id, &file.filename, 8)
        );
        let links = stored.links.unwrap();
        assert_eq!(links.data.len(), 2, "a file lists its links");
        assert!(links.data.iter().all(|l| l.file.id() == file.id.as_str()));
    });
}

#[test]
fn stripe_errors_for_bad_requests() {
    on_both_paths(|emulator, client| {
        let file = evidence(emulator);
        let missing: FileLinkId = "link_missing".parse().unwrap();
        let error = rejected(
            FileLink::retrieve(client, &missing),
            ErrorKind::InvalidRequest,
            404,
            Some("id"),
        );
        assert_eq!(
            (error.code(), error.message()),
            (
                Some("resource_missing"),
                Some("No such file link: 'link_missing'")
            )
        );

        rejected(
            FileLink::create(client, &CreateFileLink::new("file_nope")),
            ErrorKind::InvalidRequest,
            400,
            Some("file"),
        );
        let selfie_only =
            add_file(emulator, &FilePurpose::IdentityDocument, "id.png", b"png").unwrap();
        rejected(
            FileLink::create(client, &CreateFileLink::new(&selfie_only.id)),
            ErrorKind::InvalidRequest,
            400,
            Some("file"),
        );
        let past = CreateFileLink::new(&file.id).expires_at(emulator.now() - 1);
        rejected(
            FileLink::create(client, &past),
            ErrorKind::InvalidRequest,
            400,
            Some("expires_at"),
        );

        let raw =
            |params: Value| client.request::<FileLink, _>(Method::Post, "/v1/file_links", &params);
        let error = rejected(
            raw(json!({"file": file.id, "bogus": 1})),
            ErrorKind::InvalidRequest,
            400,
            Some("bogus"),
        );
        assert_eq!(error.message(), Some("Received unknown parameter: bogus"));
        let error = rejected(
            raw(json!({"expires_at": 1})),
            ErrorKind::InvalidRequest,
            400,
            Some("file"),
        );
        assert_eq!(error.code(), Some("parameter_missing"));
        rejected(
            raw(json!({"file": file.id, "expires_at": "soon"})),
            ErrorKind::InvalidRequest,
            400,
            Some("expires_at"),
        );

        let error = rejected(
            client.request::<Value, _>(Method::Get, "/v1/nothing_here", &json!({})),
            ErrorKind::InvalidRequest,
            404,
            None,
        );
        assert!(
            error
                .message()
                .unwrap()
                .starts_with("Unrecognized request URL (GET: /v1/nothing_here)")
        );
    });
}

#[test]
fn update_metadata_and_expiry() {
    on_both_paths(|emulator, client| {
        let file = evidence(emulator);
        let link = FileLink::create(
            client,
            &CreateFileLink::new(&file.id)
                .metadata("a", "1")
                .metadata("b", "2"),
        )
        .unwrap();
        let update = |params: &UpdateFileLink| FileLink::update(client, &link.id, params);

        let changed =
            update(&UpdateFileLink::new().metadata("c", "3").unset_metadata("a")).unwrap();
        assert_eq!(
            changed.metadata.iter().collect::<Vec<_>>(),
            [("b", "2"), ("c", "3")]
        );
        assert!(
            update(&UpdateFileLink::new().clear_metadata())
                .unwrap()
                .metadata
                .is_empty()
        );

        let later = emulator.now() + 3_600;
        assert_eq!(
            update(&UpdateFileLink::new().expires_at(later))
                .unwrap()
                .expires_at,
            Some(later)
        );
        assert_eq!(
            update(&UpdateFileLink::new().expires_at(ExpiresAt::Never))
                .unwrap()
                .expires_at,
            None
        );
        rejected(
            update(&UpdateFileLink::new().expires_at(emulator.now() - 10)),
            ErrorKind::InvalidRequest,
            400,
            Some("expires_at"),
        );

        let expired = update(&UpdateFileLink::new().expires_at(ExpiresAt::Now)).unwrap();
        assert!(expired.expired);
        let error = rejected(
            update(&UpdateFileLink::new().metadata("late", "1")),
            ErrorKind::InvalidRequest,
            400,
            None,
        );
        assert_eq!(
            error.message(),
            Some("Expired links can no longer be updated.")
        );

        let many = (0..51).fold(UpdateFileLink::new(), |p, i| {
            p.metadata(format!("k{i}"), "v")
        });
        let fresh = FileLink::create(client, &CreateFileLink::new(&file.id)).unwrap();
        rejected(
            FileLink::update(client, &fresh.id, &many),
            ErrorKind::InvalidRequest,
            400,
            Some("metadata"),
        );
        let long_key = "k".repeat(41);
        let error = rejected(
            FileLink::update(
                client,
                &fresh.id,
                &UpdateFileLink::new().metadata(&long_key, "v"),
            ),
            ErrorKind::InvalidRequest,
            400,
            Some(format!("metadata[{long_key}]").as_str()),
        );
        assert!(error.message().unwrap().contains("40"));
    });
}

#[test]
fn the_clock_moves_links_past_their_expiry() {
    on_both_paths(|emulator, client| {
        let file = evidence(emulator);
        let link = FileLink::create(
            client,
            &CreateFileLink::new(&file.id).expires_at(emulator.now() + 60),
        )
        .unwrap();
        assert!(!FileLink::retrieve(client, &link.id).unwrap().expired);
        emulator.advance(61);
        assert!(FileLink::retrieve(client, &link.id).unwrap().expired);
        let expired = FileLink::list(client, &ListFileLinks::new().expired(true)).unwrap();
        assert_eq!(
            expired.data.iter().map(|l| &l.id).collect::<Vec<_>>(),
            [&link.id]
        );
        assert!(
            FileLink::list(client, &ListFileLinks::new().expired(false))
                .unwrap()
                .data
                .is_empty()
        );
    });
}

#[test]
fn lists_are_newest_first_with_stripe_cursors_and_filters() {
    on_both_paths(|emulator, client| {
        let file = evidence(emulator);
        let other = add_file(emulator, &FilePurpose::BusinessLogo, "logo.png", b"png").unwrap();
        let mut ids = Vec::new();
        for n in 0..7 {
            let target = if n == 3 { &other.id } else { &file.id };
            ids.push(
                FileLink::create(client, &CreateFileLink::new(target))
                    .unwrap()
                    .id,
            );
            if n == 4 {
                emulator.advance(100);
            }
        }
        let newest_first: Vec<FileLinkId> = ids.iter().rev().cloned().collect();
        let page = FileLink::list(client, &ListFileLinks::new().limit(3)).unwrap();
        assert_eq!(
            (page.object.as_str(), page.url.as_str(), page.has_more),
            ("list", "/v1/file_links", true)
        );
        assert_eq!(
            page.data.iter().map(|l| l.id.clone()).collect::<Vec<_>>(),
            newest_first[..3]
        );
        let default_page = FileLink::list(client, &ListFileLinks::new()).unwrap();
        assert_eq!((default_page.data.len(), default_page.has_more), (7, false));

        let after = FileLink::list(
            client,
            &ListFileLinks::new()
                .limit(2)
                .starting_after(&newest_first[2]),
        )
        .unwrap();
        assert_eq!(
            after.data.iter().map(|l| l.id.clone()).collect::<Vec<_>>(),
            newest_first[3..5]
        );
        let before = FileLink::list(
            client,
            &ListFileLinks::new()
                .limit(2)
                .ending_before(&newest_first[4]),
        )
        .unwrap();
        assert_eq!(
            before.data.iter().map(|l| l.id.clone()).collect::<Vec<_>>(),
            newest_first[2..4]
        );
        assert!(before.has_more);

        let forward: Vec<FileLinkId> = FileLink::paginate(client, &ListFileLinks::new().limit(2))
            .map(|l| l.unwrap().id)
            .collect();
        assert_eq!(forward, newest_first);
        let backward: Vec<FileLinkId> = FileLink::paginate(
            client,
            &ListFileLinks::new()
                .limit(2)
                .ending_before(&newest_first[6]),
        )
        .map(|l| l.unwrap().id)
        .collect();
        assert_eq!(
            backward,
            newest_first[..6].iter().rev().cloned().collect::<Vec<_>>()
        );

        let by_file = FileLink::list(client, &ListFileLinks::new().file(&other.id)).unwrap();
        assert_eq!(
            by_file
                .data
                .iter()
                .map(|l| l.id.clone())
                .collect::<Vec<_>>(),
            [ids[3].clone()]
        );
        let late = FileLink::list(
            client,
            &ListFileLinks::new().created(RangeQuery::new().gt(emulator.now() - 50)),
        )
        .unwrap();
        assert_eq!(late.data.len(), 2);
        let exact =
            FileLink::list(client, &ListFileLinks::new().created(late.data[0].created)).unwrap();
        assert_eq!(exact.data.len(), 2);

        let expanded =
            FileLink::list(client, &ListFileLinks::new().limit(1).expand("data.file")).unwrap();
        assert!(expanded.data[0].file.is_object());
        for limit in [0, 101] {
            rejected(
                FileLink::list(client, &ListFileLinks::new().limit(limit)),
                ErrorKind::InvalidRequest,
                400,
                Some("limit"),
            );
        }
        rejected(
            FileLink::list(client, &ListFileLinks::new().starting_after("link_unknown")),
            ErrorKind::InvalidRequest,
            400,
            Some("starting_after"),
        );
    });
}

#[test]
fn only_test_keys_are_accepted() {
    let emulator = new_emulator();
    let file = evidence(&emulator);
    let live = emulator.client("sk_live_51abcdefghijklmnop").unwrap();
    let error = rejected(
        FileLink::create(&live, &CreateFileLink::new(&file.id)),
        ErrorKind::Authentication,
        401,
        None,
    );
    assert!(error.message().unwrap().contains("sk_live_****"), "{error}");
    assert!(!error.message().unwrap().contains("abcdefghijkl"));
}

#[test]
fn idempotency_keys_replay_or_refuse() {
    on_both_paths(|emulator, client| {
        let file = evidence(emulator);
        let keyed = client.with_options(RequestOptions::new().idempotency_key("order-6735"));
        let first = FileLink::create(&keyed, &CreateFileLink::new(&file.id)).unwrap();
        let again = FileLink::create(&keyed, &CreateFileLink::new(&file.id)).unwrap();
        assert_eq!(
            again, first,
            "the same key and request replay the first answer"
        );
        assert_eq!(
            FileLink::list(client, &ListFileLinks::new())
                .unwrap()
                .data
                .len(),
            1,
            "created once"
        );
        rejected(
            FileLink::create(&keyed, &CreateFileLink::new(&file.id).metadata("x", "1")),
            ErrorKind::Idempotency,
            400,
            None,
        );
    });
}

/// Every field the OpenAPI fixtures show, with the same JSON type (or `null` where nullable).
#[test]
fn object_shapes_agree_with_the_openapi_fixtures() {
    fn shape(value: &Value) -> Vec<(String, &'static str)> {
        let kind = |v: &Value| match v {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let mut fields: Vec<_> = value
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), kind(v)))
            .collect();
        fields.sort();
        fields
    }
    let emulator = new_emulator();
    let client = in_process(&emulator);
    let file = evidence(&emulator);
    let in_a_day = emulator.now() + 86_400;
    let link: Value = client
        .request(
            Method::Post,
            "/v1/file_links",
            &json!({"file": file.id, "expires_at": in_a_day}),
        )
        .unwrap();
    assert_eq!(shape(&link), shape(&tests::openapi_fixture("file_link")));

    let file: Value = client
        .request(Method::Get, &format!("/v1/files/{}", file.id), &json!({}))
        .unwrap();
    let nullable = ["expires_at", "title"];
    let expected: Vec<(String, &str)> = shape(&tests::openapi_fixture("file"))
        .into_iter()
        .map(|(name, kind)| {
            if nullable.contains(&name.as_str()) {
                (name, "null")
            } else {
                (name, kind)
            }
        })
        .collect();
    assert_eq!(shape(&file), expected);
}

#[test]
fn a_file_shows_its_first_ten_links_and_lists_them_all() {
    on_both_paths(|emulator, client| {
        let (file, other) = (evidence(emulator), evidence(emulator));
        FileLink::create(client, &CreateFileLink::new(&other.id)).unwrap();
        let made: Vec<FileLinkId> = (0..12)
            .map(|_| {
                FileLink::create(client, &CreateFileLink::new(&file.id))
                    .unwrap()
                    .id
            })
            .collect();
        let shown = File::retrieve(client, &file.id).unwrap().links.unwrap();
        let ids: Vec<&FileLinkId> = shown.data.iter().map(|link| &link.id).collect();
        let newest: Vec<&FileLinkId> = made.iter().rev().take(10).collect();
        assert_eq!((ids, shown.has_more), (newest, true));
        assert_eq!(shown.url, format!("/v1/file_links?file={}", file.id));
        let all = ListFileLinks::new().file(&file.id).limit(100);
        assert_eq!(FileLink::list(client, &all).unwrap().data.len(), 12);
        let lone = File::retrieve(client, &other.id).unwrap().links.unwrap();
        assert_eq!((lone.data.len(), lone.has_more), (1, false));
    });
}
