use resource_core::StripeResource;
use serde::Deserialize;

#[derive(Deserialize, StripeResource)]
#[stripe(
    object = "file_link",
    path = "/v1/file_links",
    prefix = "link",
    retrieve
)]
pub struct FileLink<T> {
    pub id: FileLinkId,
    pub extra: T,
}

fn main() {
    let _ = FileLink::<u8>::retrieve;
}
