//! The footprint app, built on async-stripe (blocking client, rustls, `file_link` only): create
//! one file link and print it. Same behaviour as `ours.rs`: key from `STRIPE_SECRET_KEY`,
//! file from `STRIPE_FILE_ID`, optional `STRIPE_API_BASE`.

use std::collections::HashMap;

use stripe_core::file_link::CreateFileLink;

fn main() -> Result<(), stripe::StripeError> {
    let key = std::env::var("STRIPE_SECRET_KEY").unwrap_or_else(|_| "sk_test_123".to_owned());
    let file = std::env::var("STRIPE_FILE_ID")
        .unwrap_or_else(|_| "file_1Mr23iLkdIwHu7ixQkCV3CBR".to_owned());
    let mut builder = stripe::ClientBuilder::new(key);
    if let Ok(base) = std::env::var("STRIPE_API_BASE") {
        builder = builder.url(base);
    }
    let client = builder.build_sync()?;
    let link = CreateFileLink::new(file)
        .expires_at(1_900_000_000)
        .metadata(HashMap::from([("order_id".to_owned(), "6735".to_owned())]))
        .send_blocking(&client)?;
    println!("{} {:?}", link.id, link.url);
    Ok(())
}
