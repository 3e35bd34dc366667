//! The footprint app, built on this framework: create one file link and print it.
//! Same behaviour as `theirs.rs`: key from `STRIPE_SECRET_KEY`, file from
//! `STRIPE_FILE_ID`, optional `STRIPE_API_BASE`.

use file_link::{CreateFileLink, FileLink};
use resource_core::Client;

fn main() -> Result<(), resource_core::Error> {
    let key = std::env::var("STRIPE_SECRET_KEY").unwrap_or_else(|_| "sk_test_123".to_owned());
    let file = std::env::var("STRIPE_FILE_ID")
        .unwrap_or_else(|_| "file_1Mr23iLkdIwHu7ixQkCV3CBR".to_owned());
    let mut builder = Client::builder(key);
    if let Ok(base) = std::env::var("STRIPE_API_BASE") {
        builder = builder.base_url(base);
    }
    let client = builder.build()?;
    let link = FileLink::create(
        &client,
        &CreateFileLink::new(file)
            .expires_at(1_900_000_000)
            .metadata("order_id", "6735"),
    )?;
    println!("{} {:?}", link.id, link.url);
    Ok(())
}
