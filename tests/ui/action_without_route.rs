use resource_core::StripeResource;
use serde::Deserialize;

pub struct ConfirmParams;

#[derive(Deserialize, StripeResource)]
#[stripe(
    object = "payment_intent",
    path = "/v1/payment_intents",
    prefix = "pi",
    action(confirm, params = ConfirmParams),
    action(post = "{id}/capture"),
    action = Capture,
)]
pub struct PaymentIntent {
    pub id: PaymentIntentId,
}

fn main() {}
