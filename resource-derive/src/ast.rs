//! Phase 2: the model. [`Input`] is the item as declared, everything optional; `valid` turns it
//! into a [`Resource`], which has everything `expand` needs.

use quote::format_ident;
use syn::{Attribute, Data, DataEnum, DataUnion, DeriveInput, Field, Fields, FieldsNamed};
use syn::{FieldsUnnamed, Ident, LitStr, Visibility};

use crate::attr::{self, ATTRIBUTE, Attrs, Ops};

/// The name of the field that holds the object's id.
pub(crate) const ID_FIELD: &str = "id";

/// The derive input as declared.
pub(crate) struct Input<'a> {
    pub(crate) original: &'a DeriveInput,
    pub(crate) attrs: Attrs<'a>,
    /// The id type the derive generates: the struct's name + `Id`.
    pub(crate) id_type: Ident,
    pub(crate) body: Body<'a>,
    /// The `id` field, when the body has named fields.
    pub(crate) id_field: Option<&'a Field>,
    /// `#[stripe]` attributes on fields, which have no meaning there.
    pub(crate) misplaced: Vec<&'a Attribute>,
}

/// The shape of the item; only `Named` makes a resource.
pub(crate) enum Body<'a> {
    Named(&'a FieldsNamed),
    Tuple(&'a FieldsUnnamed),
    Unit,
    Enum(&'a DataEnum),
    Union(&'a DataUnion),
}

/// A resource that passed validation.
pub(crate) struct Resource<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) vis: &'a Visibility,
    pub(crate) id_type: &'a Ident,
    pub(crate) object: &'a LitStr,
    pub(crate) path: &'a LitStr,
    pub(crate) prefix: &'a LitStr,
    pub(crate) ops: &'a Ops,
}

impl<'a> Input<'a> {
    /// Never fails: mistakes in the attributes are kept in `attrs.errors` for `valid`.
    pub(crate) fn from_syn(node: &'a DeriveInput) -> Self {
        let body = match &node.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(fields) => Body::Named(fields),
                Fields::Unnamed(fields) => Body::Tuple(fields),
                Fields::Unit => Body::Unit,
            },
            Data::Enum(data) => Body::Enum(data),
            Data::Union(data) => Body::Union(data),
        };
        let fields: Vec<&Field> = match &body {
            Body::Named(fields) => fields.named.iter().collect(),
            Body::Tuple(fields) => fields.unnamed.iter().collect(),
            Body::Union(data) => data.fields.named.iter().collect(),
            Body::Enum(data) => data
                .variants
                .iter()
                .flat_map(|variant| &variant.fields)
                .collect(),
            Body::Unit => Vec::new(),
        };
        let id_field = match &body {
            Body::Named(fields) => fields
                .named
                .iter()
                .find(|field| field.ident.as_ref().is_some_and(|ident| ident == ID_FIELD)),
            _ => None,
        };
        let mut misplaced: Vec<&Attribute> = fields
            .iter()
            .flat_map(|field| &field.attrs)
            .filter(|attr| attr.path().is_ident(ATTRIBUTE))
            .collect();
        if let Body::Enum(data) = &body {
            misplaced.extend(
                data.variants
                    .iter()
                    .flat_map(|variant| &variant.attrs)
                    .filter(|attr| attr.path().is_ident(ATTRIBUTE)),
            );
        }
        Input {
            original: node,
            attrs: attr::get(&node.attrs),
            id_type: format_ident!("{}Id", node.ident),
            body,
            id_field,
            misplaced,
        }
    }
}
