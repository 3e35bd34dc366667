//! The application of DESIGN section 3, written only against the public contract, run against a
//! loopback server. If a name or signature of the contract changes, this stops compiling.

use file_link::{CreateFileLink, FileLink, FileLinkId, ListFileLinks, UpdateFileLink};
use resource_core::{
    Client, Error, ErrorKind, ExpiresAt, List, RangeQuery, RequestOptions, RetrieveParams,
    StripeResource,
};
use serde_json::json;
use tests::{Recorded, RecordingServer, Reply, openapi_fixture};

fn link(id: &str) -> serde_json::Value {
    let mut link = openapi_fixture("file_link");
    link["id"] = json!(id);
    link
}

/// Enough of Stripe for the contract: links exist unless their id says `missing`; pages of two.
fn stripe(request: &Recorded) -> Reply {
    let path = request.path();
    if path.contains("missing") {
        return Reply::json(
            404,
            &json!({"error": {"type": "invalid_request_error", "code": "resource_missing", "param": "id",
                "message": "No such file link: 'link_missing'"}}),
        )
        .header("Request-Id", "req_contract");
    }
    if request.method == "GET" && path == "/v1/file_links" {
        let second = request.query().contains("starting_after=link_2");
        let (ids, has_more) = if second {
            (vec!["link_3"], false)
        } else {
            (vec!["link_1", "link_2"], true)
        };
        let data: Vec<_> = ids.iter().map(|id| link(id)).collect();
        return Reply::json(
            200,
            &json!({"object": "list", "url": "/v1/file_links", "has_more": has_more, "data": data}),
        );
    }
    let mut answer = link(path.rsplit('/').next().unwrap_or("link_1"));
    if request.query().contains("expand") || request.body_str().contains("expand") {
        answer["file"] = openapi_fixture("file");
    }
    if request.body_str().contains("expires_at=now") {
        answer["expired"] = json!(true);
    }
    Reply::json(200, &answer)
}

#[test]
fn the_design_contract_compiles_and_runs() -> Result<(), Error> {
    let server = RecordingServer::start(stripe);

    let client = Client::builder("sk_test_123") // secret key; never shown by Debug/Display/errors
        .base_url(server.base_url()) // default "https://api.stripe.com"
        .max_network_retries(2) // default 2
        .stripe_account("acct_123") // optional Connect header
        .api_version("2026-01-28.clover") // default pinned version, see 5.3
        .build()?; // Result<Client, Error>

    let link: FileLink = FileLink::create(
        &client,
        &CreateFileLink::new("file_1Mr23iLkdIwHu7ixQkCV3CBR")
            .expires_at(1_700_000_000)
            .metadata("order_id", "6735")
            .expand("file"),
    )?;
    assert!(link.file.is_object());

    let id: FileLinkId = "link_1Mr23jLkdIwHu7ix65betcoo".parse()?; // checks the `link_` prefix
    let same = FileLink::retrieve(&client, &id)?;
    let with_file = FileLink::retrieve_with(&client, &id, &RetrieveParams::new().expand("file"))?;
    assert_eq!((&same.id, &with_file.id), (&id, &id));

    let changed = FileLink::update(
        &client,
        &id,
        &UpdateFileLink::new()
            .expires_at(ExpiresAt::Now) // or ExpiresAt::At(secs); ExpiresAt::Never sends expires_at=
            .metadata("order_id", "6736") // set one key
            .unset_metadata("stale_key"), // metadata[stale_key]=
    )?;
    assert!(changed.expired);
    let cleared = FileLink::update(&client, &id, &UpdateFileLink::new().clear_metadata())?; // metadata=
    assert_eq!(cleared.id, id);

    let page: List<FileLink> =
        FileLink::list(&client, &ListFileLinks::new().limit(3).expired(false))?;
    assert_eq!(
        (
            page.object.as_str(),
            page.url.as_str(),
            page.has_more,
            page.data.len()
        ),
        ("list", "/v1/file_links", true, 2)
    );
    let filtered = ListFileLinks::new()
        .created(RangeQuery::new().gte(1_680_000_000).lt(1_690_000_000)) // or RangeQuery::exact(ts)
        .file("file_123") // id-valued params and cursors take impl AsRef<str>
        .starting_after("link_abc") // or .ending_before("link_abc")
        .expand("data.file"); // repeatable; also on Create/Update params
    let _ = (
        filtered,
        RangeQuery::exact(1_680_000_000),
        ListFileLinks::new().ending_before(&id),
    );

    let mut seen = Vec::new();
    for link in FileLink::paginate(&client, &ListFileLinks::new().limit(100)) {
        let link: FileLink = link?;
        seen.push(link.id.to_string());
    }
    assert_eq!(seen, ["link_1", "link_2", "link_3"]);

    match FileLink::retrieve(&client, &"link_missing".parse()?) {
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidRequest);
            assert_eq!(e.status(), Some(404));
            assert_eq!(e.code(), Some("resource_missing"));
            let req: Option<&str> = e.request_id(); // from the Request-Id response header
            assert_eq!(req, Some("req_contract"));
        }
        Ok(_) => unreachable!(),
    }

    let scoped: Client = client.with_options(
        RequestOptions::new()
            .idempotency_key("k")
            .stripe_account("acct_1")
            .api_version("2024-06-20"),
    );
    FileLink::retrieve(&scoped, &id)?;
    let last = server.requests().pop().unwrap();
    assert_eq!(
        (
            last.header("Idempotency-Key"),
            last.header("Stripe-Account"),
            last.header("Stripe-Version")
        ),
        (Some("k"), Some("acct_1"), Some("2024-06-20"))
    );
    assert_eq!(<FileLink as StripeResource>::PATH, "/v1/file_links");
    Ok(())
}

#[test]
fn the_contract_types_are_thread_safe_and_ids_fail_with_our_error() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Client>();
    send_sync::<Error>();
    send_sync::<FileLink>();
    fn send<T: Send>() {}
    send::<resource_core::Paginator<FileLink>>();

    let parsed: Result<FileLinkId, Error> = "cus_123".parse();
    assert_eq!(parsed.unwrap_err().kind(), ErrorKind::InvalidInput);
}
