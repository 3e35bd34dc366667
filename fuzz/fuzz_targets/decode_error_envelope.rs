//! Non-2xx responses with any body, through four operations (retrieve, create, update, list):
//! always a typed `Api` error, classified by status then body per DESIGN 5.5; every accessor
//! answers; `Display` is Stripe's message (or the documented fallback) with the request id, and
//! neither `Display` nor `Debug` shows the key; a generated Stripe error object is kept whole,
//! unknown fields included; retries are counted and byte-identical (a POST's idempotency key
//! included). Input layout: `resource_fuzz::Head`, with statuses never 2xx.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use file_link::{CreateFileLink, FileLink, FileLinkId, ListFileLinks, UpdateFileLink};
use libfuzzer_sys::fuzz_target;
use resource_fuzz::{
    BASE, EnvelopeSpec, Head, Scripted, Statuses, check_attempts, check_request,
    check_response_error,
};

fuzz_target!(|data: &[u8]| {
    let Some((head, rest)) = Head::split(data, Statuses::Errors) else {
        return;
    };
    assert!(!head.is_success());
    let (body, spec) = if head.structured {
        let Ok(spec) = EnvelopeSpec::arbitrary_take_rest(Unstructured::new(rest)) else {
            return;
        };
        (spec.to_json().to_string().into_bytes(), Some(spec))
    } else {
        (rest.to_vec(), None)
    };
    let transport = Scripted::new(head.response(&body), head.response(b"{}"));
    let client = head.client(transport.clone());
    let id: FileLinkId = "link_1".parse().expect("a valid id");

    let (error, method, url, form) = match head.mode {
        0 => (
            FileLink::retrieve(&client, &id).err(),
            "GET",
            format!("{BASE}/v1/file_links/link_1"),
            "",
        ),
        1 => (
            FileLink::create(&client, &CreateFileLink::new("file_1").metadata("k", "v")).err(),
            "POST",
            format!("{BASE}/v1/file_links"),
            "file=file_1&metadata[k]=v",
        ),
        2 => (
            FileLink::update(&client, &id, &UpdateFileLink::new().unset_metadata("k")).err(),
            "POST",
            format!("{BASE}/v1/file_links/link_1"),
            "metadata[k]=",
        ),
        _ => (
            FileLink::list(&client, &ListFileLinks::new().limit(3)).err(),
            "GET",
            format!("{BASE}/v1/file_links?limit=3"),
            "",
        ),
    };
    let error = error.expect("a non-2xx status is an error");

    let requests = transport.requests();
    check_attempts(&requests, head.expected_attempts());
    assert_eq!(requests.len(), head.expected_attempts(), "no other request");
    for request in &requests {
        check_request(request, method, &url);
        assert_eq!(request.body.as_bytes(), Some(form.as_bytes()));
        if method == "POST" {
            assert!(request.header("Idempotency-Key").is_some());
        }
    }

    check_response_error::<FileLink>(&error, &head, &body);
    if let Some(spec) = &spec {
        spec.check(&error);
    }
});
