use resource_core::StripeResource;
use serde::Deserialize;

#[derive(Deserialize, StripeResource)]
#[stripe(
    object = "file",
    path = "/v1/files",
    prefix = "file",
    create(host = "files", encoding = "multipart"),
    list(),
    retrieve
)]
pub struct File {
    pub id: FileId,
}

fn main() {
    let _ = File::retrieve;
}
