use resource_core::StripeResource;
use serde::Deserialize;

#[derive(Deserialize, StripeResource)]
#[stripe(object = 5, path = "/file_links/", prefix = "Link", retrieve = X, create, list = ListFileLinks, list)]
pub struct FileLink<T> {
    pub id: String,
    pub extra: T,
}

pub struct ListFileLinks;

fn main() {
    let _ = FileLink::<u8>::retrieve;
    let _ = FileLink::<u8>::paginate;
}
