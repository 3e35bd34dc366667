//! The footprint app (`../footprint.d/ours.rs`) in an application that declares every operation
//! of Stripe's v1 API and calls every one of them (`every-operation` with its `calls` table).

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
    if std::env::var_os("SEND_EVERY_OPERATION").is_some() {
        for operation in every_operation::operations() {
            let _ = (operation.send)(&client);
        }
    }
    let link = FileLink::create(
        &client,
        &CreateFileLink::new(file)
            .expires_at(1_900_000_000)
            .metadata("order_id", "6735"),
    )?;
    println!("{} {:?}", link.id, link.url);
    Ok(())
}
