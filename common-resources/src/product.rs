//! Products: `/v1/products`, the goods and services that prices are for.

use resource_core::{Metadata, MetadataParam, RangeQuery, StripeResource};
use serde::{Deserialize, Serialize};

/// A good or service you sell (API version 2026-01-28.clover); its prices are
/// [`Price`](crate::Price)s.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(
    object = "product",
    path = "/v1/products",
    prefix = "prod",
    create = CreateProduct,
    retrieve,
    update = UpdateProduct,
    delete,
    list = ListProducts,
)]
pub struct Product {
    /// Unique identifier (`prod_...`), unless its creator chose one.
    pub id: ProductId,
    /// Always `"product"`.
    pub object: String,
    /// Whether it can be bought.
    pub active: bool,
    /// When it was created (Unix seconds).
    pub created: i64,
    /// The id of its default price, if set.
    pub default_price: Option<String>,
    /// A description for customers.
    pub description: Option<String>,
    /// Whether the object lives in live mode.
    pub livemode: bool,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: Metadata,
    /// Its name, shown to customers.
    pub name: String,
    /// When it was last updated (Unix seconds).
    pub updated: i64,
}

/// Parameters of `POST /v1/products`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateProduct {
    /// Its name, shown to customers.
    pub name: String,
    /// Whether it can be bought (default `true`).
    #[serde(default)]
    pub active: Option<bool>,
    /// A description for customers.
    #[serde(default)]
    pub description: Option<String>,
    /// Your key-value pairs.
    #[serde(default)]
    pub metadata: MetadataParam,
    /// Fields of the answer to expand.
    #[serde(default)]
    pub expand: Vec<String>,
}

impl CreateProduct {
    /// A product named `name`, and nothing else.
    #[must_use]
    pub fn new(name: impl Into<String>) -> Self {
        CreateProduct {
            name: name.into(),
            active: None,
            description: None,
            metadata: MetadataParam::new(),
            expand: Vec::new(),
        }
    }
}

/// Parameters of `POST /v1/products/{id}`; `""` unsets `description`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateProduct {
    /// Whether it can be bought.
    pub active: Option<bool>,
    /// The id of a price of this product, to make it the default one.
    pub default_price: Option<String>,
    /// A description for customers.
    pub description: Option<String>,
    /// Your key-value pairs: set, unset or clear.
    pub metadata: MetadataParam,
    /// Its name, shown to customers.
    pub name: Option<String>,
    /// Fields of the answer to expand.
    pub expand: Vec<String>,
}

/// Parameters of `GET /v1/products`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListProducts {
    /// Only active (`true`) or inactive (`false`) products.
    pub active: Option<bool>,
    /// Only products created at, or within, these times.
    pub created: Option<RangeQuery>,
    /// A cursor: the page before this product id.
    pub ending_before: Option<String>,
    /// Page size, 1 to 100 (default 10).
    pub limit: Option<u32>,
    /// A cursor: the page after this product id.
    pub starting_after: Option<String>,
    /// Fields of each product to expand, as `data.<field>`.
    pub expand: Vec<String>,
}
