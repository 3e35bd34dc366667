use resource_core::StripeResource;
use serde::Deserialize;

pub struct ListFiles;

#[derive(Deserialize, StripeResource)]
#[stripe(
    object = "file",
    path = "/v1/files",
    prefix = "file",
    retrieve(encoding = "form"),
    list(params = ListFiles, host = "files", encoding = "multipart"),
    delete(host = "api", encoding = "form"),
)]
pub struct File {
    pub id: FileId,
}

fn main() {
    let _ = File::retrieve;
    let _ = File::list;
    let _ = File::delete;
}
