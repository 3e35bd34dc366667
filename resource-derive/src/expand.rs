//! Phase 4: the generated code. Cannot fail.
//!
//! Everything is named by full path, through `::resource_core` or `::core`, so user items called
//! `Result`, `Option` or `resource_core` change nothing. The only behaviour is forwarding: every
//! declared operation becomes one `resource_core::Operation` in a table, and each method sends
//! its request with `Client::call` (or builds a `Paginator`) on its entry of that table.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Visibility;
use syn::spanned::Spanned;

use crate::ast::{ID_FIELD, IdType, Operation, PathArg, Resource};
use crate::attr::{Answer, Encoding, Host, HttpMethod, Key, Settings};

/// The table of the declaration's operations, inside the generated `const _` block.
const TABLE: &str = "__STRIPE_OPERATIONS";

pub(crate) fn derive(resource: &Resource) -> TokenStream {
    let Resource {
        ident,
        vis,
        id,
        object,
        path,
        ..
    } = resource;
    let define_id = match id {
        Some(IdType::Generated(id_type, prefixes)) => {
            Some(define_id(ident, vis, id_type, prefixes))
        }
        Some(IdType::Shared(_)) | None => None,
    };
    let stripe_resource = id.as_ref().map(|id_type| {
        let id_field = Ident::new(ID_FIELD, Span::call_site());
        quote! {
            #[automatically_derived]
            #[allow(unused_qualifications)]
            impl ::resource_core::StripeResource for #ident {
                type Id = #id_type;
                const OBJECT: &'static str = #object;
                const PATH: &'static str = #path;

                fn id(&self) -> &#id_type {
                    &self.#id_field
                }
            }
        }
    });
    let table = Ident::new(TABLE, Span::call_site());
    let operations = resource.ops.iter().map(operation_const);
    let count = resource.ops.len();
    let singleton = id.is_none();
    let prefix = match id {
        Some(id_type) => quote!(<#id_type as ::resource_core::ResourceId>::PREFIX),
        None => quote!(""),
    };
    let trait_impls = trait_impls(resource);
    let declares_impls = declares_impls(resource);
    let methods = methods(resource)
        .iter()
        .map(|method| method.forwarding(vis))
        .collect::<TokenStream>();
    let undeclared = undeclared(resource);
    quote! {
        #define_id

        const _: () = {
            const #table: [::resource_core::Operation; #count] = [#(#operations),*];

            #stripe_resource

            #[automatically_derived]
            #[allow(unused_qualifications)]
            impl ::resource_core::Declared for #ident {
                const DECLARATION: ::resource_core::Declaration = ::resource_core::Declaration {
                    object: #object,
                    path: #path,
                    singleton: #singleton,
                    prefix: #prefix,
                    operations: &#table,
                };
            }

            #trait_impls
            #declares_impls

            #[automatically_derived]
            #[allow(unused_qualifications)]
            impl #ident {
                #methods
                #undeclared
            }
        };
    }
}

/// For each operation of `create`, `retrieve`, `update`, `delete`, `list` and `search` that is
/// not declared, hidden methods of its names that no call can satisfy: calling one is the
/// error "`FileLink` does not declare `delete`" with what to add, rather than rustc's "no
/// function `delete`; perhaps you need to implement `Deletable`". Every argument is generic, so
/// a call with the arguments the operation would take reaches that error and no other.
fn undeclared(resource: &Resource) -> TokenStream {
    let taken: Vec<String> = resource.ops.iter().flat_map(method_names).collect();
    let id = usize::from(resource.id.is_some());
    let mut tokens = TokenStream::new();
    // Each operation with the ids and parameters its method and its companion take.
    for (key, trait_name, (ids, params), companion_params) in [
        (Key::Create, "Create", (0, 1), 0),
        (Key::Retrieve, "Retrieve", (id, 0), 1),
        (Key::Update, "Update", (id, 1), 0),
        (Key::Delete, "Delete", (id, 0), 0),
        (Key::List, "List", (0, 1), 1),
        (Key::Search, "Search", (0, 1), 1),
    ] {
        if resource.ops.iter().any(|op| op.key == key) {
            continue;
        }
        // Stripe's searches are all top-level.
        let parents = if key == Key::Search {
            0
        } else {
            resource.parents
        };
        let trait_name = Ident::new(trait_name, Span::call_site());
        let own = (key.name().to_owned(), ids, params);
        let companion = companion(key, key.name(), false).map(|name| (name, ids, companion_params));
        for (name, ids, params) in std::iter::once(own).chain(companion) {
            if taken.contains(&name) {
                continue;
            }
            let name = Ident::new(&name, Span::call_site());
            let args: Vec<Ident> = (0..parents + ids + params)
                .map(|n| format_ident!("__A{n}"))
                .collect();
            tokens.extend(quote! {
                #[doc(hidden)]
                #[allow(clippy::needless_pass_by_value, clippy::unused_self)]
                pub fn #name<__C: ?::core::marker::Sized, #(#args),*>(_: &__C, #(_: #args),*)
                where
                    __C: ::resource_core::__private::undeclared::#trait_name<Self>,
                {
                }
            });
        }
    }
    tokens
}

/// The id newtype, with all its impls, made by resource-core's `define_id!`.
pub(crate) fn define_id(
    ident: &Ident,
    vis: &Visibility,
    id_type: &Ident,
    prefixes: &[String],
) -> TokenStream {
    let shown = match prefixes {
        [] => String::new(),
        [one] => format!(" (`{one}_...`)"),
        several => {
            let several: Vec<String> = several.iter().map(|p| format!("`{p}_...`")).collect();
            format!(" ({})", several.join(", "))
        }
    };
    let doc = format!(
        "The id of {} [`{ident}`]{shown}.",
        article(&ident.to_string())
    );
    quote! {
        ::resource_core::__private::define_id! {
            #[doc = #doc]
            #vis struct #id_type, prefix = [#(#prefixes),*]
        }
    }
}

/// `Operation::new("confirm", Method::Post, "/v1/...").host(..).encoding(..)`.
fn operation_const(op: &Operation) -> TokenStream {
    let name = op.name.to_string();
    let method = format_ident!("{}", method_variant(op.method));
    let template = &op.template;
    let host = op.settings.host.map(|host| {
        let variant = format_ident!("{}", host_variant(host));
        quote!(.host(::resource_core::Host::#variant))
    });
    let encoding = op.settings.encoding.map(|encoding| {
        let variant = format_ident!("{}", encoding_variant(encoding));
        quote!(.encoding(::resource_core::Encoding::#variant))
    });
    quote! {
        ::resource_core::Operation::new(#name, ::resource_core::Method::#method, #template)
            #host #encoding
    }
}

const fn method_variant(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "Get",
        HttpMethod::Post => "Post",
        HttpMethod::Delete => "Delete",
    }
}

const fn host_variant(host: Host) -> &'static str {
    match host {
        Host::Api => "Api",
        Host::Files => "Files",
    }
}

const fn encoding_variant(encoding: Encoding) -> &'static str {
    match encoding {
        Encoding::Form => "Form",
        Encoding::Multipart => "Multipart",
    }
}

/// The operation traits of resource-core (`Creatable`, ...), for generic code, where the
/// operation has their shape: a top-level resource with an id, the default answer, and the
/// parameters the trait takes. Their provided methods send what the inherent methods send.
fn trait_impls(resource: &Resource) -> TokenStream {
    let ident = resource.ident;
    if resource.parents > 0 || resource.id.is_none() {
        return TokenStream::new();
    }
    let mut tokens = TokenStream::new();
    for op in resource.ops.iter().filter(|op| op.answer.is_none()) {
        let (trait_name, assoc) = match (op.key, op.params) {
            (Key::Create, Some(ty)) => ("Creatable", Some(("CreateParams", ty))),
            (Key::Retrieve, None) => ("Retrievable", None),
            (Key::Update, Some(ty)) => ("Updatable", Some(("UpdateParams", ty))),
            (Key::Delete, None) => ("Deletable", None),
            (Key::List, Some(ty)) => ("Listable", Some(("ListParams", ty))),
            _ => continue,
        };
        let trait_name = Ident::new(trait_name, Span::call_site());
        let assoc = assoc.map(|(assoc, ty)| {
            let assoc = Ident::new(assoc, Span::call_site());
            quote!(type #assoc = #ty;)
        });
        let consts = settings_consts(&op.settings);
        tokens.extend(quote! {
            #[automatically_derived]
            #[allow(unused_qualifications)]
            #[diagnostic::do_not_recommend]
            impl ::resource_core::#trait_name for #ident {
                #assoc
                #consts
            }
        });
    }
    tokens
}

/// `const HOST` and `const ENCODING` for the settings that were written, explicit defaults
/// included, so the declaration means what it says whatever the trait's default; a setting left
/// out keeps the trait's default.
fn settings_consts(settings: &Settings) -> TokenStream {
    let host = settings.host.map(|host| {
        let variant = format_ident!("{}", host_variant(host));
        quote!(const HOST: ::resource_core::Host = ::resource_core::Host::#variant;)
    });
    let encoding = settings.encoding.map(|encoding| {
        let variant = format_ident!("{}", encoding_variant(encoding));
        quote!(const ENCODING: ::resource_core::Encoding = ::resource_core::Encoding::#variant;)
    });
    quote!(#host #encoding)
}

/// Where and how a request goes, for method docs, after the HTTP call: "on the files host, as
/// `multipart/form-data`" with a leading space, or nothing for the defaults.
fn settings_doc(settings: &Settings) -> String {
    let host = match settings.host {
        Some(Host::Files) => Some("on the files host"),
        Some(Host::Api) | None => None,
    };
    let encoding = match settings.encoding {
        Some(Encoding::Multipart) => Some("as `multipart/form-data`"),
        Some(Encoding::Form) | None => None,
    };
    let parts: Vec<&str> = host.into_iter().chain(encoding).collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" {}", parts.join(", "))
    }
}

/// The `# Errors` section of every fallible method.
const ERRORS_DOC: [&str; 6] = [
    "",
    " # Errors",
    "",
    " Returns an error when the client refuses the request before sending it, the connection",
    " fails, Stripe answers with an error (see the error's kind, status and code), or the",
    " answer does not decode.",
];

/// What a method does with its operation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Send {
    /// `client.call(..)`: one request, one answer.
    Call,
    /// `Paginator::new(..)`: every page of a list.
    Paginate,
    /// `Paginator::search(..)`: every page of a search.
    PaginateSearch,
}

/// A generated inherent method: its signature, and the operation it sends.
pub(crate) struct Method {
    name: Ident,
    doc: Vec<String>,
    /// The index of its operation in the table.
    index: usize,
    send: Send,
    /// Arguments after `client`: the path's placeholders, then `params` when it takes them.
    args: Vec<(Ident, TokenStream)>,
    /// The path's ids as `&str`, in order.
    ids: Vec<TokenStream>,
    /// Whether the method takes `params`; otherwise it sends none.
    takes_params: bool,
    output: TokenStream,
    must_use: Option<&'static str>,
}

/// The method an operation generates beside its own, if any: `retrieve_with`, `paginate`,
/// `search_paginate`, or `{action}_paginate` for an action answering a list.
fn companion(key: Key, name: &str, lists: bool) -> Option<String> {
    match key {
        Key::Retrieve => Some(format!("{name}_with")),
        Key::List => Some("paginate".to_owned()),
        Key::Search => Some(format!("{name}_paginate")),
        Key::Action if lists => Some(format!("{name}_paginate")),
        _ => None,
    }
}

/// The names of the methods `op` generates, for clash checks.
pub(crate) fn method_names(op: &Operation) -> Vec<String> {
    let name = op.name.to_string();
    let companion = companion_of(op);
    std::iter::once(name).chain(companion).collect()
}

fn companion_of(op: &Operation) -> Option<String> {
    let lists = matches!(op.answer, Some(Answer::List(_)));
    companion(op.key, &op.name.to_string(), lists)
}

/// The inherent methods of the declared operations, in declaration order.
pub(crate) fn methods(resource: &Resource) -> Vec<Method> {
    let object = format!("{} `{}`", article(&resource.object), resource.object);
    let id_type = resource.id.as_ref();
    let mut methods = Vec::new();
    for (index, op) in resource.ops.iter().enumerate() {
        let call = format!(
            "`{} {}`{}",
            op.method.name(),
            op.template,
            settings_doc(&op.settings)
        );
        let mut args: Vec<(Ident, TokenStream)> = Vec::new();
        let mut ids = Vec::new();
        for arg in &op.args {
            match arg {
                PathArg::Parent { name, ty } => {
                    args.push(((*name).clone(), quote!(&#ty)));
                    ids.push(
                        quote_spanned!(ty.span()=> ::resource_core::ResourceId::as_str(#name)),
                    );
                }
                PathArg::Id => {
                    let id = Ident::new("id", Span::call_site());
                    args.push((id.clone(), quote!(&#id_type)));
                    ids.push(quote!(::resource_core::ResourceId::as_str(#id)));
                }
            }
        }
        let params_arg = |ty: TokenStream| {
            let mut args = args.clone();
            args.push((Ident::new("params", Span::call_site()), quote!(&#ty)));
            args
        };
        let method = |name: Ident, summary: String, args: Vec<(Ident, TokenStream)>, output| {
            let takes_params = args.len() > ids.len();
            Method {
                name,
                doc: fallible(&summary),
                index,
                send: Send::Call,
                args,
                ids: ids.clone(),
                takes_params,
                output: result(output),
                must_use: None,
            }
        };
        let paginator =
            |name: Ident, summary: String, args, item: TokenStream, send: Send| Method {
                doc: vec![
                    format!(" {summary}"),
                    String::new(),
                    " Requests are made lazily, one page in memory at a time; each item is a"
                        .to_owned(),
                    " `Result` carrying the error of a failed page request (see `Paginator`)."
                        .to_owned(),
                ],
                send,
                output: quote!(::resource_core::Paginator<#item>),
                must_use: Some("a paginator does nothing until iterated"),
                ..method(name, String::new(), args, TokenStream::new())
            };
        // The arguments with the declared parameters type, or `default` where none is declared.
        let with_params = |default: Option<TokenStream>| match (op.params, default) {
            (Some(ty), _) => params_arg(quote!(#ty)),
            (None, Some(default)) => params_arg(default),
            (None, None) => args.clone(),
        };
        let answer = |default: TokenStream| match op.answer {
            Some(Answer::Returns(ty) | Answer::List(ty)) => quote!(#ty),
            None => default,
        };
        let name = op.name.clone();
        // The second method of a retrieve, a list, a search or a list action.
        let second = companion_of(op).map(|second| Ident::new(&second, op.name.span()));
        let by_id = if id_type.is_some() { " by id" } else { "" };
        match op.key {
            Key::Create | Key::Update => {
                let verb = if op.key == Key::Create {
                    "Creates"
                } else {
                    "Updates"
                };
                methods.push(method(
                    name,
                    format!("{verb} {object}: {call}."),
                    with_params(None),
                    answer_type(op, id_type),
                ));
            }
            Key::Retrieve => {
                methods.push(method(
                    name,
                    format!("Retrieves {object}{by_id}: {call}."),
                    args.clone(),
                    answer_type(op, id_type),
                ));
                methods.extend(second.map(|second| {
                    method(
                        second,
                        format!(
                            "Retrieves {object}{by_id} with query parameters such as `expand`: \
                             {call}."
                        ),
                        with_params(default_params(op.key)),
                        answer_type(op, id_type),
                    )
                }));
            }
            Key::Delete => {
                methods.push(method(
                    name,
                    format!("Deletes {object}: {call}."),
                    with_params(None),
                    answer_type(op, id_type),
                ));
            }
            Key::List => {
                methods.push(method(
                    name,
                    format!("Lists one page of the collection: {call}."),
                    with_params(None),
                    answer_type(op, id_type),
                ));
                methods.extend(second.map(|second| {
                    paginator(
                        second,
                        format!(
                            "Iterates over every object of the collection, a page at a time: \
                             {call}, forward with `starting_after`, or backwards when `params` \
                             set `ending_before` and not `starting_after`."
                        ),
                        with_params(None),
                        quote!(Self),
                        Send::Paginate,
                    )
                }));
            }
            Key::Search => {
                let search_params = || with_params(default_params(op.key));
                methods.push(method(
                    name,
                    format!("Searches, one page of results: {call}."),
                    search_params(),
                    answer_type(op, id_type),
                ));
                methods.extend(second.map(|second| {
                    paginator(
                        second,
                        format!(
                            "Iterates over every search result, a page at a time: {call}, each \
                             next page asked for with `page` set to the previous page's \
                             `next_page`."
                        ),
                        search_params(),
                        quote!(Self),
                        Send::PaginateSearch,
                    )
                }));
            }
            Key::Action => {
                if let Some(Answer::List(item)) = op.answer {
                    methods.push(method(
                        name,
                        format!("Lists one page: {call}."),
                        with_params(None),
                        quote!(::resource_core::List<#item>),
                    ));
                    methods.extend(second.map(|second| {
                        paginator(
                            second,
                            format!("Iterates over every object of {call}, a page at a time."),
                            with_params(None),
                            quote!(#item),
                            Send::Paginate,
                        )
                    }));
                } else {
                    methods.push(method(
                        name,
                        format!("Sends {call}."),
                        with_params(None),
                        answer(quote!(Self)),
                    ));
                }
            }
            Key::Object | Key::Path | Key::Parents | Key::Prefix | Key::Id | Key::Singleton => {}
        }
    }
    methods
}

/// The parameters type a retrieve (`retrieve_with`) and a search take when none is declared.
fn default_params(key: Key) -> Option<TokenStream> {
    match key {
        Key::Retrieve => Some(quote!(::resource_core::RetrieveParams)),
        Key::Search => Some(quote!(::resource_core::SearchParams)),
        _ => None,
    }
}

/// What an operation of a generic kind answers: the type declared with `returns`, or the
/// kind's default.
fn answer_type(op: &Operation, id_type: Option<&IdType>) -> TokenStream {
    if let Some(Answer::Returns(ty) | Answer::List(ty)) = op.answer {
        return quote!(#ty);
    }
    match (op.key, id_type) {
        (Key::Delete, Some(id_type)) => quote!(::resource_core::Deleted<#id_type>),
        (Key::Delete, None) => {
            quote!(::resource_core::Deleted<::resource_core::__private::String>)
        }
        (Key::List, _) => quote!(::resource_core::List<Self>),
        (Key::Search, _) => quote!(::resource_core::SearchResult<Self>),
        _ => quote!(Self),
    }
}

/// `Declares<kind::K>` for each declared operation of a generic kind, whatever the shape: its
/// parameters and answer types and its entry of the operation table.
fn declares_impls(resource: &Resource) -> TokenStream {
    let ident = resource.ident;
    let table = Ident::new(TABLE, Span::call_site());
    let mut tokens = TokenStream::new();
    for (index, op) in resource.ops.iter().enumerate() {
        let kind = match op.key {
            Key::Create => "Create",
            Key::Retrieve => "Retrieve",
            Key::Update => "Update",
            Key::Delete => "Delete",
            Key::List => "List",
            Key::Search => "Search",
            _ => continue,
        };
        let kind = Ident::new(kind, Span::call_site());
        let params = match (op.params, default_params(op.key)) {
            (Some(ty), _) => quote!(#ty),
            (None, Some(default)) => default,
            (None, None) => quote!(::resource_core::__private::NoParams),
        };
        let answer = answer_type(op, resource.id.as_ref());
        tokens.extend(quote! {
            #[automatically_derived]
            #[allow(unused_qualifications)]
            impl ::resource_core::Declares<::resource_core::kind::#kind> for #ident {
                type Params = #params;
                type Answer = #answer;
                const OPERATION: ::resource_core::Operation = #table[#index];
            }
        });
    }
    tokens
}

fn result(ok: TokenStream) -> TokenStream {
    quote!(::resource_core::__private::Result<#ok, ::resource_core::Error>)
}

fn fallible(summary: &str) -> Vec<String> {
    let mut doc = vec![format!(" {summary}")];
    doc.extend(ERRORS_DOC.iter().map(|line| (*line).to_owned()));
    doc
}

impl Method {
    fn signature(&self, vis: &Visibility, named: bool) -> TokenStream {
        let name = &self.name;
        let args = self.args.iter().map(|(arg, ty)| {
            if named {
                quote!(#arg: #ty)
            } else {
                quote!(_: #ty)
            }
        });
        let client = if named { quote!(client) } else { quote!(_) };
        let output = &self.output;
        let must_use = self.must_use.map(|reason| quote!(#[must_use = #reason]));
        quote! {
            #must_use
            #vis fn #name(#client: &::resource_core::Client, #(#args),*) -> #output
        }
    }

    /// The method with its docs, sending its operation.
    pub(crate) fn forwarding(&self, vis: &Visibility) -> TokenStream {
        let doc = &self.doc;
        let signature = self.signature(vis, true);
        let table = Ident::new(TABLE, Span::call_site());
        let index = self.index;
        let ids = &self.ids;
        let params = if self.takes_params {
            quote!(params)
        } else {
            quote!(&::resource_core::__private::NoParams {})
        };
        let operation = quote!(&#table[#index]);
        let body = match self.send {
            Send::Call => quote!(client.call(#operation, &[#(#ids),*], #params)),
            Send::Paginate => {
                quote!(::resource_core::Paginator::new(client, #operation, &[#(#ids),*], #params))
            }
            Send::PaginateSearch => {
                quote!(::resource_core::Paginator::search(client, #operation, &[#(#ids),*], #params))
            }
        };
        quote! {
            #(#[doc = #doc])*
            #[inline]
            #signature {
                #body
            }
        }
    }

    /// The signature alone with an unreachable body, for the fallback after an error.
    pub(crate) fn unreachable(&self, vis: &Visibility) -> TokenStream {
        let signature = self.signature(vis, false);
        quote! {
            #signature {
                ::core::unreachable!()
            }
        }
    }
}

/// "a" or "an" before a name, by its first letter: `a file_link`, `an invoice`.
fn article(name: &str) -> &'static str {
    match name.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o') => "an",
        _ => "a",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles() {
        assert_eq!(article("file_link"), "a");
        assert_eq!(article("invoice"), "an");
        assert_eq!(article("Account"), "an");
        assert_eq!(article("usage_record"), "a");
        assert_eq!(article(""), "a");
    }
}
