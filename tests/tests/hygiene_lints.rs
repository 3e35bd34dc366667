//! `#[derive(StripeResource)]` output is warning-free under the strictest lints a user may set.
#![deny(warnings, unused_qualifications, missing_docs, clippy::pedantic)]

use resource_core::{Client, StripeResource};

/// Parameters to create a widget.
#[derive(Debug, serde::Serialize)]
pub struct CreateWidget {
    /// The widget's name.
    pub name: String,
}

/// A widget.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, StripeResource)]
#[stripe(object = "widget", path = "/v1/widgets", prefix = "wdg", create = CreateWidget, retrieve, delete)]
pub struct Widget {
    /// Its id.
    pub id: WidgetId,
}

/// Parameters to list gadgets.
#[derive(Debug, Default, serde::Serialize)]
struct ListGadgets {}

/// A private resource of which only some generated methods are used.
#[derive(serde::Deserialize, StripeResource)]
#[stripe(object = "gadget", path = "/v1/gadgets", prefix = "gdg", retrieve, list = ListGadgets)]
struct Gadget {
    id: GadgetId,
}

#[test]
fn constants() {
    assert_eq!(<Widget as StripeResource>::OBJECT, "widget");
    assert_eq!(<Gadget as StripeResource>::PATH, "/v1/gadgets");
    let _: fn(&Client, &GadgetId) -> Result<Gadget, resource_core::Error> = Gadget::retrieve;
}
