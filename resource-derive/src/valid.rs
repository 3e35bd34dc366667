//! Phase 3: semantic checks, and the resolution of every operation into its method, path
//! template, arguments and answer. Every finding, with the attribute syntax errors, is combined
//! into one `syn::Error`, so a user sees all their mistakes in one build.

use proc_macro2::Span;
use syn::{Error, LitStr, Type};

use crate::ast::{Body, ID_FIELD, IdType, Input, Operation, PathArg, Resource};
use crate::attr::{ATTRIBUTE, Answer, HttpMethod, Key, Op};

/// The prefix every path starts with: the form-encoded v1 API.
const API_PREFIX: &str = "/v1/";

/// The placeholder of the resource's own id in a path template.
const ID_PLACEHOLDER: &str = "id";

impl<'a> Input<'a> {
    /// The resource as far as it resolves, and every mistake found on the way.
    pub(crate) fn resolve(&'a self) -> (Resource<'a>, Vec<Error>) {
        let mut errors: Vec<Error> = self.attrs.errors.clone();
        self.check_required(&mut errors);
        check_value(self.attrs.object.as_ref(), check_object, &mut errors);
        check_value(self.attrs.path.as_ref(), check_path, &mut errors);
        self.check_identity(&mut errors);
        let prefixes = self.check_prefixes(&mut errors);
        self.check_shape(&mut errors);
        if self.attrs.singleton.is_none() {
            self.check_id_field(&mut errors);
        }
        for attr in &self.misplaced {
            errors.push(Error::new_spanned(
                attr,
                format!("`#[{ATTRIBUTE}(...)]` goes on the struct, not on a field or variant"),
            ));
        }
        let path = self
            .attrs
            .path
            .as_ref()
            .map(LitStr::value)
            .unwrap_or_default();
        self.check_parents(&path, &mut errors);
        let mut ops = Vec::with_capacity(self.attrs.ops.len());
        for op in &self.attrs.ops {
            match self.resolve_op(op, &path) {
                Ok(resolved) => ops.extend(resolved),
                Err(error) => errors.push(error),
            }
        }
        check_names(&mut ops, &mut errors);
        let resource = Resource {
            ident: &self.original.ident,
            vis: &self.original.vis,
            id: match (&self.attrs.singleton, &self.attrs.id_type) {
                (Some(_), _) => None,
                (None, Some(shared)) => Some(IdType::Shared(shared)),
                (None, None) => Some(IdType::Generated(&self.id_type, prefixes)),
            },
            object: self
                .attrs
                .object
                .as_ref()
                .map(LitStr::value)
                .unwrap_or_default(),
            parents: self.attrs.parents.len(),
            path,
            ops,
        };
        (resource, errors)
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
        let declared = |key: Key| self.attrs.declared.iter().any(|(seen, _)| *seen == key);
        for (key, what) in [
            (Key::Object, "the value of the object's `object` field"),
            (Key::Path, "the collection path"),
        ] {
            if !declared(key) {
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
        if ![Key::Prefix, Key::Id, Key::Singleton]
            .into_iter()
            .any(declared)
        {
            errors.push(Error::new_spanned(
                first,
                format!(
                    "missing `prefix`; expected `{}`, the id prefix (`prefix = \"\"` for ids with \
                     no fixed prefix), `{}` for the id type of the same object at another path, \
                     or `singleton` for an object with no id of its own, like `/v1/balance`",
                    Key::Prefix.usage(),
                    Key::Id.usage(),
                ),
            ));
        }
    }

    /// At most one of `prefix`, `id = ..` and `singleton` says what the id is.
    fn check_identity(&self, errors: &mut Vec<Error>) {
        let attrs = &self.attrs;
        let id = attrs.id_type.as_ref();
        let mut clash = |at: &dyn quote::ToTokens, message: &str, other: Span, note: &str| {
            errors.push(Error::new_spanned(at, message));
            errors.push(Error::new(other, note));
        };
        if let Some(singleton) = &attrs.singleton {
            if let Some(prefix) = &attrs.prefix {
                clash(
                    &prefix.tokens,
                    "a `singleton` has no id of its own, so no id prefix; remove `prefix = ..`",
                    singleton.span(),
                    "`singleton` given here",
                );
            }
            if let Some(id) = id {
                clash(
                    id,
                    "a `singleton` has no id of its own, so no id type; remove `id = ..`",
                    singleton.span(),
                    "`singleton` given here",
                );
            }
        } else if let (Some(prefix), Some(id)) = (&attrs.prefix, id) {
            clash(
                &prefix.tokens,
                "`id = ..` takes another declaration's id type, with that declaration's prefix; \
                 remove `prefix = ..`",
                syn::spanned::Spanned::span(id),
                "`id` given here",
            );
        }
    }

    /// The prefixes, checked; a `singleton` takes none.
    fn check_prefixes(&self, errors: &mut Vec<Error>) -> Vec<String> {
        let Some(prefix) = &self.attrs.prefix else {
            return Vec::new();
        };
        if self.attrs.singleton.is_some() || self.attrs.id_type.is_some() {
            // Reported by `check_identity`.
            return Vec::new();
        }
        match prefix.values.as_slice() {
            [] => errors.push(Error::new_spanned(
                &prefix.tokens,
                "expected at least one prefix, like `prefix = [\"card\", \"ba\"]`; for ids with \
                 no fixed prefix, write `prefix = \"\"`",
            )),
            [none] if none.value().is_empty() => return Vec::new(),
            several => {
                for lit in several {
                    check_value(Some(lit), check_prefix, errors);
                }
            }
        }
        prefix.values.iter().map(LitStr::value).collect()
    }

    /// Every placeholder of `path` has a parent, and every parent a placeholder.
    fn check_parents(&self, path: &str, errors: &mut Vec<Error>) {
        let Some(lit) = &self.attrs.path else {
            return;
        };
        let names = placeholders(path);
        for name in &names {
            if *name == ID_PLACEHOLDER {
                errors.push(Error::new(
                    lit.span(),
                    "`{id}` in `path` would be the resource's own id, which instance operations \
                     add after `path`; name a parent's placeholder after the parent, like \
                     `{customer}`",
                ));
            } else if !self.attrs.parents.iter().any(|parent| parent.name == name) {
                errors.push(Error::new(
                    lit.span(),
                    format!(
                        "the placeholder `{{{name}}}` in `path` has no id type; expected \
                         `parents({name} = ParentId)`, with the id type of the parent's \
                         declaration, like `CustomerId`"
                    ),
                ));
            }
        }
        for parent in &self.attrs.parents {
            if ["client", "params"]
                .iter()
                .any(|taken| parent.name == taken)
            {
                errors.push(Error::new(
                    parent.name.span(),
                    format!(
                        "`{}` is the name of another argument of the generated methods; expected \
                         the parent's name, like `customer`, here and in `path`",
                        parent.name
                    ),
                ));
            }
            if !names.iter().any(|name| parent.name == name) {
                errors.push(Error::new(
                    parent.name.span(),
                    format!(
                        "`{}` is not a placeholder of `path`; expected each parent to be \
                         written in `path` as `{{{}}}`",
                        parent.name, parent.name
                    ),
                ));
            }
        }
    }

    /// One operation: its method, full template, arguments, parameters and answer; `None` when
    /// a mistake already reported elsewhere leaves it unresolved.
    fn resolve_op(&'a self, op: &'a Op, path: &str) -> syn::Result<Option<Operation<'a>>> {
        let singleton = self.attrs.singleton.is_some();
        let name = op.name.clone().unwrap_or_else(|| op.keyword.clone());
        if singleton && matches!(op.key, Key::List | Key::Search) {
            return Err(Error::new(
                op.keyword.span(),
                format!(
                    "a `singleton` has no collection to `{}`; expected `create`, `retrieve`, \
                     `update`, `delete` or an `action`",
                    op.key.name()
                ),
            ));
        }
        if let (Some(Answer::List(_)), Some((method, keyword, _))) = (&op.answer, &op.route) {
            if *method != HttpMethod::Get {
                return Err(Error::new(
                    keyword.span(),
                    "an action answering `list = T` is a `get`; lists are read with `GET`",
                ));
            }
        }
        let instance = if singleton {
            path.to_owned()
        } else {
            format!("{path}/{{{ID_PLACEHOLDER}}}")
        };
        let (method, template) = match op.key {
            Key::Create => (HttpMethod::Post, path.to_owned()),
            Key::Retrieve => (HttpMethod::Get, instance),
            Key::Update => (HttpMethod::Post, instance),
            Key::Delete => (HttpMethod::Delete, instance),
            Key::List => (HttpMethod::Get, path.to_owned()),
            Key::Search => (HttpMethod::Get, format!("{path}/search")),
            _ => {
                let Some((method, _, route)) = &op.route else {
                    return Err(Error::new(op.keyword.span(), "an action needs its route"));
                };
                (*method, action_template(path, route)?)
            }
        };
        if let (Some(_), HttpMethod::Get | HttpMethod::Delete) = (op.settings.encoding, method) {
            return Err(Error::new(
                op.keyword.span(),
                format!(
                    "`encoding` applies only to an operation that sends a body (`post`); \
                     `{name}` is a {}",
                    method.name()
                ),
            ));
        }
        let mut args = Vec::new();
        for placeholder in placeholders(&template) {
            if placeholder == ID_PLACEHOLDER {
                if singleton {
                    let span = op.route.as_ref().map_or(op.keyword.span(), |r| r.2.span());
                    return Err(Error::new(
                        span,
                        "a `singleton` has no id of its own; expected a path without `{id}`",
                    ));
                }
                args.push(PathArg::Id);
            } else if let Some(parent) = self.attrs.parents.iter().find(|p| p.name == placeholder) {
                args.push(PathArg::Parent {
                    name: &parent.name,
                    ty: &parent.ty,
                });
            } else if placeholders(path).contains(&placeholder) {
                // A placeholder of `path` itself is reported once, by `check_parents`.
                return Ok(None);
            } else {
                let span = op.route.as_ref().map_or(op.keyword.span(), |r| r.2.span());
                return Err(Error::new(
                    span,
                    format!(
                        "unknown placeholder `{{{placeholder}}}`; expected `{{id}}` (the \
                         resource's own id) or a parent named in `parents(...)`"
                    ),
                ));
            }
        }
        Ok(Some(Operation {
            key: op.key,
            name,
            method,
            template,
            args,
            params: op.params.as_ref(),
            answer: op.answer.as_ref(),
            settings: op.settings,
        }))
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
        // The type the field must have: the one generated, or the one `id = ..` names.
        let (expected, what) = match &self.attrs.id_type {
            Some(shared) => match type_name(shared) {
                Some(name) => (name.clone(), "the id type `id = ..` names"),
                None => {
                    errors.push(Error::new_spanned(
                        shared,
                        "`id` names another declaration's id type, like `id = SubscriptionId`",
                    ));
                    return;
                }
            },
            None => (self.id_type.clone(), "the id type this derive generates"),
        };
        match self.id_field {
            None => errors.push(Error::new(
                self.original.ident.span(),
                format!("missing `{ID_FIELD}` field; expected `{ID_FIELD}: {expected}`, {what}"),
            )),
            Some(field) if !names_type(&field.ty, &expected) => errors.push(Error::new_spanned(
                &field.ty,
                format!("`{ID_FIELD}` must have type `{expected}`, {what}"),
            )),
            Some(_) => {}
        }
    }
}

/// The last name of a path type without generic arguments: `SubscriptionId` for
/// `crate::SubscriptionId`.
fn type_name(ty: &Type) -> Option<&syn::Ident> {
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last()?;
            last.arguments.is_none().then_some(&last.ident)
        }
        Type::Group(group) => type_name(&group.elem),
        Type::Paren(paren) => type_name(&paren.elem),
        _ => None,
    }
}

/// The methods every operation generates: no two may share a name. An operation whose methods
/// clash is reported and dropped, so that the fallback defines each method once.
fn check_names(ops: &mut Vec<Operation>, errors: &mut Vec<Error>) {
    let mut seen: Vec<(String, String)> = Vec::new();
    let by = |op: &Operation| match op.key {
        Key::Action => format!("the action `{}`", op.name),
        key => format!("the `{}` operation", key.name()),
    };
    ops.retain(|op| {
        let names = crate::expand::method_names(op);
        let clash = names
            .iter()
            .find_map(|name| seen.iter().find(|(seen, _)| seen == name));
        if let Some((method, first)) = clash {
            errors.push(Error::new(
                op.name.span(),
                format!(
                    "{} generates the method `{method}`, which {first} generates already; \
                     expected another name for the action",
                    by(op),
                ),
            ));
            return false;
        }
        seen.extend(names.into_iter().map(|name| (name, by(op))));
        true
    });
}

/// The names of the placeholders of a template, in order: `["customer", "id"]`.
fn placeholders(template: &str) -> Vec<&str> {
    template
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .collect()
}

/// An action's full template: `route` after `path` (`"{id}/confirm"`), or as is when it starts
/// with `/v1/`.
fn action_template(path: &str, route: &LitStr) -> syn::Result<String> {
    let value = route.value();
    let error = |message: String| Error::new(route.span(), message);
    let (template, relative) = if value.starts_with('/') {
        check_path(&value).map_err(error)?;
        (value.clone(), &value[API_PREFIX.len().min(value.len())..])
    } else if value.is_empty() {
        return Ok(path.to_owned());
    } else {
        (format!("{path}/{value}"), value.as_str())
    };
    if relative.ends_with('/') || relative.split('/').any(str::is_empty) {
        return Err(error(format!(
            "an action's path is segments separated by `/`, relative to `path` like \
             `\"{{id}}/confirm\"`, or from `/v1/`; found {value:?}"
        )));
    }
    if let Some(bad) = relative.split('/').find(|segment| !is_segment(segment)) {
        return Err(error(format!(
            "path segments are lowercase ASCII letters, digits and `_`, or a `{{placeholder}}`; \
             found {bad:?} in {value:?}"
        )));
    }
    Ok(template)
}

/// A literal segment (`balance_transactions`) or a placeholder (`{customer}`).
fn is_segment(segment: &str) -> bool {
    let word = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        Some(name) => word(name),
        None => word(segment),
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

/// `path`: a collection of the v1 API, such as `/v1/file_links` or `/v1/billing/meters`, or a
/// template with parents' placeholders: `/v1/customers/{customer}/balance_transactions`.
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
    if let Some(bad) = rest.split('/').find(|segment| !is_segment(segment)) {
        return Err(format!(
            "`path` segments must be lowercase ASCII letters, digits and `_`, or a parent's \
             `{{placeholder}}`; found {bad:?} in {path:?}"
        ));
    }
    Ok(())
}

/// `prefix`: what ids start with, before the last `_` separator, such as `link` for `link_123`
/// or `sub_sched` for `sub_sched_123`.
fn check_prefix(prefix: &str) -> Result<(), String> {
    let valid = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_lowercase())
            && !s.ends_with('_')
            && !s.contains("__")
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
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
        "`prefix` must be lowercase ASCII letters and digits (words joined by `_`), starting \
         with a letter, like `\"link\"` or `\"sub_sched\"`; found {prefix:?}"
    ))
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
        assert!(err("/v1/File_links").contains("found \"File_links\""));
        assert!(err("/v1/file-links").contains("found \"file-links\""));
        assert!(err("/v1/file_links?limit=3").contains("found \"file_links?limit=3\""));
        assert_eq!(check_path("/v1/accounts/{account}/persons"), Ok(()));
        assert!(err("/v1/accounts/{Account}/persons").contains("found \"{Account}\""));
        assert!(err("/v1/accounts/{account/persons").contains("found \"{account\""));
        assert!(err("/v1/accounts/{}/persons").contains("found \"{}\""));
    }

    #[test]
    fn prefixes() {
        for ok in [
            "link",
            "cus",
            "pi",
            "acct",
            "ich",
            "a1",
            "sub_sched",
            "tax_li",
        ] {
            assert_eq!(check_prefix(ok), Ok(()), "{ok}");
        }
        let err = |prefix| check_prefix(prefix).err().unwrap_or_default();
        assert_eq!(
            err("link_"),
            "`prefix` is written without the `_` separator; expected \"link\""
        );
        for bad in [
            "", "_", "Link", "LINK", "1link", "li__nk", "_link", "lïnk", "link-x", " link",
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
        let name = syn::Ident::new("FileLinkId", Span::call_site());
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
}
