//! `#[derive(StripeResource)]` output names everything by full path: local items called
//! `Result`, `Option`, `Ok`, `String`, `core`, `resource_core`, ... change nothing.

#![allow(
    non_camel_case_types,
    non_snake_case,
    non_upper_case_globals,
    dead_code,
    unused_macros,
    missing_docs
)]

mod shadowed {
    // Every name generated code could be tempted to use bare.
    struct Result;
    struct Option;
    struct String;
    struct Vec;
    struct Box;
    struct Error;
    struct Client;
    struct List;
    struct Paginator;
    struct Deleted;
    struct RetrieveParams;
    struct Host;
    struct Encoding;
    struct Self_;
    trait Clone {}
    trait Default {}
    trait Iterator {}
    trait Into {}
    trait From {}
    trait AsRef {}
    trait StripeResource {}
    trait Creatable {}
    trait Retrievable {}
    trait Updatable {}
    trait Deletable {}
    trait Listable {}
    fn Ok() {}
    fn Err() {}
    fn Some() {}
    const None: () = ();
    mod core {}
    mod std {}
    mod resource_core {}
    mod __private {}
    macro_rules! unreachable {
        () => {
            compile_error!("the local `unreachable!` was used")
        };
    }
    macro_rules! define_id {
        ($($tt:tt)*) => {
            compile_error!("the local `define_id!` was used")
        };
    }

    #[derive(::serde::Serialize)]
    pub struct CreateWidget {
        pub name: ::std::string::String,
    }

    #[derive(::serde::Serialize)]
    pub struct UpdateWidget {
        pub name: ::std::option::Option<::std::string::String>,
    }

    #[derive(::serde::Serialize)]
    pub struct ListWidgets {
        pub limit: ::std::option::Option<u8>,
    }

    #[derive(::serde::Deserialize, ::serde::Serialize, ::resource_core::StripeResource)]
    #[stripe(object = "widget", path = "/v1/widgets", prefix = "wdg")]
    #[stripe(create = CreateWidget, retrieve, update = UpdateWidget, delete, list = ListWidgets)]
    pub struct Widget {
        pub id: WidgetId,
        pub name: ::std::string::String,
    }

    /// The nested form, every operation with settings, some on the files host.
    #[derive(::serde::Deserialize, ::resource_core::StripeResource)]
    #[stripe(object = "document", path = "/v1/documents", prefix = "doc")]
    #[stripe(
        create(params = CreateWidget, host = "files", encoding = "multipart"),
        retrieve(host = "files"),
        update(encoding = "form", params = UpdateWidget),
        delete(host = "api"),
        list(params = ListWidgets, host = "files"),
    )]
    pub struct Document {
        pub id: DocumentId,
    }

    // Every generated method, by type: this fails to compile if a signature changes.
    pub fn methods() {
        use ::resource_core::{Client, Deleted, Error, List, Paginator, RetrieveParams};
        type Res<T> = ::core::result::Result<T, Error>;
        let _: fn(&Client, &CreateWidget) -> Res<Widget> = Widget::create;
        let _: fn(&Client, &WidgetId) -> Res<Widget> = Widget::retrieve;
        let _: fn(&Client, &WidgetId, &RetrieveParams) -> Res<Widget> = Widget::retrieve_with;
        let _: fn(&Client, &WidgetId, &UpdateWidget) -> Res<Widget> = Widget::update;
        let _: fn(&Client, &WidgetId) -> Res<Deleted<WidgetId>> = Widget::delete;
        let _: fn(&Client, &ListWidgets) -> Res<List<Widget>> = Widget::list;
        let _: fn(&Client, &ListWidgets) -> Paginator<Widget> = Widget::paginate;
        let _: fn(&Client, &CreateWidget) -> Res<Document> = Document::create;
        let _: fn(&Client, &DocumentId) -> Res<Document> = Document::retrieve;
        let _: fn(&Client, &DocumentId, &RetrieveParams) -> Res<Document> = Document::retrieve_with;
        let _: fn(&Client, &DocumentId, &UpdateWidget) -> Res<Document> = Document::update;
        let _: fn(&Client, &DocumentId) -> Res<Deleted<DocumentId>> = Document::delete;
        let _: fn(&Client, &ListWidgets) -> Res<List<Document>> = Document::list;
        let _: fn(&Client, &ListWidgets) -> Paginator<Document> = Document::paginate;
    }
}

/// A resource with only the required keys and a restricted visibility.
mod minimal {
    #[derive(serde::Deserialize, resource_core::StripeResource)]
    #[stripe(prefix = "thing", path = "/v1/things", object = "thing")]
    pub(crate) struct Thing {
        pub(crate) id: ThingId,
    }
}

use resource_core::{
    Creatable, Deletable, Encoding, ErrorKind, Host, Listable, ResourceId, Retrievable,
    StripeResource, Updatable,
};
use shadowed::{CreateWidget, Document, ListWidgets, UpdateWidget, Widget, WidgetId};

#[test]
fn constants_come_from_the_attribute() {
    assert_eq!(<Widget as StripeResource>::OBJECT, "widget");
    assert_eq!(<Widget as StripeResource>::PATH, "/v1/widgets");
    assert_eq!(<WidgetId as ResourceId>::PREFIX, "wdg");
    assert_eq!(<minimal::Thing as StripeResource>::PATH, "/v1/things");
    assert_eq!(<minimal::ThingId as ResourceId>::PREFIX, "thing");
    shadowed::methods();
}

#[test]
fn operation_traits_have_the_declared_params() {
    fn params<
        T: Creatable<CreateParams = C> + Updatable<UpdateParams = U> + Listable<ListParams = L>,
        C,
        U,
        L,
    >() {
    }
    fn flags<T: Retrievable + Deletable>() {}
    params::<Widget, CreateWidget, UpdateWidget, ListWidgets>();
    flags::<Widget>();
    params::<Document, CreateWidget, UpdateWidget, ListWidgets>();
    flags::<Document>();
}

#[test]
fn operation_consts_come_from_the_nested_form() {
    // The short form keeps every trait default.
    assert_eq!(<Widget as Creatable>::HOST, Host::Api);
    assert_eq!(<Widget as Creatable>::ENCODING, Encoding::Form);
    assert_eq!(<Widget as Listable>::HOST, Host::Api);

    assert_eq!(<Document as Creatable>::HOST, Host::Files);
    assert_eq!(<Document as Creatable>::ENCODING, Encoding::Multipart);
    assert_eq!(<Document as Retrievable>::HOST, Host::Files);
    assert_eq!(<Document as Updatable>::HOST, Host::Api);
    assert_eq!(<Document as Updatable>::ENCODING, Encoding::Form);
    assert_eq!(<Document as Deletable>::HOST, Host::Api);
    assert_eq!(<Document as Listable>::HOST, Host::Files);
}

#[test]
fn the_id_type_checks_its_prefix() -> Result<(), resource_core::Error> {
    let id: WidgetId = "wdg_123abc".parse()?;
    assert_eq!(id.as_str(), "wdg_123abc");
    assert_eq!(id.to_string(), "wdg_123abc");

    for wrong in ["link_123", "wdg123", "wdg_", "", "wdg_a/b", "WDG_123"] {
        let error = wrong.parse::<WidgetId>().err();
        assert_eq!(
            error.map(|e| e.kind()),
            Some(ErrorKind::InvalidInput),
            "{wrong:?}"
        );
    }
    Ok(())
}

#[test]
fn id_returns_the_id_field() -> Result<(), serde_json::Error> {
    let widget: Widget = serde_json::from_str(r#"{"id": "wdg_1", "name": "a"}"#)?;
    assert_eq!(widget.id().as_str(), "wdg_1");
    assert_eq!(
        serde_json::to_string(&widget)?,
        r#"{"id":"wdg_1","name":"a"}"#
    );
    let thing: minimal::Thing = serde_json::from_str(r#"{"id": "other_1"}"#)?;
    assert_eq!(
        thing.id().as_str(),
        "other_1",
        "ids decode whatever their prefix"
    );
    Ok(())
}
