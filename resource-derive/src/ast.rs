//! Phase 2: the model. [`Input`] is the item as declared, everything optional; `valid` turns it
//! into a [`Resource`], which has everything `expand` needs: every operation resolved into its
//! HTTP method, full path template, arguments, parameters and answer.

use quote::format_ident;
use syn::{Attribute, Data, DataEnum, DataUnion, DeriveInput, Field, Fields, FieldsNamed};
use syn::{FieldsUnnamed, Ident, Type, Visibility};

use crate::attr::{self, ATTRIBUTE, Attrs, HttpMethod, Key, Settings};

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

/// A resource as `valid` resolved it. After errors it holds what could be resolved, for the
/// fallback: the operations that did resolve, and empty strings for missing values.
pub(crate) struct Resource<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) vis: &'a Visibility,
    /// The id type and its prefixes (empty: no fixed prefix); `None` for a singleton.
    pub(crate) id: Option<(&'a Ident, Vec<String>)>,
    pub(crate) object: String,
    pub(crate) path: String,
    /// How many parents the path has: the operation traits of resource-core fit only a resource
    /// with none.
    pub(crate) parents: usize,
    pub(crate) ops: Vec<Operation<'a>>,
}

/// One declared operation, resolved.
pub(crate) struct Operation<'a> {
    pub(crate) key: Key,
    /// The name of the method (`create`, or an action's name).
    pub(crate) name: Ident,
    pub(crate) method: HttpMethod,
    /// The full path template: `/v1/customers/{customer}/balance_transactions/{id}`.
    pub(crate) template: String,
    /// The template's placeholders, in order: the method's arguments after `client`.
    pub(crate) args: Vec<PathArg<'a>>,
    /// The parameters type as declared; `None` where the operation takes none, or its default
    /// (`RetrieveParams`, `SearchParams`).
    pub(crate) params: Option<&'a Type>,
    /// The answer type as declared with `returns` or `list`.
    pub(crate) answer: Option<&'a attr::Answer>,
    pub(crate) settings: Settings,
}

/// A placeholder of a path template.
pub(crate) enum PathArg<'a> {
    /// A parent's id: `{customer}` with `parents(customer = CustomerId)`.
    Parent { name: &'a Ident, ty: &'a Type },
    /// `{id}`: the resource's own id.
    Id,
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
