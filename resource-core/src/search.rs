//! Search: one page of results (`SearchResult<T>`) and the parameters every search takes.

use serde::{Deserialize, Serialize};

/// One page of a search endpoint (`GET /v1/customers/search`): `{"object": "search_result",
/// "data": [...], "has_more": ..., "next_page": ..., "url": ...}`.
///
/// Pages are reached with the `page` parameter set to the previous page's `next_page`;
/// [`Paginator::search`](crate::Paginator::search) does that lazily.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct SearchResult<T> {
    /// Always `"search_result"`.
    #[serde(default = "search_result_object")]
    pub object: String,
    /// The path searched, such as `/v1/customers/search`.
    #[serde(default)]
    pub url: String,
    /// Whether more results follow this page.
    pub has_more: bool,
    /// The token of the next page, for the `page` parameter; `None` on the last page.
    #[serde(default)]
    pub next_page: Option<String>,
    /// The total number of results, when the request asked for it (`expand[]=total_count`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
    /// The results of this page.
    pub data: Vec<T>,
}

fn search_result_object() -> String {
    "search_result".to_owned()
}

/// The parameters of every search endpoint: `query`, `limit`, `page`, `expand`, in the API
/// reference's order.
///
/// ```
/// use resource_core::SearchParams;
///
/// let params = SearchParams::new("email:'jenny@example.com' AND metadata['order_id']:'6735'").limit(20);
/// assert_eq!(
///     resource_core::form::to_string(&params)?,
///     "query=email%3A%27jenny%40example.com%27+AND+metadata[%27order_id%27]%3A%276735%27&limit=20",
/// );
/// # Ok::<(), resource_core::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchParams {
    query: String,
    #[serde(default)]
    limit: Option<u32>,
    #[serde(default)]
    page: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    expand: Vec<String>,
}

impl SearchParams {
    /// A search for `query`, in Stripe's search query language.
    #[must_use]
    pub fn new(query: impl Into<String>) -> Self {
        SearchParams {
            query: query.into(),
            ..SearchParams::default()
        }
    }

    /// At most `limit` results a page (1 to 100; Stripe's default is 10).
    #[must_use]
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Starts at the page whose token a previous page gave as `next_page`.
    #[must_use]
    pub fn page(mut self, token: impl Into<String>) -> Self {
        self.page = Some(token.into());
        self
    }

    /// Expands a field of each result (repeatable), or `total_count`.
    #[must_use]
    pub fn expand(mut self, field: impl Into<String>) -> Self {
        self.expand.push(field.into());
        self
    }
}
