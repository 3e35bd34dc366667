//! Who may download a file from the emulator, as on Stripe: a file's contents
//! (`GET /v1/files/{id}/contents`, its `url`) need the test-mode secret key like any API request;
//! only a file link's `url` is public, until the link expires. Every download is an attachment
//! with `X-Content-Type-Options: nosniff`. Raw requests over HTTP, as a browser or `curl` sends.
#![allow(clippy::unwrap_used, clippy::panic, reason = "test code")]

use file_link::{CreateFile, CreateFileLink, File, FileLink, FileLinkData, FilePurpose};
use resource_core::{Client, Upload};
use resource_emulator::{Emulator, Incoming, Server};
use serde_json::Value;
use tests::HttpAnswer as Answer;

const PDF: &[u8] = b"%PDF-1.7 evidence \x00\xff";

/// What these tests check of an answer, beside [`Answer::header`] and [`Answer::json`].
trait Checks {
    fn error(&self) -> Value;
    fn assert_attachment(&self, bytes: &[u8], content_type: &str, disposition: &str);
}

impl Checks for Answer {
    fn error(&self) -> Value {
        self.json()["error"].clone()
    }

    /// A download: the bytes as an attachment named `filename`, never sniffed.
    fn assert_attachment(&self, bytes: &[u8], content_type: &str, disposition: &str) {
        assert_eq!(self.status, 200, "{}", String::from_utf8_lossy(&self.body));
        assert_eq!(self.body, bytes);
        assert_eq!(self.header("Content-Type"), Some(content_type));
        assert_eq!(self.header("X-Content-Type-Options"), Some("nosniff"));
        assert_eq!(self.header("Content-Disposition"), Some(disposition));
    }
}

/// A plain GET over HTTP with an optional `Authorization` header.
fn get(url: &str, authorization: Option<&str>) -> Answer {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut request = agent.get(url);
    if let Some(authorization) = authorization {
        request = request.header("Authorization", authorization);
    }
    let mut response = request.call().unwrap();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                value.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    Answer {
        status: response.status().as_u16(),
        headers,
        body: response.body_mut().read_to_vec().unwrap(),
    }
}

fn served() -> (Emulator, Server, Client) {
    let emulator = Emulator::new();
    file_link::emulator::register(&emulator);
    let (server, client) = tests::served(&emulator);
    (emulator, server, client)
}

fn upload(client: &Client, purpose: FilePurpose, upload: Upload) -> File {
    File::create(client, &CreateFile::new(purpose, upload)).unwrap()
}

fn assert_unauthenticated(answer: &Answer) {
    assert_eq!(answer.status, 401);
    assert_eq!(answer.header("Content-Type"), Some("application/json"));
    assert!(
        !answer.body.windows(4).any(|w| w == b"%PDF"),
        "no byte of the file"
    );
    assert_eq!(answer.error()["type"], "invalid_request_error");
}

#[test]
fn file_contents_need_the_secret_key() {
    let (_emulator, _server, client) = served();
    let file = upload(
        &client,
        FilePurpose::DisputeEvidence,
        Upload::from_bytes("evidence.pdf", PDF.to_vec()),
    );
    let url = file.url.as_deref().unwrap();
    assert!(url.ends_with(&format!("/v1/files/{}/contents", file.id.as_str())));

    let no_key = get(url, None);
    assert_unauthenticated(&no_key);
    assert!(
        no_key.error()["message"]
            .as_str()
            .unwrap()
            .contains("You did not provide an API key")
    );

    let live = get(url, Some("Bearer sk_live_abcdefghijkl1234"));
    assert_unauthenticated(&live);
    let message = live.error()["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains("sk_live_****") && !message.contains("abcdefgh"),
        "{message}"
    );
    assert_unauthenticated(&get(url, Some("Bearer pk_test_abcdefghijkl1234")));
    assert_unauthenticated(&get(url, Some("Bearer sk_test_")));

    let attachment = "attachment; filename=\"evidence.pdf\"";
    get(url, Some("Bearer sk_test_123")).assert_attachment(PDF, "application/pdf", attachment);
    // `curl -u sk_test_123:`
    get(url, Some("Basic c2tfdGVzdF8xMjM6")).assert_attachment(PDF, "application/pdf", attachment);

    // A missing file: 401 without the key (nothing is told), 404 with it.
    let missing = url.replace(file.id.as_str(), "file_missing");
    assert_unauthenticated(&get(&missing, None));
    let answer = get(&missing, Some("Bearer sk_test_123"));
    assert_eq!(
        (answer.status, answer.error()["code"].as_str()),
        (404, Some("resource_missing"))
    );
}

#[test]
fn an_identity_document_is_not_served_without_the_key() {
    let (_emulator, _server, client) = served();
    let file = upload(
        &client,
        FilePurpose::IdentityDocument,
        Upload::from_bytes("passport.pdf", PDF.to_vec()),
    );
    let url = file.url.as_deref().unwrap();
    assert_unauthenticated(&get(url, None));
    assert_unauthenticated(&get(url, Some("Bearer sk_live_abcdefghijkl1234")));
    get(url, Some("Bearer sk_test_123")).assert_attachment(
        PDF,
        "application/pdf",
        "attachment; filename=\"passport.pdf\"",
    );
}

#[test]
fn a_link_url_is_public_until_it_expires() {
    let (emulator, _server, client) = served();
    let in_an_hour = emulator.now() + 3_600;
    let file = File::create(
        &client,
        &CreateFile::new(
            FilePurpose::DisputeEvidence,
            Upload::from_bytes("evidence.pdf", PDF.to_vec()),
        )
        .file_link_data(FileLinkData::new().expires_at(in_an_hour)),
    )
    .unwrap();
    let link = &file.links.as_ref().unwrap().data[0];
    let link_url = link.url.as_deref().unwrap();
    let attachment = "attachment; filename=\"evidence.pdf\"";
    get(link_url, None).assert_attachment(PDF, "application/pdf", attachment);
    // A key changes nothing on a public URL, even one that is not a test key.
    get(link_url, Some("Bearer sk_live_abcdefghijkl1234")).assert_attachment(
        PDF,
        "application/pdf",
        attachment,
    );
    // The link does not open the file's own URL.
    assert_unauthenticated(&get(file.url.as_deref().unwrap(), None));

    emulator.advance(3_601);
    let expired = get(link_url, None);
    assert_eq!(expired.status, 410);
    assert!(
        expired.error()["message"]
            .as_str()
            .unwrap()
            .contains("expired")
    );
    assert!(!expired.body.windows(4).any(|w| w == b"%PDF"));
    // The file's only link has expired: its contents still need the key, and are served with it.
    assert_unauthenticated(&get(file.url.as_deref().unwrap(), None));
    get(file.url.as_deref().unwrap(), Some("Bearer sk_test_123")).assert_attachment(
        PDF,
        "application/pdf",
        attachment,
    );
    let unknown = get(&format!("{}/links/nothing_here", emulator.base_url()), None);
    assert_eq!(unknown.status, 404);
}

#[test]
fn html_is_served_as_an_attachment_never_sniffed() {
    let (_emulator, _server, client) = served();
    let html = b"<html><script>alert(document.cookie)</script></html>";
    let file = upload(
        &client,
        FilePurpose::DisputeEvidence,
        Upload::from_bytes("page.html", html.to_vec()).content_type("text/html"),
    );
    let link = FileLink::create(&client, &CreateFileLink::new(&file.id)).unwrap();
    let attachment = "attachment; filename=\"page.html\"";
    get(link.url.as_deref().unwrap(), None).assert_attachment(html, "text/html", attachment);
    get(file.url.as_deref().unwrap(), Some("Bearer sk_test_123")).assert_attachment(
        html,
        "text/html",
        attachment,
    );
}

#[test]
fn awkward_filenames_are_named_safely() {
    let (_emulator, _server, client) = served();
    let file = upload(
        &client,
        FilePurpose::DisputeEvidence,
        Upload::from_bytes("my évidence; final.pdf", PDF.to_vec()),
    );
    let link = FileLink::create(&client, &CreateFileLink::new(&file.id)).unwrap();
    // A header is ASCII: the quoted name stands in for browsers of old, `filename*` is the name.
    get(link.url.as_deref().unwrap(), None).assert_attachment(
        PDF,
        "application/pdf",
        "attachment; filename=\"my _vidence; final.pdf\"; \
         filename*=UTF-8''my%20%C3%A9vidence%3B%20final.pdf",
    );
}

/// The same rules in process, where nothing but the engine is involved.
#[test]
fn in_process_downloads_follow_the_same_rules() {
    let emulator = Emulator::new();
    file_link::emulator::register(&emulator);
    let file =
        file_link::emulator::add_file(&emulator, &FilePurpose::DisputeEvidence, "e.pdf", PDF)
            .unwrap();
    let path = format!("/v1/files/{}/contents", file.id.as_str());
    let get = |headers: &[(String, String)]| {
        emulator.handle(&Incoming {
            method: "GET",
            path: &path,
            query: "",
            headers,
            body: b"",
        })
    };
    assert_eq!(get(&[]).status, 401);
    let live = [(
        "Authorization".to_owned(),
        "Bearer sk_live_x1234".to_owned(),
    )];
    assert_eq!(get(&live).status, 401);
    let test = [("Authorization".to_owned(), "Bearer sk_test_123".to_owned())];
    let answer = get(&test);
    assert_eq!((answer.status, answer.body.as_slice()), (200, PDF));
    assert!(
        answer
            .headers
            .contains(&("X-Content-Type-Options".to_owned(), "nosniff".to_owned()))
    );
}
