use resource_core::{Client, Deletable, StripeResource};
use serde::Deserialize;

#[derive(Deserialize, StripeResource)]
#[stripe(object = "file_link", path = "/v1/file_links", prefix = "link", retrieve)]
pub struct FileLink {
    pub id: FileLinkId,
}

fn delete_any<R: Deletable>(client: &Client, id: &R::Id) {
    let _ = R::delete(client, id);
}

fn main() {
    let client = Client::builder("sk_test_123").build().unwrap();
    let id: FileLinkId = "link_123".parse().unwrap();
    delete_any::<FileLink>(&client, &id);
    let _ = FileLink::delete(&client, &id);
}
