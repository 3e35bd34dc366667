//! The footprint app (`../footprint.d/ours.rs`: create one file link and print it), plus every
//! operation of Stripe's v1 API declared (the `every-operation` crate), all of it linked in.

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
    // Every declared operation's method is reachable from here, so none is left out of the build.
    let operations = std::hint::black_box(every_operation::operations());
    if std::env::var_os("SEND_EVERY_OPERATION").is_some() {
        for operation in &operations {
            let _ = (operation.send)(&client);
        }
    }
    let link = FileLink::create(
        &client,
        &CreateFileLink::new(file)
            .expires_at(1_900_000_000)
            .metadata("order_id", "6735"),
    )?;
    println!("{} {:?} ({} operations declared)", link.id, link.url, operations.len());
    Ok(())
}
