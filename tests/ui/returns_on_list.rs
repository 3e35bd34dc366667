use resource_core::StripeResource;
use serde::Deserialize;

pub struct ListFiles;
pub struct Other;

#[derive(Deserialize, StripeResource)]
#[stripe(
    object = "file",
    path = "/v1/files",
    prefix = "file",
    list(params = ListFiles, returns = Other),
    search(returns = Other),
)]
pub struct File {
    pub id: FileId,
}

fn main() {
    let _ = File::list;
    let _ = File::search;
}
