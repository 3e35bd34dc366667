use resource_core::StripeResource;
use serde::Deserialize;

#[derive(Deserialize, StripeResource)]
#[stripe(object = "file_link", prefix = "link")]
pub struct FileLink {
    pub id: FileLinkId,
}

fn main() {}
