use resource_core::StripeResource;
use serde::Deserialize;

#[derive(Deserialize, StripeResource)]
#[stripe(
    object = "file_link",
    path = "/v1/file_links",
    prefix = "link",
    retrieve,
    delete,
    retrieve
)]
pub struct FileLink {
    pub id: FileLinkId,
}

fn main() {
    let _ = FileLink::retrieve;
}
