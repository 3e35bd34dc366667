//! `FileLink::retrieve` (or `retrieve_with` and `expand[0]=file`) against a server that answers
//! with any status, headers from the input's head and any body: the call returns `Ok` or a typed
//! `Err`, never panics; the error is classified and shown as documented, without the key; a
//! generated valid body decodes to exactly what was sent; a decoded link survives a JSON round
//! trip; retries are counted and byte-identical. Input layout: `resource_fuzz::Head`.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use file_link::{FileLink, FileLinkId};
use libfuzzer_sys::fuzz_target;
use resource_core::RetrieveParams;
use resource_fuzz::{
    BASE, Head, LinkSpec, Scripted, Statuses, check_attempts, check_json_round_trip, check_request,
    check_response_error, minimal_link,
};

fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = Head::split(data, Statuses::Any) else {
        return;
    };
    let (body, spec) = if head.structured {
        let Ok(spec) = LinkSpec::arbitrary_take_rest(Unstructured::new(rest)) else {
            return;
        };
        (spec.to_json().to_string().into_bytes(), Some(spec))
    } else {
        (rest.to_vec(), None)
    };
    let unused = minimal_link("link_unused", "file_1")
        .to_string()
        .into_bytes();
    let transport = Scripted::new(head.response(&body), head.response(&unused));
    let client = head.client(transport.clone());

    let id: FileLinkId = "link_1".parse().expect("a valid id");
    let expand = head.mode & 1 == 1;
    let (result, url) = if expand {
        let params = RetrieveParams::new().expand("file");
        (
            FileLink::retrieve_with(&client, &id, &params),
            format!("{BASE}/v1/file_links/link_1?expand[0]=file"),
        )
    } else {
        (
            FileLink::retrieve(&client, &id),
            format!("{BASE}/v1/file_links/link_1"),
        )
    };

    let requests = transport.requests();
    check_attempts(&requests, head.expected_attempts());
    assert_eq!(requests.len(), head.expected_attempts(), "no other request");
    for request in &requests {
        check_request(request, "GET", &url);
        assert!(request.body.is_empty());
    }

    match result {
        Ok(link) => {
            assert!(
                head.is_success(),
                "status {} decoded as a link",
                head.status
            );
            let _ = format!("{link:?}");
            if let Some(spec) = &spec {
                spec.check(&link);
            }
            check_json_round_trip(&link);
        }
        Err(error) => {
            assert!(
                spec.is_none() || !head.is_success(),
                "a valid link was refused: {error}"
            );
            check_response_error::<FileLink>(&error, &head, &body);
        }
    }
});
