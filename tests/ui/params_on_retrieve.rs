use resource_core::StripeResource;
use serde::Deserialize;

#[derive(Deserialize, StripeResource)]
#[stripe(
    object = "file",
    path = "/v1/files",
    prefix = "file",
    retrieve(params = RetrieveParams),
    delete(params = DeleteParams, host = "files"),
)]
pub struct File {
    pub id: FileId,
}

fn main() {
    let _ = File::retrieve;
    let _ = File::delete;
}
