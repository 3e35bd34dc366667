//! The File Links quickstart: upload a file, share it with a link, read the link back, change it,
//! list and paginate, download the file through the link's URL, expire the link, and see the typed
//! error for updating an expired link.
//!
//! ```text
//! cargo run --example quickstart                                  # offline, on the embedded emulator
//! STRIPE_SECRET_KEY=sk_test_... cargo run --example quickstart    # Stripe's test mode
//! ```
//!
//! Offline, the emulator serves on 127.0.0.1 (a free port) and the client talks to it over HTTP,
//! as it would to Stripe. With `STRIPE_SECRET_KEY` set it talks to Stripe's API (or to
//! `STRIPE_API_BASE` and `STRIPE_FILES_BASE` when set).

use std::process::ExitCode;

use file_link::{CreateFile, CreateFileLink, FileLink, FilePurpose, ListFileLinks, UpdateFileLink};
use resource_core::{Client, Error, ErrorKind, ExpiresAt, RetrieveParams, Upload};
use resource_emulator::{Emulator, Server};

/// A small, valid PDF: the file the quickstart shares.
const EVIDENCE_PDF: &[u8] = b"%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >> endobj
trailer << /Root 1 0 R >>
%%EOF
";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("quickstart failed: {error} (kind {:?})", error.kind());
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Error> {
    // Offline, the emulator keeps serving until `_server` is dropped at the end.
    let (client, _server) = match std::env::var("STRIPE_SECRET_KEY") {
        Ok(key) => {
            let mut builder = Client::builder(key);
            if let Ok(base) = std::env::var("STRIPE_API_BASE") {
                builder = builder.base_url(base);
            }
            if let Ok(files) = std::env::var("STRIPE_FILES_BASE") {
                builder = builder.files_base_url(files);
            }
            println!(
                "Talking to {}",
                std::env::var("STRIPE_API_BASE")
                    .as_deref()
                    .unwrap_or("Stripe's API")
            );
            (builder.build()?, None)
        }
        Err(_) => {
            let (client, server) = offline()?;
            (client, Some(server))
        }
    };

    let path = std::env::temp_dir().join("quickstart-evidence.pdf");
    std::fs::write(&path, EVIDENCE_PDF)
        .map_err(|e| Error::InvalidInput(format!("cannot write {}: {e}", path.display())))?;
    println!(
        "1. upload {} ({} bytes) as dispute evidence",
        path.display(),
        EVIDENCE_PDF.len()
    );
    let file = file_link::File::create(
        &client,
        &CreateFile::new(FilePurpose::DisputeEvidence, Upload::from_path(&path)),
    )?;
    println!(
        "   {} filename={} size={}",
        file.id,
        file.filename.as_deref().unwrap_or("-"),
        file.size
    );

    println!("2. share it with a link that expires in a day, with metadata");
    let tomorrow = unix_now() + 24 * 60 * 60;
    let link = FileLink::create(
        &client,
        &CreateFileLink::new(&file.id)
            .expires_at(tomorrow)
            .metadata("order_id", "6735"),
    )?;
    let url = link.url.clone().unwrap_or_default();
    println!("   {} url={url}", link.id);

    println!("3. retrieve it, with the file expanded");
    let same = FileLink::retrieve_with(&client, &link.id, &RetrieveParams::new().expand("file"))?;
    match same.file.as_object() {
        Some(file) => println!(
            "   file {} purpose={} size={}",
            file.id, file.purpose, file.size
        ),
        None => println!("   file {}", same.file.id()),
    }

    println!("4. update its metadata");
    let updated = FileLink::update(
        &client,
        &link.id,
        &UpdateFileLink::new().metadata("order_id", "6736"),
    )?;
    println!(
        "   metadata order_id={}",
        updated.metadata.get("order_id").unwrap_or("-")
    );

    println!("5. create three more links, then list the first page of two");
    for n in 1..=3 {
        FileLink::create(
            &client,
            &CreateFileLink::new(&file.id).metadata("batch", n.to_string()),
        )?;
    }
    let page = FileLink::list(&client, &ListFileLinks::new().limit(2).file(&file.id))?;
    println!(
        "   {} links on the page, has_more={}",
        page.data.len(),
        page.has_more
    );

    println!("6. paginate through all links to the file, two per page");
    let mut count = 0;
    for link in FileLink::paginate(&client, &ListFileLinks::new().limit(2).file(&file.id)).take(50)
    {
        let link = link?;
        count += 1;
        println!(
            "   {} batch={}",
            link.id,
            link.metadata.get("batch").unwrap_or("-")
        );
    }
    println!("   {count} links in all");

    println!("7. download the file through the link's URL, with no key, as a browser would");
    let (status, bytes) = download(&url)?;
    println!(
        "   HTTP {status}, {} bytes, identical to the upload: {}",
        bytes.len(),
        bytes == EVIDENCE_PDF
    );

    println!("8. expire the link now");
    let expired = FileLink::update(
        &client,
        &link.id,
        &UpdateFileLink::new().expires_at(ExpiresAt::Now),
    )?;
    println!("   expired={}", expired.expired);

    println!("9. update the expired link: refused, as a typed error");
    match FileLink::update(
        &client,
        &link.id,
        &UpdateFileLink::new().metadata("late", "yes"),
    ) {
        Err(error) if error.kind() == ErrorKind::InvalidRequest => {
            println!("   {:?} status={:?}: {error}", error.kind(), error.status());
        }
        Err(error) => return Err(error),
        Ok(_) => println!("   accepted (this server does not enforce expiry)"),
    }

    println!("10. the expired link's URL no longer serves the file");
    let (status, _) = download(&url)?;
    println!("   HTTP {status}");
    let _ = std::fs::remove_file(&path);
    Ok(())
}

/// The embedded emulator with File Links, serving on a free loopback port, and a client for it.
fn offline() -> Result<(Client, Server), Error> {
    println!("STRIPE_SECRET_KEY is not set: running offline on the embedded emulator.");
    let emulator = Emulator::new();
    file_link::emulator::register(&emulator);
    let server = emulator
        .serve("127.0.0.1:0")
        .map_err(|e| Error::InvalidInput(format!("cannot start the emulator: {e}")))?;
    println!("   emulator listening on {}", server.url());
    let client = Client::builder("sk_test_quickstart")
        .base_url(server.url())
        .files_base_url(server.url())
        .build()?;
    Ok((client, server))
}

/// A plain GET with no key: the status and the body.
fn download(url: &str) -> Result<(u16, Vec<u8>), Error> {
    let failed = |e: ureq::Error| Error::InvalidInput(format!("cannot download {url}: {e}"));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent.get(url).call().map_err(failed)?;
    let bytes = response.body_mut().read_to_vec().map_err(failed)?;
    Ok((response.status().as_u16(), bytes))
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}
