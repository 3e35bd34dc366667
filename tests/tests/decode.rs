//! Decoding Stripe's OpenAPI fixtures (`fixtures/openapi-file-links.json`) into the typed objects,
//! and serializing them back to Stripe's JSON shape.

use file_link::{File, FileLink, FilePurpose};
use resource_core::{Expandable, List};
use serde_json::{Value, json};
use tests::openapi_fixture;

#[test]
fn file_link_fixture_decodes_and_round_trips() {
    let fixture = openapi_fixture("file_link");
    let link: FileLink = serde_json::from_value(fixture.clone()).unwrap();
    assert_eq!(link.id, "link_1Pgc76B7WZ01zgkWPhd77i13");
    assert_eq!(link.object, "file_link");
    assert_eq!(link.created, 1_234_567_890);
    assert!(!link.expired);
    assert_eq!(link.expires_at, Some(1_234_567_890));
    assert_eq!(
        link.file,
        Expandable::Id("file_1Pgag2B7WZ01zgkWITx3dIQc".into())
    );
    assert!(!link.livemode);
    assert!(link.metadata.is_empty());
    assert!(link.url.as_deref().unwrap().starts_with("https://"));
    assert_eq!(serde_json::to_value(&link).unwrap(), fixture);
}

#[test]
fn file_fixture_decodes_with_its_links_and_round_trips() {
    let fixture = openapi_fixture("file");
    let file: File = serde_json::from_value(fixture.clone()).unwrap();
    assert_eq!(file.id, "file_1Pgag2B7WZ01zgkWITx3dIQc");
    let links: &List<FileLink> = file.links.as_ref().unwrap();
    assert_eq!(links.object, "list");
    assert!(!links.data.is_empty());
    assert!(
        links
            .data
            .iter()
            .all(|link| link.expires_at.is_none() && link.file.id() == file.id.as_str())
    );
    assert_eq!(serde_json::to_value(&file).unwrap(), fixture);
}

#[test]
fn an_expanded_file_decodes_as_the_object() {
    let mut fixture = openapi_fixture("file_link");
    fixture["file"] = openapi_fixture("file");
    let link: FileLink = serde_json::from_value(fixture.clone()).unwrap();
    let file = link.file.as_object().unwrap();
    assert_eq!(file.id, "file_1Pgag2B7WZ01zgkWITx3dIQc");
    assert_eq!(link.file.id(), "file_1Pgag2B7WZ01zgkWITx3dIQc");
    assert_eq!(serde_json::to_value(&link).unwrap(), fixture);
}

#[test]
fn absent_nullable_fields_unknown_fields_and_unknown_purposes_are_tolerated() {
    // Raw text, not `json!`: serde_json's own map would sort the metadata keys first.
    let link: FileLink = serde_json::from_str(
        r#"{"id": "link_1", "object": "file_link", "created": 1, "expired": true,
            "file": "file_1", "livemode": true, "metadata": {"b": "2", "a": "1"},
            "a_field_from_the_future": {"nested": [1, 2]}}"#,
    )
    .unwrap();
    assert_eq!((link.expires_at, link.url), (None, None));
    assert_eq!(
        link.metadata.iter().collect::<Vec<_>>(),
        [("b", "2"), ("a", "1")]
    );

    let mut file = openapi_fixture("file");
    file["purpose"] = json!("a_purpose_from_the_future");
    file["type"] = Value::Null;
    let file: File = serde_json::from_value(file).unwrap();
    assert_eq!(
        file.purpose,
        FilePurpose::Other("a_purpose_from_the_future".into())
    );
    assert_eq!(file.type_, None);
}

#[test]
fn ids_in_responses_are_not_checked_against_their_prefix() {
    let mut fixture = openapi_fixture("file_link");
    fixture["id"] = json!("flink_a_new_prefix");
    let link: FileLink = serde_json::from_value(fixture).unwrap();
    assert_eq!(link.id.as_str(), "flink_a_new_prefix");
}

#[test]
fn a_list_page_decodes() {
    let page: List<FileLink> = serde_json::from_value(json!({
        "object": "list", "url": "/v1/file_links", "has_more": true,
        "data": [openapi_fixture("file_link")]
    }))
    .unwrap();
    assert!(page.has_more);
    assert_eq!(page.url, "/v1/file_links");
    assert_eq!(page.data.len(), 1);
}
