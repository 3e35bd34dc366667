use resource_core::StripeResource;
use serde::Deserialize;

pub struct CreateFile;

#[derive(Deserialize, StripeResource)]
#[stripe(
    object = "file",
    path = "/v1/files",
    prefix = "file",
    create(params = CreateFile, hots = "files"),
    retrieve,
)]
pub struct File {
    pub id: FileId,
}

fn main() {
    // The fallback keeps `create`: one typo gives one error.
    let _ = File::create;
    let _ = File::retrieve;
}
