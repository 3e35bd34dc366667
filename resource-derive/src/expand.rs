//! Phase 4: the generated code. Cannot fail.
//!
//! Everything is named by full path, through `::resource_core` or `::core`, so user items called
//! `Result`, `Option` or `resource_core` change nothing. The only behaviour is forwarding: each
//! inherent method calls the provided method of its operation trait in resource-core, which reads
//! the operation's `HOST` and `ENCODING` consts; the derive sets the ones the attribute wrote.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use syn::{LitStr, Type, Visibility};

use crate::ast::{ID_FIELD, Resource};
use crate::attr::{Encoding, Host, Ops, Settings};

pub(crate) fn derive(resource: &Resource) -> TokenStream {
    let Resource {
        ident,
        vis,
        id_type,
        object,
        path,
        prefix,
        ops,
    } = resource;
    let define_id = define_id(ident, vis, id_type, prefix);
    let id_field = Ident::new(ID_FIELD, Span::call_site());
    let op_impls = op_impls(ident, ops);
    let methods = methods(id_type, ops, &Docs::new(&object.value(), &path.value()))
        .iter()
        .map(|method| method.forwarding(vis))
        .collect::<TokenStream>();
    quote! {
        #define_id

        const _: () = {
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

            #op_impls

            #[automatically_derived]
            #[allow(unused_qualifications)]
            impl #ident {
                #methods
            }
        };
    }
}

/// The id newtype, with all its impls, made by resource-core's `define_id!`.
pub(crate) fn define_id(
    ident: &Ident,
    vis: &Visibility,
    id_type: &Ident,
    prefix: &LitStr,
) -> TokenStream {
    let doc = format!(
        "The id of {} [`{ident}`] (`{}_...`).",
        article(&ident.to_string()),
        prefix.value()
    );
    quote! {
        ::resource_core::__private::define_id! {
            #[doc = #doc]
            #vis struct #id_type, prefix = #prefix
        }
    }
}

/// One impl per declared operation, setting its parameters type and the consts its settings
/// wrote; the methods are provided.
fn op_impls(ident: &Ident, ops: &Ops) -> TokenStream {
    let op_impl = |trait_name: &str, params: Option<(&str, &Type)>, settings: &Settings| {
        let trait_name = Ident::new(trait_name, Span::call_site());
        let params = params.map(|(assoc, ty)| {
            let assoc = Ident::new(assoc, Span::call_site());
            quote!(type #assoc = #ty;)
        });
        let consts = settings_consts(settings);
        quote! {
            #[automatically_derived]
            #[allow(unused_qualifications)]
            impl ::resource_core::#trait_name for #ident {
                #params
                #consts
            }
        }
    };
    let mut tokens = TokenStream::new();
    if let Some(create) = &ops.create {
        let params = Some(("CreateParams", &create.ty));
        tokens.extend(op_impl("Creatable", params, &create.settings));
    }
    if let Some(retrieve) = &ops.retrieve {
        tokens.extend(op_impl("Retrievable", None, retrieve));
    }
    if let Some(update) = &ops.update {
        let params = Some(("UpdateParams", &update.ty));
        tokens.extend(op_impl("Updatable", params, &update.settings));
    }
    if let Some(delete) = &ops.delete {
        tokens.extend(op_impl("Deletable", None, delete));
    }
    if let Some(list) = &ops.list {
        let params = Some(("ListParams", &list.ty));
        tokens.extend(op_impl("Listable", params, &list.settings));
    }
    tokens
}

/// `const HOST` and `const ENCODING` for the settings that were written, explicit defaults
/// included, so the declaration means what it says whatever the trait's default; a setting left
/// out keeps the trait's default.
fn settings_consts(settings: &Settings) -> TokenStream {
    let host = settings.host.map(|host| {
        let variant = Ident::new(
            match host {
                Host::Api => "Api",
                Host::Files => "Files",
            },
            Span::call_site(),
        );
        quote!(const HOST: ::resource_core::Host = ::resource_core::Host::#variant;)
    });
    let encoding = settings.encoding.map(|encoding| {
        let variant = Ident::new(
            match encoding {
                Encoding::Form => "Form",
                Encoding::Multipart => "Multipart",
            },
            Span::call_site(),
        );
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

/// The object and path as the method docs show them.
pub(crate) struct Docs {
    object: String,
    path: String,
}

impl Docs {
    pub(crate) fn new(object: &str, path: &str) -> Self {
        Self {
            object: format!("{} `{object}`", article(object)),
            path: path.to_owned(),
        }
    }
}

/// An inherent method: its signature, and the operation trait method it forwards to.
pub(crate) struct Method {
    name: &'static str,
    /// The trait whose provided method of the same name does the work.
    trait_name: &'static str,
    doc: Vec<String>,
    /// Arguments after `client`.
    args: Vec<(&'static str, TokenStream)>,
    output: TokenStream,
    must_use: Option<&'static str>,
}

/// The inherent methods of the declared operations, in a fixed order.
pub(crate) fn methods(id_type: &Ident, ops: &Ops, docs: &Docs) -> Vec<Method> {
    let Docs { object, path } = docs;
    let result =
        |ok: TokenStream| quote!(::resource_core::__private::Result<#ok, ::resource_core::Error>);
    let fallible = |summary: String| {
        let mut doc = vec![format!(" {summary}")];
        doc.extend(ERRORS_DOC.iter().map(|line| (*line).to_owned()));
        doc
    };
    let id_arg = || ("id", quote!(&#id_type));

    let mut methods = Vec::new();
    if let Some(create) = &ops.create {
        let ty = &create.ty;
        let how = settings_doc(&create.settings);
        methods.push(Method {
            name: "create",
            trait_name: "Creatable",
            doc: fallible(format!("Creates {object}: `POST {path}`{how}.")),
            args: vec![("params", quote!(&#ty))],
            output: result(quote!(Self)),
            must_use: None,
        });
    }
    if let Some(retrieve) = &ops.retrieve {
        let how = settings_doc(retrieve);
        methods.push(Method {
            name: "retrieve",
            trait_name: "Retrievable",
            doc: fallible(format!(
                "Retrieves {object} by id: `GET {path}/{{id}}`{how}."
            )),
            args: vec![id_arg()],
            output: result(quote!(Self)),
            must_use: None,
        });
        methods.push(Method {
            name: "retrieve_with",
            trait_name: "Retrievable",
            doc: fallible(format!(
                "Retrieves {object} by id with query parameters such as `expand`: \
                 `GET {path}/{{id}}`{how}."
            )),
            args: vec![
                id_arg(),
                ("params", quote!(&::resource_core::RetrieveParams)),
            ],
            output: result(quote!(Self)),
            must_use: None,
        });
    }
    if let Some(update) = &ops.update {
        let ty = &update.ty;
        let how = settings_doc(&update.settings);
        methods.push(Method {
            name: "update",
            trait_name: "Updatable",
            doc: fallible(format!("Updates {object}: `POST {path}/{{id}}`{how}.")),
            args: vec![id_arg(), ("params", quote!(&#ty))],
            output: result(quote!(Self)),
            must_use: None,
        });
    }
    if let Some(delete) = &ops.delete {
        let how = settings_doc(delete);
        methods.push(Method {
            name: "delete",
            trait_name: "Deletable",
            doc: fallible(format!("Deletes {object}: `DELETE {path}/{{id}}`{how}.")),
            args: vec![id_arg()],
            output: result(quote!(::resource_core::Deleted<#id_type>)),
            must_use: None,
        });
    }
    if let Some(list) = &ops.list {
        let ty = &list.ty;
        let how = settings_doc(&list.settings);
        methods.push(Method {
            name: "list",
            trait_name: "Listable",
            doc: fallible(format!(
                "Lists one page of the collection: `GET {path}`{how}."
            )),
            args: vec![("params", quote!(&#ty))],
            output: result(quote!(::resource_core::List<Self>)),
            must_use: None,
        });
        methods.push(Method {
            name: "paginate",
            trait_name: "Listable",
            doc: vec![
                format!(
                    " Iterates over every object of the collection, a page at a time: \
                     `GET {path}`{how}."
                ),
                String::new(),
                " Pages forward with `starting_after`, or backwards when `params` set".to_owned(),
                " `ending_before` and not `starting_after`. Requests are made lazily; each item is"
                    .to_owned(),
                " a `Result` carrying the error of a failed page request.".to_owned(),
            ],
            args: vec![("params", quote!(&#ty))],
            output: quote!(::resource_core::Paginator<Self>),
            must_use: Some("a paginator does nothing until iterated"),
        });
    }
    methods
}

impl Method {
    fn signature(&self, vis: &Visibility, named: bool) -> TokenStream {
        let name = Ident::new(self.name, Span::call_site());
        let args = self.args.iter().map(|(arg, ty)| {
            if named {
                let arg = Ident::new(arg, Span::call_site());
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

    /// The method with its docs, forwarding to the operation trait.
    pub(crate) fn forwarding(&self, vis: &Visibility) -> TokenStream {
        let doc = &self.doc;
        let signature = self.signature(vis, true);
        let name = Ident::new(self.name, Span::call_site());
        let trait_name = Ident::new(self.trait_name, Span::call_site());
        let args = self
            .args
            .iter()
            .map(|(arg, _)| Ident::new(arg, Span::call_site()));
        quote! {
            #(#[doc = #doc])*
            #[inline]
            #signature {
                <Self as ::resource_core::#trait_name>::#name(client, #(#args),*)
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

    #[test]
    fn docs_name_the_http_call() {
        let ops = Ops {
            create: Some(crate::attr::Params {
                ty: syn::parse_quote!(CreateInvoice),
                settings: Settings::default(),
            }),
            retrieve: Some(Settings::default()),
            update: None,
            delete: Some(Settings::default()),
            list: None,
        };
        let id = Ident::new("InvoiceId", Span::call_site());
        let methods = methods(&id, &ops, &Docs::new("invoice", "/v1/invoices"));
        let firsts: Vec<(&str, &str)> = methods
            .iter()
            .map(|m| (m.name, m.doc.first().map_or("", String::as_str)))
            .collect();
        assert_eq!(
            firsts,
            [
                ("create", " Creates an `invoice`: `POST /v1/invoices`."),
                (
                    "retrieve",
                    " Retrieves an `invoice` by id: `GET /v1/invoices/{id}`."
                ),
                (
                    "retrieve_with",
                    " Retrieves an `invoice` by id with query parameters such as `expand`: \
                     `GET /v1/invoices/{id}`."
                ),
                (
                    "delete",
                    " Deletes an `invoice`: `DELETE /v1/invoices/{id}`."
                ),
            ]
        );
        assert!(
            methods
                .iter()
                .all(|m| m.doc.iter().any(|line| line == " # Errors"))
        );
    }

    #[test]
    fn settings_become_consts_and_docs() {
        let files = Settings {
            host: Some(Host::Files),
            encoding: Some(Encoding::Multipart),
        };
        assert_eq!(
            settings_consts(&files).to_string(),
            quote! {
                const HOST: ::resource_core::Host = ::resource_core::Host::Files;
                const ENCODING: ::resource_core::Encoding = ::resource_core::Encoding::Multipart;
            }
            .to_string()
        );
        // Written defaults are emitted as written; left-out settings are not emitted at all.
        let api = Settings {
            host: Some(Host::Api),
            encoding: None,
        };
        assert_eq!(
            settings_consts(&api).to_string(),
            quote!(
                const HOST: ::resource_core::Host = ::resource_core::Host::Api;
            )
            .to_string()
        );
        assert!(settings_consts(&Settings::default()).is_empty());

        assert_eq!(
            settings_doc(&files),
            " on the files host, as `multipart/form-data`"
        );
        assert_eq!(settings_doc(&api), "");
        let multipart = Settings {
            host: None,
            encoding: Some(Encoding::Multipart),
        };
        assert_eq!(settings_doc(&multipart), " as `multipart/form-data`");

        let ops = Ops {
            create: Some(crate::attr::Params {
                ty: syn::parse_quote!(CreateFile),
                settings: files,
            }),
            list: Some(crate::attr::Params {
                ty: syn::parse_quote!(ListFiles),
                settings: Settings {
                    host: Some(Host::Files),
                    encoding: None,
                },
            }),
            ..Ops::default()
        };
        let id = Ident::new("FileId", Span::call_site());
        let methods = methods(&id, &ops, &Docs::new("file", "/v1/files"));
        let firsts: Vec<&str> = methods
            .iter()
            .map(|m| m.doc.first().map_or("", String::as_str))
            .collect();
        assert_eq!(
            firsts,
            [
                " Creates a `file`: `POST /v1/files` on the files host, as `multipart/form-data`.",
                " Lists one page of the collection: `GET /v1/files` on the files host.",
                " Iterates over every object of the collection, a page at a time: `GET /v1/files` \
                 on the files host.",
            ]
        );
        let impls = op_impls(&Ident::new("File", Span::call_site()), &ops).to_string();
        assert!(impls.contains(
            &quote!(impl ::resource_core::Creatable for File {
                type CreateParams = CreateFile;
                const HOST: ::resource_core::Host = ::resource_core::Host::Files;
                const ENCODING: ::resource_core::Encoding = ::resource_core::Encoding::Multipart;
            })
            .to_string()
        ));
    }
}
