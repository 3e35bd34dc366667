use resource_core::StripeResource;
use serde::Deserialize;

#[derive(Deserialize, StripeResource)]
#[stripe(object = "file_link", path = "/v1/file_links", prefix = "Link")]
pub struct FileLink {
    pub id: FileLinkId,
}

fn main() {}
