//! Files end to end on the emulator's HTTP server with the real `UreqTransport`: upload (bytes,
//! a path, a reader), link, and download back through the link's URL as a browser would.
#![allow(clippy::unwrap_used, clippy::panic, reason = "test code")]

use file_link::{CreateFile, File, FileLink, FileLinkData, FilePurpose, ListFiles, UpdateFileLink};
use resource_core::{Client, ErrorKind, ExpiresAt, Upload};
use resource_emulator::{Emulator, Server};

/// Bytes that would break a careless multipart writer or reader.
const AWKWARD: &[u8] =
    b"\x89PNG\r\n\x1a\n\x00\xff--boundary\r\n--\r\nContent-Disposition: form-data\r\n\r\nend";

fn serve() -> (Emulator, Server, Client) {
    let emulator = Emulator::new();
    file_link::emulator::register(&emulator);
    let server = emulator.serve("127.0.0.1:0").unwrap();
    let client = Client::builder("sk_test_123")
        .base_url(server.url())
        .files_base_url(server.url())
        .build()
        .unwrap();
    (emulator, server, client)
}

/// A plain GET, no key: what opening the link in a browser does.
fn download(url: &str) -> (u16, String, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent.get(url).call().unwrap();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (
        response.status().as_u16(),
        content_type,
        response.body_mut().read_to_vec().unwrap(),
    )
}

#[test]
fn upload_link_and_download_round_trip() {
    let (emulator, _server, client) = serve();
    let in_a_day = emulator.now() + 86_400;
    let upload = Upload::from_bytes("my évidence.png", AWKWARD.to_vec());
    let file = File::create(
        &client,
        &CreateFile::new(FilePurpose::DisputeEvidence, upload).file_link_data(
            FileLinkData::new()
                .expires_at(in_a_day)
                .metadata("order_id", "6735"),
        ),
    )
    .unwrap();
    assert!(file.id.as_str().starts_with("file_"));
    assert_eq!(
        (file.filename.as_deref(), file.size, file.type_.as_deref()),
        (Some("my évidence.png"), AWKWARD.len() as u64, Some("png"))
    );
    let link = &file.links.as_ref().unwrap().data[0];
    assert_eq!(
        (link.expires_at, link.metadata.get("order_id")),
        (Some(in_a_day), Some("6735"))
    );

    let (status, content_type, bytes) = download(link.url.as_deref().unwrap());
    assert_eq!((status, content_type.as_str()), (200, "image/png"));
    assert_eq!(bytes, AWKWARD, "the bytes come back exactly");

    // A second link to the same file, created on its own, serves the same bytes.
    let again = FileLink::create(&client, &file_link::CreateFileLink::new(&file.id)).unwrap();
    assert_eq!(download(again.url.as_deref().unwrap()).2, AWKWARD);

    // Expired, the URL answers an error, not the file.
    FileLink::update(
        &client,
        &link.id,
        &UpdateFileLink::new().expires_at(ExpiresAt::Now),
    )
    .unwrap();
    let (status, _, body) = download(link.url.as_deref().unwrap());
    assert_eq!(status, 410);
    assert!(String::from_utf8_lossy(&body).contains("expired"));
}

#[test]
fn uploads_stream_from_a_path_or_a_reader() {
    let (_emulator, _server, client) = serve();
    let path = std::env::temp_dir().join(format!("upload-test-{}.pdf", std::process::id()));
    std::fs::write(&path, b"%PDF-1.7 from disk").unwrap();
    let from_disk = File::create(
        &client,
        &CreateFile::new(FilePurpose::DisputeEvidence, Upload::from_path(&path)),
    )
    .unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        from_disk.filename.as_deref(),
        path.file_name().and_then(|n| n.to_str())
    );
    assert_eq!(from_disk.size, 18);

    let reader = std::io::Cursor::new(b"a,b\n1,2\n".to_vec());
    let piped = File::create(
        &client,
        &CreateFile::new(
            FilePurpose::DisputeEvidence,
            Upload::from_reader("rows.csv", reader),
        ),
    )
    .unwrap();
    assert_eq!((piped.size, piped.type_.as_deref()), (8, Some("csv")));
    let link = FileLink::create(&client, &file_link::CreateFileLink::new(&piped.id)).unwrap();
    let (status, content_type, bytes) = download(link.url.as_deref().unwrap());
    assert_eq!(
        (status, content_type.as_str(), bytes.as_slice()),
        (200, "text/csv", &b"a,b\n1,2\n"[..])
    );
}

#[test]
fn stripe_rules_for_uploads() {
    let (_emulator, _server, client) = serve();
    let pdf = || Upload::from_bytes("a.pdf", b"%PDF".to_vec());
    let error = File::create(
        &client,
        &CreateFile::new(FilePurpose::FinanceReportRun, pdf()),
    )
    .unwrap_err();
    assert_eq!(
        (error.kind(), error.status(), error.param()),
        (ErrorKind::InvalidRequest, Some(400), Some("purpose"))
    );

    // A file whose purpose does not allow links, with a link asked for: refused whole.
    let error = File::create(
        &client,
        &CreateFile::new(FilePurpose::IdentityDocument, pdf()).file_link_data(FileLinkData::new()),
    )
    .unwrap_err();
    assert_eq!((error.status(), error.param()), (Some(400), Some("file")));
    assert!(
        File::list(&client, &ListFiles::new())
            .unwrap()
            .data
            .is_empty(),
        "nothing was stored"
    );

    File::create(
        &client,
        &CreateFile::new(FilePurpose::IdentityDocument, pdf()),
    )
    .unwrap();
    File::create(
        &client,
        &CreateFile::new(FilePurpose::DisputeEvidence, pdf()),
    )
    .unwrap();
    let evidence = File::list(
        &client,
        &ListFiles::new().purpose(FilePurpose::DisputeEvidence),
    )
    .unwrap();
    assert_eq!(
        evidence
            .data
            .iter()
            .map(|f| f.purpose.clone())
            .collect::<Vec<_>>(),
        [FilePurpose::DisputeEvidence]
    );
}

#[test]
fn an_upload_over_the_size_limit_is_refused() {
    let emulator = Emulator::new();
    file_link::emulator::register(&emulator);
    let client = emulator.client("sk_test_123").unwrap();
    let big = Upload::from_bytes("big.pdf", vec![b'x'; 32 * 1024 * 1024 + 1]);
    let error =
        File::create(&client, &CreateFile::new(FilePurpose::DisputeEvidence, big)).unwrap_err();
    assert_eq!((error.status(), error.param()), (Some(400), Some("file")));
}
