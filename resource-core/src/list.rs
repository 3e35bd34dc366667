//! One page of a list (`List<T>`) and lazy iteration over all pages (`Paginator<T>`).

use serde::{Deserialize, Serialize};

use crate::client::{Client, Method, Payload, decode};
use crate::error::{DecodeError, Error};
use crate::form::{self, Pair};
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

/// Iterates over every object of a list endpoint, fetching one page at a time (DESIGN 5.6).
///
/// - Forward (the default): each next request repeats the caller's parameters with
///   `starting_after` set to the last id of the page.
/// - Backward (the caller set `ending_before` and not `starting_after`): each page is yielded in
///   reverse, and the next request sets `ending_before` to the first id of the page as the server
///   sent it.
///
/// A cursor the caller gave keeps its position among the parameters; only its value changes.
/// Iteration stops after a page with `has_more: false` (or no items) without another request.
/// After an error the iterator yields nothing more. Only one page is held in memory.
#[must_use = "a paginator does nothing until iterated"]
pub struct Paginator<T> {
    client: Client,
    host: Host,
    path: &'static str,
    pairs: Vec<Pair>,
    cursor_key: &'static str,
    page: std::vec::IntoIter<T>,
    state: State,
}

enum State {
    /// The parameters could not be encoded: yield this error first.
    Failed(Error),
    /// The next request goes out with `pairs` as they are.
    Ready,
    /// Everything has been fetched (or an error was yielded).
    Done,
}

impl<T> Paginator<T> {
    pub(crate) fn new<P: Serialize + ?Sized>(
        client: Client,
        host: Host,
        path: &'static str,
        params: &P,
    ) -> Self {
        let (pairs, state) = match form::to_pairs(params) {
            Ok(pairs) => (pairs, State::Ready),
            Err(error) => (Vec::new(), State::Failed(error)),
        };
        let has = |key: &str| pairs.iter().any(|(k, _)| k == key);
        let cursor_key = if has(ENDING_BEFORE) && !has(STARTING_AFTER) {
            ENDING_BEFORE
        } else {
            STARTING_AFTER
        };
        Paginator {
            client,
            host,
            path,
            pairs,
            cursor_key,
            page: Vec::new().into_iter(),
            state,
        }
    }

    fn backward(&self) -> bool {
        self.cursor_key == ENDING_BEFORE
    }

    fn cursor(&self) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == self.cursor_key)
            .map(|(_, v)| v.as_str())
    }

    fn set_cursor(&mut self, value: String) {
        match self.pairs.iter_mut().find(|(k, _)| k == self.cursor_key) {
            Some(pair) => pair.1 = value,
            None => self.pairs.push((self.cursor_key.to_owned(), value)),
        }
    }
}

impl<T: StripeResource> Paginator<T> {
    /// Fetches the next page into `self.page` and decides what follows it.
    fn fetch(&mut self) -> Result<(), Error> {
        let response = self.client.send(
            Method::Get,
            self.host,
            self.path,
            Payload::Form(form::encode_pairs(&self.pairs)),
        )?;
        let list: List<T> = decode(&response)?;
        let edge = if self.backward() {
            list.data.first()
        } else {
            list.data.last()
        };
        let next_cursor = edge.map(|item| item.id().as_ref().to_owned());
        let mut data = list.data;
        if self.backward() {
            data.reverse();
        }
        self.page = data.into_iter();
        self.state = State::Done;
        if let (true, Some(next)) = (list.has_more, next_cursor) {
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

impl<T: StripeResource> Iterator for Paginator<T> {
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
