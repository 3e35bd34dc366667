use resource_core::StripeResource;
use serde::Deserialize;

pub struct CreateFile;

#[derive(Deserialize, StripeResource)]
#[stripe(
    object = "file",
    path = "/v1/files",
    prefix = "file",
    create = CreateFile,
    host = "files",
    encoding = "multipart",
)]
pub struct File {
    pub id: FileId,
}

fn main() {
    let _ = File::create;
}
