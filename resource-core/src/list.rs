//! One page of a list (`List<T>`) and lazy iteration over all pages (`Paginator<T>`).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::client::{Client, Method, Payload, decode};
use crate::error::{DecodeError, Error};
use crate::form::{self, Pair};
use crate::operation::Operation;
use crate::path;
use crate::resource::{Host, StripeResource};

/// One page of a list endpoint: `{"object": "list", "url": ..., "has_more": ..., "data": [...]}`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct List<T> {
    /// Always `"list"`.
    #[serde(default = "list_object")]
    pub object: String,
    /// The path this list was fetched from, such as `/v1/file_links`.
    #[serde(default)]
    pub url: String,
    /// Whether more objects follow this page in the direction of the request.
    pub has_more: bool,
    /// The objects of this page, newest first.
    pub data: Vec<T>,
}

fn list_object() -> String {
    "list".to_owned()
}

const STARTING_AFTER: &str = "starting_after";
const ENDING_BEFORE: &str = "ending_before";
const PAGE: &str = "page";

/// Iterates over every object of a list or search endpoint, fetching one page at a time
/// (DESIGN 5.6).
///
/// - A list, forward (the default): each next request repeats the caller's parameters with
///   `starting_after` set to the last id of the page.
/// - A list, backward (the caller set `ending_before` and not `starting_after`): each page is
///   yielded in reverse, and the next request sets `ending_before` to the first id of the page
///   as the server sent it.
/// - A search: each next request sets `page` to the previous page's `next_page`.
///
/// The paginator owns these parameters: the params type need not declare them. One the caller
/// gave keeps its position among the parameters; only its value changes. Iteration stops after a
/// page with `has_more: false` (or no items, or no `next_page`) without another request. After
/// an error the iterator yields nothing more. Only one page is held in memory.
///
/// Generated `paginate` methods build one; for an endpoint no declaration covers:
///
/// ```no_run
/// use resource_core::{Client, Method, Operation, Paginator};
/// # #[derive(serde::Deserialize)] struct X;
/// # fn demo<T: resource_core::StripeResource>(client: &Client) -> Result<(), resource_core::Error> {
/// const LINE_ITEMS: Operation = Operation::new("line_items", Method::Get, "/v1/checkout/sessions/{session}/line_items");
/// let params = std::collections::BTreeMap::from([("limit", 100)]);
/// for item in Paginator::<T>::new(client, &LINE_ITEMS, &["cs_test_123"], &params) {
///     let item: T = item?;
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a paginator does nothing until iterated"]
pub struct Paginator<T> {
    client: Client,
    host: Host,
    path: String,
    pairs: Vec<Pair>,
    next: Next<T>,
    page: std::vec::IntoIter<T>,
    state: State,
}

/// How the next page is asked for.
enum Next<T> {
    /// Set `key` (`starting_after` or `ending_before`) to the id `id` reads from the edge item.
    Cursor {
        key: &'static str,
        id: fn(&T) -> &str,
    },
    /// Set `page` to the previous page's `next_page`.
    PageToken,
}

enum State {
    /// The parameters could not be encoded, or the path filled: yield this error first.
    Failed(Error),
    /// The next request goes out with `pairs` as they are.
    Ready,
    /// Everything has been fetched (or an error was yielded).
    Done,
}

/// A page as both lists and searches send it; other fields are ignored.
#[derive(Deserialize)]
struct Page<T> {
    data: Vec<T>,
    has_more: bool,
    #[serde(default)]
    next_page: Option<String>,
}

impl<T: StripeResource> Paginator<T> {
    /// Pages through the list endpoint `operation`, its path filled with `ids` (see
    /// [`path::fill`](crate::path::fill)), starting with `params`.
    ///
    /// Nothing is sent until the first item is asked for; a path or parameters that cannot be
    /// sent are the first item's error.
    pub fn new<P: Serialize + ?Sized>(
        client: &Client,
        operation: &Operation,
        ids: &[&str],
        params: &P,
    ) -> Self {
        Paginator::start(client, operation, ids, params, |pairs| {
            let has = |key: &str| pairs.iter().any(|(k, _)| k == key);
            let key = if has(ENDING_BEFORE) && !has(STARTING_AFTER) {
                ENDING_BEFORE
            } else {
                STARTING_AFTER
            };
            Next::Cursor {
                key,
                id: |item: &T| item.id().as_ref(),
            }
        })
    }
}

impl<T> Paginator<T> {
    /// Pages through the search endpoint `operation` (`GET /v1/customers/search`), its path
    /// filled with `ids`, following each page's `next_page`.
    pub fn search<P: Serialize + ?Sized>(
        client: &Client,
        operation: &Operation,
        ids: &[&str],
        params: &P,
    ) -> Self {
        Paginator::start(client, operation, ids, params, |_| Next::PageToken)
    }

    /// A paginator whose next page is asked for as `next` says, given the first request's pairs.
    fn start<P: Serialize + ?Sized>(
        client: &Client,
        operation: &Operation,
        ids: &[&str],
        params: &P,
        next: impl FnOnce(&[Pair]) -> Next<T>,
    ) -> Self {
        let prepared = path::fill(operation.path, ids)
            .and_then(|path| Ok((path.into_owned(), form::to_pairs(params)?)));
        let (path, pairs, state) = match prepared {
            Ok((path, pairs)) => (path, pairs, State::Ready),
            Err(error) => (String::new(), Vec::new(), State::Failed(error)),
        };
        Paginator {
            client: client.clone(),
            host: operation.host,
            path,
            next: next(&pairs),
            pairs,
            page: Vec::new().into_iter(),
            state,
        }
    }

    fn key(&self) -> &'static str {
        match self.next {
            Next::Cursor { key, .. } => key,
            Next::PageToken => PAGE,
        }
    }

    fn backward(&self) -> bool {
        self.key() == ENDING_BEFORE
    }

    fn cursor(&self) -> Option<&str> {
        let key = self.key();
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn set_cursor(&mut self, value: String) {
        let key = self.key();
        match self.pairs.iter_mut().find(|(k, _)| k == key) {
            Some(pair) => pair.1 = value,
            None => self.pairs.push((key.to_owned(), value)),
        }
    }
}

impl<T: DeserializeOwned> Paginator<T> {
    /// Fetches the next page into `self.page` and decides what follows it.
    fn fetch(&mut self) -> Result<(), Error> {
        let response = self.client.send(
            Method::Get,
            self.host,
            &self.path,
            Payload::Form(form::encode_pairs(&self.pairs)),
        )?;
        let page: Page<T> = decode(&response)?;
        let next = match self.next {
            Next::Cursor { id, .. } => {
                let edge = if self.backward() {
                    page.data.first()
                } else {
                    page.data.last()
                };
                edge.map(|item| id(item).to_owned())
            }
            Next::PageToken => page.next_page,
        };
        let mut data = page.data;
        if self.backward() {
            data.reverse();
        }
        let progressed = !data.is_empty();
        self.page = data.into_iter();
        self.state = State::Done;
        if let (true, true, Some(next)) = (page.has_more, progressed, next) {
            if self.cursor() == Some(next.as_str()) {
                return Err(Error::Decode(Box::new(DecodeError {
                    status: response.status,
                    request_id: response.header("Request-Id").map(str::to_owned),
                    message: format!(
                        "pagination made no progress: the page ends at `{next}` again, the cursor just sent"
                    ),
                    excerpt: String::new(),
                })));
            }
            self.set_cursor(next);
            self.state = State::Ready;
        }
        Ok(())
    }
}

impl<T: DeserializeOwned> Iterator for Paginator<T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.page.next() {
                return Some(Ok(item));
            }
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return None,
                State::Failed(error) => return Some(Err(error)),
                State::Ready => {
                    if let Err(error) = self.fetch() {
                        self.state = State::Done;
                        self.page = Vec::new().into_iter();
                        return Some(Err(error));
                    }
                }
            }
        }
    }
}

impl<T> std::fmt::Debug for Paginator<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("path", &self.path)
            .field("params", &self.pairs)
            .field("buffered", &self.page.len())
            .finish_non_exhaustive()
    }
}
