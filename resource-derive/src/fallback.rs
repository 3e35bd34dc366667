//! Phase 5, on error: the `compile_error!`s plus the items user code is most likely to name, so
//! one mistake in the attribute gives one error instead of one per use of the resource.
//!
//! Emitted: the id type (with the declared prefixes, or none), `StripeResource` for a resource
//! with an id, and the inherent methods of the operations that resolved, all with unreachable
//! bodies.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::{IdType, Input, Resource};
use crate::expand;

pub(crate) fn expand(input: &Input, resource: &Resource, errors: Vec<syn::Error>) -> TokenStream {
    let node = input.original;
    let ident = &node.ident;
    let vis = &node.vis;
    let (object, path) = (&resource.object, &resource.path);
    let errors = errors.iter().map(syn::Error::to_compile_error);
    let define_id = match &resource.id {
        Some(IdType::Generated(id_type, prefixes)) => {
            Some(expand::define_id(ident, vis, id_type, prefixes))
        }
        Some(IdType::Shared(_)) | None => None,
    };
    let methods = expand::methods(resource)
        .iter()
        .map(|method| method.unreachable(vis))
        .collect::<TokenStream>();
    let (impl_generics, ty_generics, where_clause) = node.generics.split_for_impl();
    // A higher-ranked bound is not checked where it is declared: the impl stands even if the
    // item is not `DeserializeOwned`, so the only errors left are the ones reported above.
    let predicates: Vec<_> = where_clause
        .iter()
        .flat_map(|where_clause| &where_clause.predicates)
        .collect();
    let stripe_resource = resource.id.as_ref().map(|id_type| {
        quote! {
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
        }
    });

    quote! {
        #(#errors)*

        #define_id

        const _: () = {
            #stripe_resource

            #[automatically_derived]
            #[allow(unused_qualifications)]
            impl #impl_generics #ident #ty_generics #where_clause {
                #methods
            }
        };
    }
}
