use resource_core::StripeResource;
use serde::Deserialize;

#[derive(Deserialize, StripeResource)]
#[stripe(
    object = "payment_intent",
    path = "/v1/payment_intents",
    prefix = "pi",
    retrieve,
    action(retrieve_with, get = "{id}/with"),
    action(cancel, post = "{id}/cancel"),
    action(cancel, post = "{id}/cancel_again"),
)]
pub struct PaymentIntent {
    pub id: PaymentIntentId,
}

fn main() {}
