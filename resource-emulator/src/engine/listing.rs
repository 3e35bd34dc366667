//! Lists and searches: pages newest first, cursors, filters, and pages written from the store.

use super::*;
use crate::search;
use resource_core::RangeQuery;

impl Engine {
    /// A page of the collection's objects in `scope`, answered as the list at `url`.
    pub(super) fn list(
        &self,
        index: usize,
        scope: &[String],
        url: &str,
        params: &Object,
    ) -> Result<Body, Rejection> {
        let limit = page_limit(params)?;
        let cursor = |name: &str| params.get(name).and_then(Value::as_str).map(str::to_owned);
        let (after, before) = (cursor("starting_after"), cursor("ending_before"));
        if after.is_some() && before.is_some() {
            return Err(Rejection::invalid_request(
                "You may only specify one of these parameters: ending_before, starting_after.",
            ));
        }
        let created = match params.get("created").filter(|v| !v.is_null()) {
            Some(value) => Some(serde_json::from_value::<RangeQuery>(value.clone()).map_err(
                |e| Rejection::invalid_request(format!("Invalid created: {e}")).param("created"),
            )?),
            None => None,
        };
        let collection = &self.collections[index];
        (collection.check_list)(params)?;
        let filters: Vec<(&String, &Value)> = params
            .iter()
            .filter(|(name, value)| {
                !value.is_null()
                    && !matches!(
                        name.as_str(),
                        "limit" | "starting_after" | "ending_before" | "created" | "expand"
                    )
                    && !collection.list_filters.contains(&name.as_str())
            })
            .collect();

        // A filter on a field the object does not have would match nothing, silently: Stripe
        // refuses a parameter it does not know.
        if let Some((name, _)) = filters.iter().find(|(name, _)| {
            !collection.fields.is_empty() && !collection.fields.contains(&name.as_str())
        }) {
            return Err(Rejection::unknown_parameter(name.as_str()));
        }
        let position = |name: &str, id: &str| {
            collection
                .by_id
                .get(id)
                .filter(|stored| stored.scope == scope)
                .map(|stored| stored.order)
                .ok_or_else(|| Rejection::no_such(collection.object, id, name).status(400))
        };
        let matches = |object: &Object| {
            created.is_none_or(|range| {
                object
                    .get("created")
                    .and_then(Value::as_i64)
                    .is_some_and(|c| range.contains(c))
            }) && filters
                .iter()
                .all(|(name, wanted)| field_matches(object.get(name.as_str()), wanted))
                && (collection.listed)(object, params)
        };
        let after = after
            .map(|id| position("starting_after", &id))
            .transpose()?;
        let before = before
            .map(|id| position("ending_before", &id))
            .transpose()?;
        let mut page: Vec<Cow<'_, Object>> = Vec::with_capacity(limit + 1);
        self.with_context(|context| {
            let order = &collection.order;
            for key in order.listed(
                scope,
                after.as_ref(),
                before.as_ref(),
                collection.oldest_first,
            ) {
                let Some(object) = collection.get(key) else {
                    continue;
                };
                let shown = collection.show(object, context);
                if matches(&shown) {
                    page.push(shown);
                    if page.len() > limit {
                        break;
                    }
                }
            }
        });
        let has_more = page.len() > limit;
        page.truncate(limit);
        if before.is_some() {
            page.reverse(); // collected nearest-the-cursor first; a page is in list order
        }
        let paths: Vec<String> = expand_paths(params)
            .iter()
            .map(|path| {
                path.strip_prefix("data.")
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        Rejection::invalid_request(format!(
                            "This property cannot be expanded ({path})."
                        ))
                        .param("expand")
                    })
            })
            .collect::<Result<_, _>>()?;
        if !paths.is_empty() {
            page = page
                .into_iter()
                .map(|object| {
                    self.expand(index, object.into_owned(), &paths)
                        .map(Cow::Owned)
                })
                .collect::<Result<_, _>>()?;
        }
        Ok(page_json(&Page {
            data: page,
            has_more,
            next_page: None,
            object: "list",
            url,
        }))
    }

    /// A search: the objects `query` matches, newest first, `limit` a page, from the offset
    /// the `page` token carries.
    pub(super) fn search(
        &self,
        index: usize,
        url: &str,
        params: &Object,
    ) -> Result<Body, Rejection> {
        let query = params
            .get("query")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let query = search::Query::parse(query)?;
        let limit = page_limit(params)?;
        let start = match params.get("page").and_then(Value::as_str) {
            None => 0,
            Some(token) => page_offset(token).ok_or_else(|| {
                Rejection::invalid_request("Invalid page: it is not a page token this search gave.")
                    .param("page")
            })?,
        };
        let collection = &self.collections[index];
        let mut data: Vec<Cow<'_, Object>> = self
            .with_context(|context| {
                collection
                    .order
                    .keys(&[], None, None)
                    .filter_map(|id| collection.get(id))
                    .map(|object| collection.show(object, context))
                    .filter(|object| query.matches(object))
                    .skip(start)
                    .take(limit + 1)
                    .collect()
            })
            .0;
        let has_more = data.len() > limit;
        data.truncate(limit);
        Ok(page_json(&Page {
            data,
            has_more,
            next_page: Some(has_more.then(|| page_token(start + limit))),
            object: "search_result",
            url,
        }))
    }
}

/// An equality filter: the field equals the value, or (expanded or not) has that id.
pub(super) fn field_matches(field: Option<&Value>, wanted: &Value) -> bool {
    match field {
        Some(Value::Object(expanded)) => expanded.get("id") == Some(wanted),
        Some(value) => value == wanted,
        None => false,
    }
}

/// The page size a list or search asks for: `limit`, 1 to 100, 10 when absent.
pub(super) fn page_limit(params: &Object) -> Result<usize, Rejection> {
    let limit = match params.get("limit") {
        None | Some(Value::Null) => DEFAULT_LIMIT,
        Some(value) => value
            .as_u64()
            .filter(|l| (1..=MAX_LIMIT).contains(l))
            .ok_or_else(|| {
                Rejection::invalid_request(format!(
                    "Invalid limit: must be between 1 and {MAX_LIMIT}, got {value}"
                ))
                .param("limit")
            })?,
    };
    Ok(usize::try_from(limit).unwrap_or(usize::MAX))
}

/// The `next_page` token of a search page starting at `offset`: opaque to clients.
pub(super) fn page_token(offset: usize) -> String {
    format!("page_{offset:x}_search")
}

pub(super) fn page_offset(token: &str) -> Option<usize> {
    let hex = token.strip_prefix("page_")?.strip_suffix("_search")?;
    usize::from_str_radix(hex, 16).ok()
}

/// A page of a list or of a search, its fields in the order a `Value` writes them. Its objects
/// are borrowed from the store where they are shown as stored: the page is written while the
/// store is read.
#[derive(Serialize)]
pub(super) struct Page<'a> {
    data: Vec<Cow<'a, Object>>,
    has_more: bool,
    /// A search's (`null` on its last page); a list has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_page: Option<Option<String>>,
    object: &'static str,
    url: &'a str,
}

pub(super) fn page_json(page: &Page<'_>) -> Body {
    Body::Bytes(json_bytes(page))
}
