use resource_core::StripeResource;
use serde::Deserialize;

#[derive(Deserialize, StripeResource)]
#[stripe(object = "source", path = "/v1/sources", prefix = [], retrieve)]
pub struct Source {
    pub id: SourceId,
}

#[derive(Deserialize, StripeResource)]
#[stripe(object = "card", path = "/v1/cards", prefix = ["card", "Ba", 5], retrieve)]
pub struct Card {
    pub id: CardId,
}

fn main() {}
