use resource_core::StripeResource;
use serde::Deserialize;

#[derive(Deserialize, StripeResource)]
#[stripe(object = "balance", path = "/v1/balance", singleton = true, retrieve)]
pub struct Balance {
    pub livemode: bool,
}

fn main() {
    let _ = Balance::retrieve;
}
