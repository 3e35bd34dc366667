//! The footprint app (`../footprint.d/ours.rs`: create one file link and print it) in an
//! application that declares every operation of Stripe's v1 API (the `every-operation` crate,
//! its declarations alone) and uses two of them, as an application uses a few.

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
    if let Ok(customer) = std::env::var("STRIPE_CUSTOMER_ID") {
        let customer: every_operation::CustomerId = customer.parse()?;
        every_operation::Customer::retrieve(&client, &customer)?;
        every_operation::Balance::retrieve(&client)?;
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
