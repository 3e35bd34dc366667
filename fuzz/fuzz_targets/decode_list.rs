//! `FileLink::list` and `FileLink::paginate` against a server whose first page (status, headers,
//! body) comes from the input; any later page request gets a fixed final page. `list` returns
//! `Ok` or a typed `Err`; `paginate` yields exactly that page's items (reversed when paging
//! backward), follows `has_more` with the right cursor in the right place of the query, stops on a
//! page that ends at the cursor just sent (a `Decode` error, no further request), yields nothing
//! after an error, and never loops. Input layout: `resource_fuzz::Head`; the mode bits choose the
//! direction and cursors.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use file_link::{FileLink, ListFileLinks};
use libfuzzer_sys::fuzz_target;
use resource_core::{Error, ErrorKind, List};
use resource_fuzz::{
    BASE, Head, PageSpec, Pair, Scripted, Statuses, check_attempts, check_common, check_request,
    check_response_error, minimal_link, strict_decode,
};
use serde_json::json;

/// The cursor the caller gives, with characters that need escaping in a query.
const CURSOR: &str = "link_c ur&sor=%2F+é";
const BEFORE: &str = "link_before";
const FILE: &str = "file_a&b=c d";
/// More items than any input can describe: iteration must end well before.
const MAX_ITEMS: usize = 100_000;

fn pair(key: &str, value: &str) -> Pair {
    (key.to_owned(), value.to_owned())
}

/// The parameters of each mode, the pairs they must encode to (by hand, in declaration order),
/// whether the paginator goes backward, and which key is its cursor.
fn params(mode: u8) -> (ListFileLinks, Vec<Pair>, bool, &'static str) {
    let base = ListFileLinks::new().file(FILE).limit(3);
    match mode {
        0 => (
            base,
            vec![pair("file", FILE), pair("limit", "3")],
            false,
            "starting_after",
        ),
        1 => (
            base.starting_after(CURSOR),
            vec![
                pair("file", FILE),
                pair("limit", "3"),
                pair("starting_after", CURSOR),
            ],
            false,
            "starting_after",
        ),
        2 => (
            base.ending_before(CURSOR),
            vec![
                pair("ending_before", CURSOR),
                pair("file", FILE),
                pair("limit", "3"),
            ],
            true,
            "ending_before",
        ),
        _ => (
            base.ending_before(BEFORE).starting_after(CURSOR),
            vec![
                pair("ending_before", BEFORE),
                pair("file", FILE),
                pair("limit", "3"),
                pair("starting_after", CURSOR),
            ],
            false,
            "starting_after",
        ),
    }
}

fn query_pairs(url: &str) -> Vec<Pair> {
    let (path, query) = url.split_once('?').expect("a query");
    assert_eq!(path, format!("{BASE}/v1/file_links"));
    strict_decode(query).unwrap_or_else(|e| panic!("query {query:?}: {e}"))
}

fn check_list_requests(requests: &[resource_core::Request], pairs: &[Pair]) {
    for request in requests {
        check_request(request, "GET", &request.url);
        assert!(request.body.is_empty());
        assert_eq!(query_pairs(&request.url), pairs);
    }
}

fn same_error(a: &Error, b: &Error) {
    assert_eq!(a.kind(), b.kind());
    assert_eq!(a.status(), b.status());
    assert_eq!(a.request_id(), b.request_id());
    assert_eq!(a.to_string(), b.to_string());
}

fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = Head::split(data, Statuses::Any) else {
        return;
    };
    let (params, pairs, backward, cursor_key) = params(head.mode);
    let cursor = pairs
        .iter()
        .find(|(k, _)| k == cursor_key)
        .map(|(_, v)| v.clone());
    let (body, spec) = if head.structured {
        let Ok(mut spec) = PageSpec::arbitrary_take_rest(Unstructured::new(rest)) else {
            return;
        };
        let json = spec.to_json(backward, cursor.as_deref());
        (json.to_string().into_bytes(), Some(spec))
    } else {
        (rest.to_vec(), None)
    };
    let final_page = json!({
        "object": "list",
        "url": "/v1/file_links",
        "has_more": false,
        "data": [minimal_link("link_final", "file_1")],
    });
    let final_page = resource_core::Response {
        status: 200,
        headers: Vec::new(),
        body: final_page.to_string().into_bytes(),
    };
    let attempts = head.expected_attempts();

    // One page.
    let transport = Scripted::new(head.response(&body), final_page.clone());
    let listed = FileLink::list(&head.client(transport.clone()), &params);
    let requests = transport.requests();
    check_attempts(&requests, attempts);
    assert_eq!(
        requests.len(),
        attempts,
        "list sends one request (and its retries)"
    );
    check_list_requests(&requests, &pairs);
    match &listed {
        Ok(page) => {
            assert!(
                head.is_success(),
                "status {} decoded as a page",
                head.status
            );
            if let Some(spec) = &spec {
                let ids: Vec<&str> = page.data.iter().map(|l| l.id.as_ref()).collect();
                assert_eq!(ids, spec.ids);
                assert_eq!(page.has_more, spec.has_more);
                assert_eq!(page.object, "list");
            }
        }
        Err(error) => {
            assert!(
                spec.is_none() || !head.is_success(),
                "a valid page was refused: {error}"
            );
            check_response_error::<List<FileLink>>(error, &head, &body);
        }
    }

    // Every page.
    let transport = Scripted::new(head.response(&body), final_page);
    let mut paginator = FileLink::paginate(&head.client(transport.clone()), &params);
    let mut yielded = Vec::new();
    for item in paginator.by_ref() {
        yielded.push(item);
        assert!(yielded.len() <= MAX_ITEMS, "pagination does not end");
    }
    assert!(
        paginator.next().is_none(),
        "a paginator that ended stays ended"
    );
    let requests = transport.requests();
    check_attempts(&requests, attempts);

    match listed {
        Err(error) => {
            assert_eq!(yielded.len(), 1, "an error, then nothing");
            let Some(Err(again)) = yielded.first() else {
                panic!("the first page failed but paginate yielded an item")
            };
            same_error(&error, again);
            assert_eq!(requests.len(), attempts);
            check_list_requests(&requests, &pairs);
        }
        Ok(page) => {
            let mut ids: Vec<String> = page.data.iter().map(|l| l.id.as_ref().to_owned()).collect();
            let edge = if backward { ids.first() } else { ids.last() }.cloned();
            if backward {
                ids.reverse();
            }
            let got = |yielded: &[Result<FileLink, Error>]| -> Vec<String> {
                yielded
                    .iter()
                    .map(|item| match item {
                        Ok(link) => link.id.as_ref().to_owned(),
                        Err(error) => panic!("unexpected error: {error}"),
                    })
                    .collect()
            };
            match edge {
                Some(next) if page.has_more && Some(&next) == cursor.as_ref() => {
                    // The page ends at the cursor just sent: an error, no further request.
                    assert_eq!(yielded.len(), 1, "an error, then nothing");
                    let Some(Err(error)) = yielded.first() else {
                        panic!("a page ending at the cursor sent gave an item")
                    };
                    check_common(error, &body);
                    assert_eq!(error.kind(), ErrorKind::Decode);
                    assert_eq!(error.status(), Some(head.status));
                    assert!(
                        error
                            .message()
                            .is_some_and(|m| m.contains("pagination made no progress"))
                    );
                    assert_eq!(requests.len(), attempts);
                    check_list_requests(&requests, &pairs);
                }
                Some(next) if page.has_more => {
                    ids.push("link_final".to_owned());
                    assert_eq!(got(&yielded), ids);
                    assert_eq!(requests.len(), attempts + 1, "one more page");
                    check_list_requests(&requests[..attempts], &pairs);
                    let mut expected = pairs.clone();
                    match expected.iter_mut().find(|(k, _)| k == cursor_key) {
                        Some(pair) => pair.1 = next,
                        None => expected.push((cursor_key.to_owned(), next)),
                    }
                    check_list_requests(&requests[attempts..], &expected);
                }
                _ => {
                    assert_eq!(got(&yielded), ids);
                    assert_eq!(requests.len(), attempts, "no page after the last");
                    check_list_requests(&requests, &pairs);
                }
            }
        }
    }
});
