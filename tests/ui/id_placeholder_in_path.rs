use resource_core::StripeResource;
use serde::Deserialize;

#[derive(Deserialize, StripeResource)]
#[stripe(object = "payment_intent", path = "/v1/payment_intents/{id}", prefix = "pi", retrieve)]
pub struct PaymentIntent {
    pub id: PaymentIntentId,
}

fn main() {}
