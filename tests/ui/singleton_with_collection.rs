use resource_core::StripeResource;
use serde::Deserialize;

pub struct ListParams;

#[derive(Deserialize, StripeResource)]
#[stripe(
    object = "balance",
    path = "/v1/balance",
    singleton,
    retrieve,
    list = ListParams,
    action(history, get = "{id}/history"),
)]
pub struct Balance {
    pub livemode: bool,
}

fn main() {
    let _ = Balance::retrieve;
}
