//! The File Links quickstart: create a link, read it back, change it, list and paginate, expire it,
//! and see the typed error for updating an expired link.
//!
//! ```text
//! STRIPE_SECRET_KEY=sk_test_... STRIPE_FILE_ID=file_... cargo run --example quickstart
//! ```
//!
//! `STRIPE_API_BASE` points it elsewhere (for example `http://127.0.0.1:12111` for stripe-mock).
//! Without `STRIPE_SECRET_KEY` it says what it needs and exits: the offline emulator that will
//! make it run with no key at all is not built yet.

use std::process::ExitCode;

use file_link::{CreateFileLink, FileLink, ListFileLinks, UpdateFileLink};
use resource_core::{Client, Error, ErrorKind, ExpiresAt, RetrieveParams};

fn main() -> ExitCode {
    let Ok(key) = std::env::var("STRIPE_SECRET_KEY") else {
        println!("STRIPE_SECRET_KEY is not set, so there is nothing to talk to yet.");
        println!("Run it against Stripe's test mode (or stripe-mock via STRIPE_API_BASE):");
        println!(
            "  STRIPE_SECRET_KEY=sk_test_... STRIPE_FILE_ID=file_... cargo run --example quickstart"
        );
        println!("The offline run on the embedded emulator arrives with the emulator work.");
        return ExitCode::SUCCESS;
    };
    match run(&key) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("quickstart failed: {error} (kind {:?})", error.kind());
            ExitCode::FAILURE
        }
    }
}

fn run(key: &str) -> Result<(), Error> {
    let mut builder = Client::builder(key);
    if let Ok(base) = std::env::var("STRIPE_API_BASE") {
        builder = builder.base_url(base);
    }
    let client = builder.build()?;
    let file = std::env::var("STRIPE_FILE_ID")
        .unwrap_or_else(|_| "file_1Mr23iLkdIwHu7ixQkCV3CBR".to_owned());

    println!("1. create a link to {file} that expires in a day, with metadata");
    let tomorrow = unix_now() + 24 * 60 * 60;
    let link = FileLink::create(
        &client,
        &CreateFileLink::new(&file)
            .expires_at(tomorrow)
            .metadata("order_id", "6735"),
    )?;
    println!(
        "   {} url={:?} expires_at={:?}",
        link.id, link.url, link.expires_at
    );

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
        "   metadata order_id={:?}",
        updated.metadata.get("order_id")
    );

    println!("4. list one page of three unexpired links");
    let page = FileLink::list(&client, &ListFileLinks::new().limit(3).expired(false))?;
    println!("   {} links, has_more={}", page.data.len(), page.has_more);

    println!("5. paginate through the first ten links, two per page");
    for link in FileLink::paginate(&client, &ListFileLinks::new().limit(2)).take(10) {
        let link = link?;
        println!("   {} created={}", link.id, link.created);
    }

    println!("6. expire it now");
    let expired = FileLink::update(
        &client,
        &link.id,
        &UpdateFileLink::new().expires_at(ExpiresAt::Now),
    )?;
    println!("   expired={}", expired.expired);

    println!("7. updating an expired link is refused by Stripe, as a typed error");
    match FileLink::update(
        &client,
        &link.id,
        &UpdateFileLink::new().metadata("late", "yes"),
    ) {
        Err(error) if error.kind() == ErrorKind::InvalidRequest => {
            println!(
                "   {:?} status={:?} code={:?}: {error}",
                error.kind(),
                error.status(),
                error.code()
            );
        }
        Err(error) => return Err(error),
        Ok(_) => println!("   accepted (this server does not enforce expiry)"),
    }
    Ok(())
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}
