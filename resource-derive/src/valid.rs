//! Phase 3: semantic checks. Every finding, with the attribute syntax errors, is combined into
//! one `syn::Error`, so a user sees all their mistakes in one build.

use syn::{Error, LitStr, Type};

use crate::ast::{Body, ID_FIELD, Input, Resource};
use crate::attr::{ATTRIBUTE, Key};

/// The prefix every collection path starts with: the form-encoded v1 API.
const API_PREFIX: &str = "/v1/";

impl<'a> Input<'a> {
    pub(crate) fn validate(&'a self) -> syn::Result<Resource<'a>> {
        let mut errors: Vec<Error> = self.attrs.errors.clone();
        self.check_required(&mut errors);
        check_value(self.attrs.object.as_ref(), check_object, &mut errors);
        check_value(self.attrs.path.as_ref(), check_path, &mut errors);
        check_value(self.attrs.prefix.as_ref(), check_prefix, &mut errors);
        self.check_shape(&mut errors);
        self.check_id_field(&mut errors);
        for attr in &self.misplaced {
            errors.push(Error::new_spanned(
                attr,
                format!("`#[{ATTRIBUTE}(...)]` goes on the struct, not on a field or variant"),
            ));
        }
        combine(errors)?;

        let attrs = &self.attrs;
        match (&attrs.object, &attrs.path, &attrs.prefix) {
            (Some(object), Some(path), Some(prefix)) => Ok(Resource {
                ident: &self.original.ident,
                vis: &self.original.vis,
                id_type: &self.id_type,
                object,
                path,
                prefix,
                ops: &attrs.ops,
            }),
            // A key is absent only with an error recorded above; kept so this cannot panic.
            _ => Err(Error::new(
                self.original.ident.span(),
                "internal error in `#[derive(StripeResource)]`: a required key is missing \
                 but no error was reported",
            )),
        }
    }

    fn check_required(&self, errors: &mut Vec<Error>) {
        let Some(first) = self.attrs.first else {
            errors.push(Error::new(
                self.original.ident.span(),
                format!(
                    "missing `#[{ATTRIBUTE}(...)]` attribute; expected `#[{ATTRIBUTE}({}, {}, {})]` \
                     with the resource's object name, collection path and id prefix",
                    Key::Object.usage(),
                    Key::Path.usage(),
                    Key::Prefix.usage(),
                ),
            ));
            return;
        };
        if self.attrs.incomplete {
            return;
        }
        for (key, what) in [
            (Key::Object, "the value of the object's `object` field"),
            (Key::Path, "the collection path"),
            (Key::Prefix, "the id prefix"),
        ] {
            if !self
                .attrs
                .declared
                .iter()
                .any(|(declared, _)| *declared == key)
            {
                errors.push(Error::new_spanned(
                    first,
                    format!(
                        "missing `{}`; expected `{}`, {what}",
                        key.name(),
                        key.usage()
                    ),
                ));
            }
        }
    }

    fn check_shape(&self, errors: &mut Vec<Error>) {
        let ident = &self.original.ident;
        let expected = format!(
            "expected a struct with named fields, like `struct {ident} {{ {ID_FIELD}: {}, ... }}`",
            self.id_type
        );
        match &self.body {
            Body::Named(_) => {}
            Body::Tuple(fields) => errors.push(Error::new_spanned(
                fields,
                format!("`StripeResource` does not support tuple structs; {expected}"),
            )),
            Body::Unit => errors.push(Error::new(
                ident.span(),
                format!("`StripeResource` does not support unit structs; {expected}"),
            )),
            Body::Enum(data) => errors.push(Error::new(
                data.enum_token.span,
                format!("`StripeResource` does not support enums; {expected}"),
            )),
            Body::Union(data) => errors.push(Error::new(
                data.union_token.span,
                format!("`StripeResource` does not support unions; {expected}"),
            )),
        }
        let generics = &self.original.generics;
        if !generics.params.is_empty() {
            errors.push(Error::new_spanned(
                generics,
                format!(
                    "`StripeResource` does not support generic parameters; expected a concrete \
                     type, like `struct {ident} {{ ... }}`"
                ),
            ));
        }
    }

    fn check_id_field(&self, errors: &mut Vec<Error>) {
        if !matches!(self.body, Body::Named(_)) {
            return;
        }
        let id_type = &self.id_type;
        match self.id_field {
            None => errors.push(Error::new(
                self.original.ident.span(),
                format!(
                    "missing `{ID_FIELD}` field; expected `{ID_FIELD}: {id_type}`, the id type \
                     this derive generates"
                ),
            )),
            Some(field) if !names_type(&field.ty, id_type) => errors.push(Error::new_spanned(
                &field.ty,
                format!(
                    "`{ID_FIELD}` must have type `{id_type}`, the id type this derive generates"
                ),
            )),
            Some(_) => {}
        }
    }
}

/// Whether `ty` is a path to `name` without generic arguments: `FileLinkId`, `self::FileLinkId`.
fn names_type(ty: &Type, name: &syn::Ident) -> bool {
    match ty {
        Type::Path(path) => {
            path.qself.is_none()
                && path
                    .path
                    .segments
                    .iter()
                    .all(|segment| segment.arguments.is_none())
                && path
                    .path
                    .segments
                    .last()
                    .is_some_and(|last| last.ident == *name)
        }
        Type::Group(group) => names_type(&group.elem, name),
        Type::Paren(paren) => names_type(&paren.elem, name),
        _ => false,
    }
}

fn check_value(
    lit: Option<&LitStr>,
    check: fn(&str) -> Result<(), String>,
    errors: &mut Vec<Error>,
) {
    if let Some(lit) = lit {
        if let Err(message) = check(&lit.value()) {
            errors.push(Error::new(lit.span(), message));
        }
    }
}

/// `object`: Stripe's name for the object type, such as `file_link` or `billing.meter`.
fn check_object(object: &str) -> Result<(), String> {
    if object.is_empty() {
        return Err(
            "`object` must not be empty; expected the value of the object's `object` field, \
             like `\"file_link\"`"
                .to_owned(),
        );
    }
    if !object
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
    {
        return Err(format!(
            "`object` must be lowercase ASCII letters, digits, `_` and `.`, like `\"file_link\"` \
             or `\"billing.meter\"`; found {object:?}"
        ));
    }
    Ok(())
}

/// `path`: a collection of the v1 API, such as `/v1/file_links` or `/v1/billing/meters`.
fn check_path(path: &str) -> Result<(), String> {
    let Some(rest) = path.strip_prefix(API_PREFIX) else {
        return Err(format!(
            "`path` must start with `{API_PREFIX}`, like `\"/v1/file_links\"`; found {path:?}"
        ));
    };
    if rest.is_empty() {
        return Err(format!(
            "`path` needs a collection after `{API_PREFIX}`, like `\"/v1/file_links\"`"
        ));
    }
    if path.ends_with('/') {
        return Err(format!(
            "`path` must not end with `/`; expected {:?}",
            path.trim_end_matches('/')
        ));
    }
    if rest.split('/').any(str::is_empty) {
        return Err(format!(
            "`path` must not contain an empty segment `//`; found {path:?}"
        ));
    }
    if let Some(bad) = rest
        .chars()
        .find(|&c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '/'))
    {
        return Err(format!(
            "`path` segments must be lowercase ASCII letters, digits and `_`; found {bad:?} in \
             {path:?}"
        ));
    }
    Ok(())
}

/// `prefix`: what ids start with, before the `_` separator, such as `link` for `link_123`.
fn check_prefix(prefix: &str) -> Result<(), String> {
    let valid = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    };
    if valid(prefix) {
        return Ok(());
    }
    let trimmed = prefix.trim_end_matches('_');
    if trimmed != prefix && valid(trimmed) {
        return Err(format!(
            "`prefix` is written without the `_` separator; expected {trimmed:?}"
        ));
    }
    Err(format!(
        "`prefix` must be lowercase ASCII letters and digits, starting with a letter, like \
         `\"link\"`; found {prefix:?}"
    ))
}

/// One error carrying every finding, or `Ok` if there are none.
fn combine(errors: Vec<Error>) -> syn::Result<()> {
    let mut errors = errors.into_iter();
    let Some(mut combined) = errors.next() else {
        return Ok(());
    };
    for error in errors {
        combined.combine(error);
    }
    Err(combined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        for ok in [
            "/v1/file_links",
            "/v1/billing/meters",
            "/v1/test_helpers/test_clocks",
            "/v1/a1",
        ] {
            assert_eq!(check_path(ok), Ok(()), "{ok}");
        }
        let err = |path| check_path(path).err().unwrap_or_default();
        assert!(err("v1/file_links").starts_with("`path` must start with `/v1/`"));
        assert!(err("/v2/core/events").starts_with("`path` must start with `/v1/`"));
        assert!(err("").starts_with("`path` must start with `/v1/`"));
        assert!(err("/v1").starts_with("`path` must start with `/v1/`"));
        assert!(err("/v1/").starts_with("`path` needs a collection"));
        assert_eq!(
            err("/v1/file_links/"),
            "`path` must not end with `/`; expected \"/v1/file_links\""
        );
        assert!(err("/v1/billing//meters").contains("empty segment"));
        assert!(err("/v1/File_links").contains("found 'F'"));
        assert!(err("/v1/file-links").contains("found '-'"));
        assert!(err("/v1/file_links?limit=3").contains("found '?'"));
        assert!(err("/v1/accounts/{account}/persons").contains("found '{'"));
    }

    #[test]
    fn prefixes() {
        for ok in ["link", "cus", "pi", "acct", "ich", "a1"] {
            assert_eq!(check_prefix(ok), Ok(()), "{ok}");
        }
        let err = |prefix| check_prefix(prefix).err().unwrap_or_default();
        assert_eq!(
            err("link_"),
            "`prefix` is written without the `_` separator; expected \"link\""
        );
        for bad in [
            "", "_", "Link", "LINK", "1link", "li_nk", "lïnk", "link-x", " link",
        ] {
            assert!(
                err(bad).starts_with("`prefix` must be lowercase ASCII"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn objects() {
        for ok in ["file_link", "billing.meter", "v2"] {
            assert_eq!(check_object(ok), Ok(()), "{ok}");
        }
        let err = |object| check_object(object).err().unwrap_or_default();
        assert!(err("").starts_with("`object` must not be empty"));
        assert!(err("FileLink").starts_with("`object` must be lowercase"));
        assert!(err("file link").starts_with("`object` must be lowercase"));
    }

    #[test]
    fn id_type_paths() {
        let name = syn::Ident::new("FileLinkId", proc_macro2::Span::call_site());
        let ty = |s: &str| syn::parse_str::<Type>(s);
        for ok in [
            "FileLinkId",
            "self::FileLinkId",
            "crate::links::FileLinkId",
            "(FileLinkId)",
        ] {
            assert!(ty(ok).is_ok_and(|ty| names_type(&ty, &name)), "{ok}");
        }
        for bad in [
            "String",
            "FileLinkId<u8>",
            "&FileLinkId",
            "Option<FileLinkId>",
            "FileLinkIds",
        ] {
            assert!(ty(bad).is_ok_and(|ty| !names_type(&ty, &name)), "{bad}");
        }
    }

    #[test]
    fn combine_keeps_every_error() {
        assert!(combine(Vec::new()).is_ok());
        let span = proc_macro2::Span::call_site();
        let errors = vec![Error::new(span, "a"), Error::new(span, "b")];
        let combined = combine(errors).err().map(|error| error.into_iter().count());
        assert_eq!(combined, Some(2));
    }
}
