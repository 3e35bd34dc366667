//! What the emulator holds besides its objects stays bounded: idempotency keys (a digest of the
//! request and the answer, for Stripe's 24 hours on the emulator's clock, at most a capacity,
//! and only for requests that succeeded) and uploads (kept once, and only when the request that
//! carries them succeeds).
//!
//! The soak that prints resident memory is a measurement, in `benches`:
//! `cargo run --release -p benches --example emulator_soak`.
#![allow(clippy::unwrap_used, clippy::panic, reason = "test code")]

use file_link::{
    CreateFile, CreateFileLink, File, FileLink, FileLinkData, FilePurpose, ListFileLinks,
};
use resource_core::{Client, ErrorKind, RequestOptions, Upload};
use resource_emulator::{Emulator, Incoming};

fn new_emulator() -> (Emulator, Client, File) {
    let emulator = Emulator::new();
    file_link::emulator::register(&emulator);
    let client = emulator.client("sk_test_123").unwrap();
    let file =
        file_link::emulator::add_file(&emulator, &FilePurpose::DisputeEvidence, "e.pdf", b"%PDF")
            .unwrap();
    (emulator, client, file)
}

fn keyed(client: &Client, key: &str) -> Client {
    client.with_options(RequestOptions::new().idempotency_key(key))
}

fn links(client: &Client) -> usize {
    FileLink::list(client, &ListFileLinks::new().limit(100))
        .unwrap()
        .data
        .len()
}

#[test]
fn the_idempotency_store_stays_at_its_capacity_oldest_forgotten_first() {
    assert_eq!(Emulator::DEFAULT_IDEMPOTENCY_CAPACITY, 10_000);
    let (emulator, client, file) = new_emulator();
    // add_file's own upload is a POST with a key.
    assert_eq!(emulator.usage().idempotency_keys, 1);
    emulator.set_idempotency_capacity(20);
    let params = CreateFileLink::new(&file.id);
    let first = FileLink::create(&keyed(&client, "key-0"), &params).unwrap();
    let mut last = first.clone();
    for i in 1..60 {
        last = FileLink::create(&keyed(&client, &format!("key-{i}")), &params).unwrap();
        assert!(emulator.usage().idempotency_keys <= 20);
    }
    let usage = emulator.usage();
    assert_eq!(usage.idempotency_keys, 20);
    assert!(
        usage.idempotency_bytes < 20 * 2_048,
        "a digest and the answer per key, not more: {usage:?}"
    );
    // The newest still replays; the oldest was forgotten, so its request is applied again.
    assert_eq!(
        FileLink::create(&keyed(&client, "key-59"), &params).unwrap(),
        last
    );
    assert_eq!(links(&client), 60);
    let again = FileLink::create(&keyed(&client, "key-0"), &params).unwrap();
    assert_ne!(again.id, first.id);
    assert_eq!(links(&client), 61);

    emulator.set_idempotency_capacity(5);
    assert_eq!(emulator.usage().idempotency_keys, 5);
    emulator.set_idempotency_capacity(0);
    FileLink::create(&keyed(&client, "none"), &params).unwrap();
    assert_eq!(emulator.usage().idempotency_keys, 0);
}

#[test]
fn a_key_replays_for_24_hours_on_the_emulator_clock() {
    let (emulator, client, file) = new_emulator();
    let order = keyed(&client, "order-6735");
    let params = CreateFileLink::new(&file.id).metadata("order", "6735");
    let first = FileLink::create(&order, &params).unwrap();

    emulator.advance(23 * 3_600);
    assert_eq!(
        FileLink::create(&order, &params).unwrap(),
        first,
        "the same key and body replay within the day"
    );
    let error = FileLink::create(&order, &CreateFileLink::new(&file.id)).unwrap_err();
    assert_eq!(
        (error.kind(), error.status()),
        (ErrorKind::Idempotency, Some(400)),
        "the same key with another body is Stripe's idempotency_error"
    );
    assert_eq!(links(&client), 1);

    emulator.advance(2 * 3_600);
    assert_eq!(emulator.usage().idempotency_keys, 0, "forgotten after 24 h");
    let later = FileLink::create(&order, &params).unwrap();
    assert_ne!(later.id, first.id, "a forgotten key is a new request");
    assert_eq!(links(&client), 2);
    assert_eq!(FileLink::create(&order, &params).unwrap(), later);
}

#[test]
fn a_refused_request_leaves_its_key_free() {
    let (emulator, client, file) = new_emulator();
    let before = emulator.usage().idempotency_keys;
    let retry = keyed(&client, "fix-and-retry");
    let error = FileLink::create(&retry, &CreateFileLink::new("file_missing")).unwrap_err();
    assert_eq!((error.status(), error.param()), (Some(400), Some("file")));
    let past = FileLink::create(&retry, &CreateFileLink::new(&file.id).expires_at(1)).unwrap_err();
    assert_eq!(past.param(), Some("expires_at"));
    assert_eq!(emulator.usage().idempotency_keys, before, "nothing stored");

    let link = FileLink::create(&retry, &CreateFileLink::new(&file.id)).unwrap();
    assert_eq!(emulator.usage().idempotency_keys, before + 1);
    assert_eq!(
        FileLink::create(&retry, &CreateFileLink::new(&file.id)).unwrap(),
        link
    );
}

#[test]
fn refused_uploads_leave_nothing_behind() {
    let (emulator, client, _) = new_emulator();
    let held = emulator.usage();
    assert_eq!(
        (held.uploads, held.upload_bytes),
        (1, 4),
        "add_file's upload"
    );
    let big = || Upload::from_bytes("big.pdf", vec![b'x'; 1024 * 1024]);
    for i in 0..5 {
        let refused = keyed(&client, &format!("upload-{i}"));
        // A purpose files cannot be uploaded with.
        let error = File::create(
            &refused,
            &CreateFile::new(FilePurpose::FinanceReportRun, big()),
        )
        .unwrap_err();
        assert_eq!(error.param(), Some("purpose"));
        // A link asked for a file whose purpose allows none: the whole request is refused.
        let error = File::create(
            &refused,
            &CreateFile::new(FilePurpose::IdentityDocument, big())
                .file_link_data(FileLinkData::new()),
        )
        .unwrap_err();
        assert_eq!(error.param(), Some("file"));
    }
    let over = Upload::from_bytes("over.pdf", vec![b'x'; 32 * 1024 * 1024 + 1]);
    File::create(
        &client,
        &CreateFile::new(FilePurpose::DisputeEvidence, over),
    )
    .unwrap_err();
    assert_eq!(
        emulator.usage(),
        held,
        "the refused uploads are gone, keys too"
    );

    // Accepted, an upload is held once: as the file's, not also for its idempotency key.
    let accepted = keyed(&client, "accepted");
    let params = CreateFile::new(FilePurpose::DisputeEvidence, big());
    let file = File::create(&accepted, &params).unwrap();
    let usage = emulator.usage();
    assert_eq!(
        (usage.uploads, usage.upload_bytes),
        (2, 4 + 1024 * 1024),
        "{usage:?}"
    );
    assert!(usage.idempotency_bytes < 64 * 1024, "{usage:?}");
    // Its replay answers the same file and keeps no second copy.
    assert_eq!(File::create(&accepted, &params).unwrap(), file);
    assert_eq!(emulator.usage(), usage);
}

#[test]
fn a_malformed_multipart_body_keeps_nothing() {
    let (emulator, _, _) = new_emulator();
    let held = emulator.usage();
    let headers = [
        ("Authorization".to_owned(), "Bearer sk_test_123".to_owned()),
        (
            "Content-Type".to_owned(),
            "multipart/form-data; boundary=B".to_owned(),
        ),
        ("Idempotency-Key".to_owned(), "malformed".to_owned()),
    ];
    let mut body =
        b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n"
            .to_vec();
    body.extend(vec![b'x'; 256 * 1024]);
    // No closing boundary.
    let answer = emulator.handle(&Incoming {
        method: "POST",
        path: "/v1/files",
        query: "",
        headers: &headers,
        body: &body,
    });
    assert_eq!(answer.status, 400);
    assert_eq!(emulator.usage(), held);
}
