use resource_core::StripeResource;
use serde::Deserialize;

#[derive(Deserialize, StripeResource)]
#[stripe(object = "subscription", path = "/v1/subscriptions", prefix = "sub", retrieve)]
pub struct Subscription {
    pub id: SubscriptionId,
}

#[derive(Deserialize, StripeResource)]
#[stripe(
    object = "subscription",
    path = "/v1/customer_subscriptions",
    id = SubscriptionId,
    prefix = "sub",
    retrieve,
)]
pub struct CustomerSubscription {
    pub id: SubscriptionId,
}

#[derive(Deserialize, StripeResource)]
#[stripe(object = "subscription", path = "/v1/items", id = SubscriptionId, singleton)]
pub struct Item {
    pub id: SubscriptionId,
}

#[derive(Deserialize, StripeResource)]
#[stripe(object = "subscription", path = "/v1/others", id = SubscriptionId, retrieve)]
pub struct Other {
    pub id: OtherId,
}

fn main() {}
