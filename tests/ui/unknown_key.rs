use resource_core::StripeResource;
use serde::Deserialize;

#[derive(Deserialize, StripeResource)]
#[stripe(
    object = "file_link",
    pth = "/v1/file_links",
    prefix = "link",
    retrieve
)]
pub struct FileLink {
    pub id: FileLinkId,
}

fn main() {
    // The fallback keeps these: one typo gives one error.
    let _ = FileLink::retrieve;
    let _ = "link_123".parse::<FileLinkId>();
}
