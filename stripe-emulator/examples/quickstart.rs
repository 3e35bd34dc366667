//! The File Links quickstart: share a file with a link, read it back, change it, list and
//! paginate, expire it, and see the typed error for updating an expired link.
//!
//! ```text
//! cargo run --example quickstart                                  # offline, on the embedded emulator
//! STRIPE_SECRET_KEY=sk_test_... STRIPE_FILE_ID=file_... cargo run --example quickstart   # Stripe
//! ```
//!
//! With `STRIPE_SECRET_KEY` set it talks to Stripe's API, or to `STRIPE_API_BASE` when set (the
//! emulator's HTTP server, stripe-mock, ...); `STRIPE_FILE_ID` names a file whose purpose allows
//! links. Without it, everything runs in process on the emulator and a file is added first.

use std::process::ExitCode;

use file_link::{CreateFileLink, FileLink, FilePurpose, ListFileLinks, UpdateFileLink};
use resource_core::{Client, Error, ErrorKind, ExpiresAt, RetrieveParams};
use resource_emulator::Emulator;

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
    let (client, file) = match std::env::var("STRIPE_SECRET_KEY") {
        Ok(key) => {
            let mut builder = Client::builder(key);
            if let Ok(base) = std::env::var("STRIPE_API_BASE") {
                builder = builder.base_url(base);
            }
            let file = std::env::var("STRIPE_FILE_ID")
                .unwrap_or_else(|_| "file_1Mr23iLkdIwHu7ixQkCV3CBR".to_owned());
            println!(
                "Talking to {}",
                std::env::var("STRIPE_API_BASE")
                    .as_deref()
                    .unwrap_or("Stripe's API")
            );
            (builder.build()?, file)
        }
        Err(_) => offline()?,
    };

    println!("1. create a link to {file} that expires in a day, with metadata");
    let tomorrow = unix_now() + 24 * 60 * 60;
    let link = FileLink::create(
        &client,
        &CreateFileLink::new(&file)
            .expires_at(tomorrow)
            .metadata("order_id", "6735"),
    )?;
    println!("   {} url={}", link.id, link.url.as_deref().unwrap_or("-"));

    println!("2. retrieve it, with the file expanded");
    let same = FileLink::retrieve_with(&client, &link.id, &RetrieveParams::new().expand("file"))?;
    match same.file.as_object() {
        Some(file) => println!(
            "   file {} purpose={} size={}",
            file.id, file.purpose, file.size
        ),
        None => println!("   file {}", same.file.id()),
    }

    println!("3. update its metadata");
    let updated = FileLink::update(
        &client,
        &link.id,
        &UpdateFileLink::new().metadata("order_id", "6736"),
    )?;
    println!(
        "   metadata order_id={}",
        updated.metadata.get("order_id").unwrap_or("-")
    );

    println!("4. create four more links, then list the first page of two");
    for n in 1..=4 {
        FileLink::create(
            &client,
            &CreateFileLink::new(&file).metadata("batch", n.to_string()),
        )?;
    }
    let page = FileLink::list(&client, &ListFileLinks::new().limit(2).file(&file))?;
    println!(
        "   {} links on the page, has_more={}",
        page.data.len(),
        page.has_more
    );

    println!("5. paginate through all links to the file, two per page");
    let mut count = 0;
    for link in FileLink::paginate(&client, &ListFileLinks::new().limit(2).file(&file)).take(50) {
        let link = link?;
        count += 1;
        println!(
            "   {} batch={}",
            link.id,
            link.metadata.get("batch").unwrap_or("-")
        );
    }
    println!("   {count} links in all");

    println!("6. expire the first link now");
    let expired = FileLink::update(
        &client,
        &link.id,
        &UpdateFileLink::new().expires_at(ExpiresAt::Now),
    )?;
    println!("   expired={}", expired.expired);

    println!("7. update the expired link: refused, as a typed error");
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
    Ok(())
}

/// An in-process emulator with File Links, and a file to link to.
fn offline() -> Result<(Client, String), Error> {
    println!("STRIPE_SECRET_KEY is not set: running offline on the embedded emulator.");
    let emulator = Emulator::new();
    file_link::emulator::register(&emulator);
    let file = file_link::emulator::add_file(
        &emulator,
        &FilePurpose::DisputeEvidence,
        "evidence.pdf",
        b"%PDF-1.7 ...",
    )?;
    println!(
        "0. added {} ({}, {} bytes)",
        file.id, file.purpose, file.size
    );
    Ok((emulator.client("sk_test_quickstart")?, file.id.to_string()))
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}
