use resource_core::StripeResource;
use serde::Deserialize;

#[derive(Deserialize, StripeResource)]
pub struct FileLink {
    pub id: FileLinkId,
}

fn main() {}
