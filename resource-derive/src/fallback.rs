//! Phase 5, on error: the `compile_error!`s plus the items user code is most likely to name, so
//! one mistake in the attribute gives one error instead of one per use of the resource.
//!
//! Emitted: the id type (with the declared prefix if it parsed, else `""`), `StripeResource`,
//! and the inherent methods of the operations that parsed, all with unreachable bodies.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::LitStr;

use crate::ast::Input;
use crate::expand::{self, Docs};

pub(crate) fn expand(input: &Input, error: &syn::Error) -> TokenStream {
    let node = input.original;
    let ident = &node.ident;
    let vis = &node.vis;
    let id_type = &input.id_type;
    let attrs = &input.attrs;
    let empty = LitStr::new("", Span::call_site());
    let object = attrs.object.as_ref().unwrap_or(&empty);
    let path = attrs.path.as_ref().unwrap_or(&empty);
    let prefix = attrs.prefix.as_ref().unwrap_or(&empty);

    let error = error.to_compile_error();
    let define_id = expand::define_id(ident, vis, id_type, prefix);
    let methods = expand::methods(
        id_type,
        &attrs.ops,
        &Docs::new(&object.value(), &path.value()),
    )
    .iter()
    .map(|method| method.unreachable(vis))
    .collect::<TokenStream>();
    let (impl_generics, ty_generics, where_clause) = node.generics.split_for_impl();
    // A higher-ranked bound is not checked where it is declared: the impl stands even if the
    // item is not `DeserializeOwned`, so the only errors left are the ones reported above.
    let predicates = where_clause
        .iter()
        .flat_map(|where_clause| &where_clause.predicates);

    quote! {
        #error

        #define_id

        const _: () = {
            #[automatically_derived]
            #[allow(unused_qualifications)]
            impl #impl_generics ::resource_core::StripeResource for #ident #ty_generics
            where
                #(#predicates,)*
                for<'workaround> #ident #ty_generics:
                    ::resource_core::__private::serde::de::DeserializeOwned,
            {
                type Id = #id_type;
                const OBJECT: &'static str = #object;
                const PATH: &'static str = #path;

                fn id(&self) -> &#id_type {
                    ::core::unreachable!()
                }
            }

            #[automatically_derived]
            #[allow(unused_qualifications)]
            impl #impl_generics #ident #ty_generics #where_clause {
                #methods
            }
        };
    }
}
