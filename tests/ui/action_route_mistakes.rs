use resource_core::StripeResource;
use serde::Deserialize;

pub struct LineItem;

#[derive(Deserialize, StripeResource)]
#[stripe(
    object = "payment_intent",
    path = "/v1/payment_intents",
    prefix = "pi",
    action(confirm, post = "{intent}/confirm"),
    action(capture, get = "{id}/capture", post = "{id}/capture"),
    action(cancel, post = "{id}//cancel"),
    action(lines, post = "{id}/lines", list = LineItem),
    action(search_all, get = "search", returns = LineItem, list = LineItem),
    action(verify, get = "{id}/verify", encoding = "multipart"),
)]
pub struct PaymentIntent {
    pub id: PaymentIntentId,
}

fn main() {}
