//! `#[derive(StripeResource)]` output is warning-free under the strictest lints a user may set.
#![deny(warnings, unused_qualifications, missing_docs, clippy::pedantic)]

use resource_core::{Client, Creatable, Encoding, Host, Listable, StripeResource, Updatable};

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

/// Parameters to upload a document.
#[derive(Debug, serde::Serialize)]
pub struct CreateDocument {
    /// The document's name.
    pub name: String,
}

/// Parameters to change a document.
#[derive(Debug, serde::Serialize)]
pub struct UpdateDocument {
    /// The document's new name.
    pub name: Option<String>,
}

/// Parameters to list documents.
#[derive(Debug, Default, serde::Serialize)]
pub struct ListDocuments {
    /// The page size.
    pub limit: Option<u8>,
}

/// A document: every operation in the nested form, some on the files host.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, StripeResource)]
#[stripe(
    object = "document",
    path = "/v1/documents",
    prefix = "doc",
    create(params = CreateDocument, host = "files", encoding = "multipart"),
    retrieve(host = "files"),
    update(params = UpdateDocument, host = "api", encoding = "form"),
    delete(host = "api"),
    list(params = ListDocuments, host = "files"),
)]
pub struct Document {
    /// Its id.
    pub id: DocumentId,
}

/// A document's page: nested, with several prefixes, an action and a list answer.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, StripeResource)]
#[stripe(
    object = "document_page",
    path = "/v1/documents/{document}/pages",
    parents(document = DocumentId),
    prefix = ["pg", "page"],
    retrieve,
    delete(params = UpdateDocument, returns = Document),
    list = ListDocuments,
    action(render, post = "{id}/render", params = UpdateDocument, host = "files", encoding = "multipart"),
    action(similar, get = "{id}/similar", list = DocumentPage),
    action(pdf, get = "/v1/documents/{document}/pdf", returns = resource_core::Binary),
)]
pub struct DocumentPage {
    /// Its id.
    pub id: DocumentPageId,
}

/// A document's cover: a nested singleton with no id prefix of its own.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, StripeResource)]
#[stripe(
    object = "cover",
    path = "/v1/documents/{document}/cover",
    parents(document = DocumentId),
    singleton,
    retrieve,
    update = UpdateDocument,
    delete,
    action(reset, post = "reset"),
)]
pub struct Cover {
    /// Its name.
    pub name: String,
}

/// A widget seen from a document: the same object, the widget's id type.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, StripeResource)]
#[stripe(
    object = "widget",
    path = "/v1/documents/{document}/widgets",
    parents(document = DocumentId),
    id = WidgetId,
    retrieve,
    list = ListDocuments,
)]
pub struct DocumentWidget {
    /// Its id.
    pub id: WidgetId,
}

/// Documents with no id prefix, searchable.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, StripeResource)]
#[stripe(object = "note", path = "/v1/notes", prefix = "", retrieve, search)]
pub struct Note {
    /// Its id.
    pub id: NoteId,
}

#[test]
fn constants() {
    assert_eq!(<Widget as StripeResource>::OBJECT, "widget");
    assert_eq!(<Gadget as StripeResource>::PATH, "/v1/gadgets");
    let _: fn(&Client, &GadgetId) -> Result<Gadget, resource_core::Error> = Gadget::retrieve;
    assert_eq!(<Document as Creatable>::HOST, Host::Files);
    assert_eq!(<Document as Creatable>::ENCODING, Encoding::Multipart);
    assert_eq!(<Document as Updatable>::ENCODING, Encoding::Form);
    assert_eq!(<Document as Listable>::HOST, Host::Files);
}
