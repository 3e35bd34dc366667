use resource_core::StripeResource;
use serde::Deserialize;

pub struct CreateFile;
pub struct UpdateFile;

#[derive(Deserialize, StripeResource)]
#[stripe(
    object = "file",
    path = "/v1/files",
    prefix = "file",
    create(params = CreateFile, host = "files", encoding = "multipart/form-data"),
    update(params = UpdateFile, encoding = "json"),
)]
pub struct File {
    pub id: FileId,
}

fn main() {
    let _ = File::create;
    let _ = File::update;
}
