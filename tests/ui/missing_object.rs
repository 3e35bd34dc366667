use resource_core::StripeResource;
use serde::Deserialize;

#[derive(Deserialize, StripeResource)]
#[stripe(path = "/v1/file_links", prefix = "link")]
pub struct FileLink {
    pub id: FileLinkId,
}

fn main() {}
