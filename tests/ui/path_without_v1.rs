use resource_core::StripeResource;
use serde::Deserialize;

#[derive(Deserialize, StripeResource)]
#[stripe(object = "file_link", path = "/file_links", prefix = "link")]
pub struct FileLink {
    pub id: FileLinkId,
}

fn main() {}
