//! Search on the emulator: a useful subset of Stripe's query language over stored objects,
//! newest first, paged with opaque `next_page` tokens, in process and over HTTP.
#![allow(
    clippy::unwrap_used,
    missing_docs,
    reason = "test code and a test-only resource"
)]

use resource_core::{Client, Metadata, MetadataParam, SearchParams, StripeResource};
use resource_emulator::{Emulate, Emulator, Routes};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, StripeResource)]
#[stripe(object = "member", path = "/v1/members", prefix = "mem", create = CreateMember, search)]
pub struct Member {
    pub id: MemberId,
    pub object: String,
    pub created: i64,
    pub email: Option<String>,
    pub name: Option<String>,
    pub metadata: Metadata,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateMember {
    pub email: Option<String>,
    pub name: Option<String>,
    pub metadata: MetadataParam,
}

impl Emulate for Member {
    fn routes(routes: &mut Routes<Self>) {
        routes.create().search();
    }
}

fn searches(client: &Client) {
    let people = [
        ("jenny@example.com", "Jenny Rosen", "6735"),
        ("bob@example.com", "Bob Jones", "6736"),
        ("jen@example.org", "Jennifer Lee", "6735"),
        ("ann@example.com", "Ann Smith", "7000"),
        ("joe@example.net", "Joe Rosen", "6735"),
    ];
    for (email, name, order) in people {
        let params = CreateMember {
            email: Some(email.into()),
            name: Some(name.into()),
            metadata: [("order_id", order)].into_iter().collect(),
        };
        Member::create(client, &params).unwrap();
    }
    let emails = |query: &str| -> Vec<String> {
        Member::search_paginate(client, &SearchParams::new(query).limit(2))
            .map(|member| member.unwrap().email.unwrap())
            .collect()
    };
    // Newest first, every page followed.
    assert_eq!(
        emails("metadata['order_id']:'6735'"),
        ["joe@example.net", "jen@example.org", "jenny@example.com"]
    );
    assert_eq!(
        emails("name~'rosen' AND -email:'joe@example.net'"),
        ["jenny@example.com"]
    );
    assert_eq!(
        emails("email:'bob@example.com' OR email:'ann@example.com'"),
        ["ann@example.com", "bob@example.com"]
    );
    assert_eq!(emails("created>0").len(), 5);
    // One page: its token is opaque, and the last page has none.
    let page = Member::search(client, &SearchParams::new("created>0").limit(4)).unwrap();
    assert_eq!(
        (page.object.as_str(), page.url.as_str(), page.has_more),
        ("search_result", "/v1/members/search", true)
    );
    let next = page.next_page.unwrap();
    let last = Member::search(client, &SearchParams::new("created>0").limit(4).page(next)).unwrap();
    assert_eq!(
        (last.data.len(), last.has_more, last.next_page),
        (1, false, None)
    );
    // Syntax it does not read is Stripe's 400 on `query`.
    let error = Member::search(client, &SearchParams::new("email='x'")).unwrap_err();
    assert_eq!((error.status(), error.param()), (Some(400), Some("query")));
}

#[test]
fn search_in_process() {
    let emulator = Emulator::new();
    emulator.register::<Member>();
    searches(&emulator.client("sk_test_123").unwrap());
}

#[test]
fn search_over_http() {
    let emulator = Emulator::new();
    emulator.register::<Member>();
    let (_server, client) = tests::served(&emulator);
    searches(&client);
}
