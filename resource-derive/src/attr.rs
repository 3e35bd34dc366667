//! Phase 1: the syntax of `#[stripe(...)]`, spans kept.
//!
//! Reading goes on past a bad entry so that every mistake in an attribute is reported at once:
//! recoverable errors are collected in [`Attrs::errors`] and only a break in the `key = value,`
//! structure itself stops reading the rest of that attribute. Whether a value makes sense (a path
//! that starts with `/v1/`, a lowercase prefix) is for `valid` to say.

use proc_macro2::{Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::parse::{Parse, ParseStream, Parser};
use syn::{Attribute, Error, Ident, LitStr, Meta, Token, Type, token};

/// The name of the helper attribute.
pub(crate) const ATTRIBUTE: &str = "stripe";

/// A key of `#[stripe(...)]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Key {
    Object,
    Path,
    Prefix,
    Create,
    Retrieve,
    Update,
    Delete,
    List,
}

/// How a key is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// `key = "string"`.
    String,
    /// `key` alone: an operation without parameters.
    Flag,
    /// `key = Type`: an operation with a parameters type.
    Params,
}

impl Key {
    /// Every key, in the order messages list them.
    pub(crate) const ALL: [Self; 8] = [
        Self::Object,
        Self::Path,
        Self::Prefix,
        Self::Create,
        Self::Retrieve,
        Self::Update,
        Self::Delete,
        Self::List,
    ];

    /// The keyword: the one place each is spelt, so parsing and messages agree.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Self::Object => "object",
            Self::Path => "path",
            Self::Prefix => "prefix",
            Self::Create => "create",
            Self::Retrieve => "retrieve",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::List => "list",
        }
    }

    pub(crate) const fn syntax(self) -> Syntax {
        match self {
            Self::Object | Self::Path | Self::Prefix => Syntax::String,
            Self::Retrieve | Self::Delete => Syntax::Flag,
            Self::Create | Self::Update | Self::List => Syntax::Params,
        }
    }

    /// A sample value for messages.
    const fn sample(self) -> &'static str {
        match self {
            Self::Object => "\"file_link\"",
            Self::Path => "\"/v1/file_links\"",
            Self::Prefix => "\"link\"",
            Self::Create => "CreateParams",
            Self::Update => "UpdateParams",
            Self::List => "ListParams",
            Self::Retrieve | Self::Delete => "",
        }
    }

    /// How the key is written, for messages: `path = "/v1/file_links"`, `retrieve`.
    pub(crate) fn usage(self) -> String {
        match self.syntax() {
            Syntax::Flag => self.name().to_owned(),
            Syntax::String | Syntax::Params => format!("{} = {}", self.name(), self.sample()),
        }
    }

    /// `` `object`, `path`, ... `` for "expected one of" messages.
    fn expected_list() -> String {
        let names: Vec<String> = Self::ALL
            .iter()
            .map(|key| format!("`{}`", key.name()))
            .collect();
        names.join(", ")
    }

    fn from_ident(ident: &Ident) -> Option<Self> {
        Self::ALL.into_iter().find(|key| ident == key.name())
    }
}

/// Everything the `#[stripe]` attributes of one item declare, merged.
#[derive(Default)]
pub(crate) struct Attrs<'a> {
    /// The first `#[stripe]` attribute: where a missing key is reported.
    pub(crate) first: Option<&'a Attribute>,
    /// Each key written so far with its keyword token, valid value or not.
    pub(crate) declared: Vec<(Key, Ident)>,
    pub(crate) object: Option<LitStr>,
    pub(crate) path: Option<LitStr>,
    pub(crate) prefix: Option<LitStr>,
    pub(crate) ops: Ops,
    /// Some entry was unreadable or unknown: a key that looks missing may be the one that was
    /// misspelt, so `valid` does not report missing keys on top.
    pub(crate) incomplete: bool,
    pub(crate) errors: Vec<Error>,
}

/// The operations a resource declares. An operation whose declaration did not parse is absent.
#[derive(Default)]
pub(crate) struct Ops {
    pub(crate) create: Option<Params>,
    pub(crate) retrieve: bool,
    pub(crate) update: Option<Params>,
    pub(crate) delete: bool,
    pub(crate) list: Option<Params>,
}

/// What an operation with parameters declares: `create = CreateFileLink`.
///
/// A nested form such as `create(params = CreateFile, host = "files", encoding = "multipart")`
/// would add its settings here, parsed by a second branch in [`Attrs::params`].
pub(crate) struct Params {
    pub(crate) ty: Type,
}

/// Reads every `#[stripe(...)]` among `attrs`.
pub(crate) fn get(attrs: &[Attribute]) -> Attrs<'_> {
    let mut out = Attrs::default();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident(ATTRIBUTE)) {
        out.first.get_or_insert(attr);
        if let Err(error) = out.parse_attribute(attr) {
            out.incomplete = true;
            out.errors.push(error);
        }
    }
    out
}

impl Attrs<'_> {
    fn parse_attribute(&mut self, attr: &Attribute) -> syn::Result<()> {
        if !matches!(attr.meta, Meta::List(_)) {
            return Err(Error::new_spanned(
                attr,
                format!(
                    "expected `#[{ATTRIBUTE}(...)]` with the resource's keys, like \
                     `#[{ATTRIBUTE}({}, {}, {})]`",
                    Key::Object.usage(),
                    Key::Path.usage(),
                    Key::Prefix.usage(),
                ),
            ));
        }
        attr.parse_nested_meta(|meta| self.parse_entry(&meta))
    }

    /// One `key`, `key = value` or `key(...)`. Returns `Err` only when the rest of the attribute
    /// cannot be read; every other mistake is recorded and reading goes on.
    fn parse_entry(&mut self, meta: &ParseNestedMeta) -> syn::Result<()> {
        let found = meta
            .path
            .get_ident()
            .and_then(|ident| Key::from_ident(ident).map(|key| (key, ident.clone())));
        let Some((key, keyword)) = found else {
            self.incomplete = true;
            self.errors.push(Error::new_spanned(
                &meta.path,
                format!(
                    "unknown {ATTRIBUTE} attribute `{}`; expected one of {}",
                    display_path(&meta.path),
                    Key::expected_list(),
                ),
            ));
            return skip_value(meta.input);
        };

        if let Some((_, first)) = self.declared.iter().find(|(seen, _)| *seen == key) {
            let name = key.name();
            let (message, note) = match key.syntax() {
                Syntax::String => (
                    format!("duplicate {ATTRIBUTE} attribute `{name}`; expected it once"),
                    format!("`{name}` first defined here"),
                ),
                Syntax::Flag | Syntax::Params => (
                    format!("operation `{name}` is listed twice; expected it once"),
                    format!("`{name}` first listed here"),
                ),
            };
            let first = first.span();
            self.errors.push(Error::new(keyword.span(), message));
            self.errors.push(Error::new(first, note));
            return skip_value(meta.input);
        }
        self.declared.push((key, keyword));

        match key {
            Key::Object => self.object = self.string(meta, key)?,
            Key::Path => self.path = self.string(meta, key)?,
            Key::Prefix => self.prefix = self.string(meta, key)?,
            Key::Create => self.ops.create = self.params(meta, key)?,
            Key::Retrieve => self.ops.retrieve = self.flag(meta, key)?,
            Key::Update => self.ops.update = self.params(meta, key)?,
            Key::Delete => self.ops.delete = self.flag(meta, key)?,
            Key::List => self.ops.list = self.params(meta, key)?,
        }
        Ok(())
    }

    /// `key = "string"`.
    fn string(&mut self, meta: &ParseNestedMeta, key: Key) -> syn::Result<Option<LitStr>> {
        if !meta.input.peek(Token![=]) {
            skip_value(meta.input)?;
            self.errors.push(meta.error(format!(
                "`{}` needs a value; expected `{}`",
                key.name(),
                key.usage()
            )));
            return Ok(None);
        }
        let eq: Token![=] = meta.input.parse()?;
        let value = take_value(meta.input)?;
        if value.is_empty() {
            self.errors.push(Error::new(
                eq.span,
                format!("expected a string literal after `=`: `{}`", key.usage()),
            ));
            return Ok(None);
        }
        match self.value::<LitStr>(value.clone(), key) {
            Some(lit) if lit.suffix().is_empty() => Ok(Some(lit)),
            Some(lit) => {
                self.errors.push(Error::new(
                    lit.span(),
                    format!(
                        "unexpected suffix `{}` on a string literal; expected `{}`",
                        lit.suffix(),
                        key.usage()
                    ),
                ));
                Ok(None)
            }
            None => {
                self.errors.push(Error::new_spanned(
                    value,
                    format!("expected a string literal: `{}`", key.usage()),
                ));
                Ok(None)
            }
        }
    }

    /// Parses a value; tokens after it (most likely a missing `,`) are reported here, while a
    /// value that does not parse at all is left to the caller to report (`None`).
    fn value<T: Parse>(&mut self, tokens: TokenStream, key: Key) -> Option<T> {
        let parsed = Parser::parse2(
            |input: ParseStream| Ok((input.parse::<T>()?, input.parse::<TokenStream>()?)),
            tokens,
        );
        let (value, rest) = parsed.ok()?;
        if let Some(stray) = rest.into_iter().next() {
            // Whatever was swallowed here may include keys that now look missing.
            self.incomplete = true;
            self.errors.push(Error::new(
                stray.span(),
                format!("expected `,` after the value of `{}`", key.name()),
            ));
        }
        Some(value)
    }

    /// `key` alone. A flag given a value is still declared, so fallback methods exist for it.
    fn flag(&mut self, meta: &ParseNestedMeta, key: Key) -> syn::Result<bool> {
        let name = key.name();
        if meta.input.peek(Token![=]) {
            let eq: Token![=] = meta.input.parse()?;
            let value = take_value(meta.input)?;
            let mut tokens = eq.to_token_stream();
            tokens.extend(value);
            self.errors.push(Error::new_spanned(
                tokens,
                format!("`{name}` takes no value; expected `{name}` alone"),
            ));
        } else if meta.input.peek(token::Paren) {
            let group: TokenTree = meta.input.parse()?;
            self.errors.push(Error::new_spanned(
                group,
                format!("`{name}` takes no arguments; expected `{name}` alone"),
            ));
        }
        Ok(true)
    }

    /// `key = Type`.
    fn params(&mut self, meta: &ParseNestedMeta, key: Key) -> syn::Result<Option<Params>> {
        let needs_type = || {
            format!(
                "`{}` needs its parameters type: `{}`",
                key.name(),
                key.usage()
            )
        };
        if meta.input.peek(Token![=]) {
            let eq: Token![=] = meta.input.parse()?;
            let value = take_value(meta.input)?;
            if value.is_empty() {
                self.errors.push(Error::new(eq.span, needs_type()));
                return Ok(None);
            }
            if let Some(ty) = self.value::<Type>(value.clone(), key) {
                return Ok(Some(Params { ty }));
            }
            self.errors.push(Error::new_spanned(
                value,
                format!("expected a type: `{}`", key.usage()),
            ));
            return Ok(None);
        }
        if meta.input.peek(token::Paren) {
            // Reserved for the nested form `create(params = .., host = "files", ..)`.
            let group: TokenTree = meta.input.parse()?;
            self.errors.push(Error::new_spanned(
                group,
                format!(
                    "`{}(...)` is not supported; expected `{}`",
                    key.name(),
                    key.usage()
                ),
            ));
            return Ok(None);
        }
        self.errors.push(meta.error(needs_type()));
        Ok(None)
    }
}

/// Skips what follows an unusable key: `= value` or one `(...)`, `[...]` or `{...}` group.
fn skip_value(input: ParseStream) -> syn::Result<()> {
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        take_value(input)?;
    } else if input.peek(token::Paren) || input.peek(token::Bracket) || input.peek(token::Brace) {
        input.parse::<TokenTree>()?;
    }
    Ok(())
}

/// The tokens of a value: everything up to the next `,` that is not inside `<...>`, so that
/// `create = Params<A, B>` stays whole.
fn take_value(input: ParseStream) -> syn::Result<TokenStream> {
    input.step(|cursor| {
        let mut rest = *cursor;
        let mut tokens = TokenStream::new();
        let mut angle_depth = 0_usize;
        let mut after_joint_minus = false;
        while let Some((tree, next)) = rest.token_tree() {
            if let TokenTree::Punct(punct) = &tree {
                match punct.as_char() {
                    ',' if angle_depth == 0 => break,
                    '<' => angle_depth += 1,
                    // The `>` of `->` closes nothing.
                    '>' if !after_joint_minus => angle_depth = angle_depth.saturating_sub(1),
                    _ => {}
                }
                after_joint_minus = punct.as_char() == '-' && punct.spacing() == Spacing::Joint;
            } else {
                after_joint_minus = false;
            }
            tokens.extend([tree]);
            rest = next;
        }
        Ok((tokens, rest))
    })
}

/// `a::b` as written, for messages.
fn display_path(path: &syn::Path) -> String {
    let segments: Vec<String> = path
        .segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    let joined = segments.join("::");
    if path.leading_colon.is_some() {
        format!("::{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(tokens: TokenStream) -> syn::Result<Attrs<'static>> {
        let attrs: Vec<Attribute> = Parser::parse2(Attribute::parse_outer, tokens)?;
        let attrs: &'static [Attribute] = Vec::leak(attrs);
        Ok(get(attrs))
    }

    fn messages(attrs: &Attrs) -> Vec<String> {
        attrs.errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn keywords_are_listed_once_each() {
        let mut names: Vec<&str> = Key::ALL.iter().map(|key| key.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Key::ALL.len());
        for key in Key::ALL {
            let ident = Ident::new(key.name(), proc_macro2::Span::call_site());
            assert_eq!(Key::from_ident(&ident), Some(key));
        }
    }

    #[test]
    fn expected_list_names_every_key_in_order() {
        assert_eq!(
            Key::expected_list(),
            "`object`, `path`, `prefix`, `create`, `retrieve`, `update`, `delete`, `list`"
        );
    }

    #[test]
    fn reads_every_key_across_attributes() -> syn::Result<()> {
        let attrs = parse(quote::quote! {
            #[stripe(object = "file_link", path = "/v1/file_links", prefix = "link")]
            #[doc = "not ours"]
            #[stripe(create = CreateFileLink, retrieve, update = a::Update<'static, u8>, delete, list = List<A, B>,)]
        })?;
        assert!(attrs.errors.is_empty(), "{:?}", messages(&attrs));
        assert_eq!(
            attrs.object.map(|lit| lit.value()).as_deref(),
            Some("file_link")
        );
        assert_eq!(
            attrs.path.map(|lit| lit.value()).as_deref(),
            Some("/v1/file_links")
        );
        assert_eq!(attrs.prefix.map(|lit| lit.value()).as_deref(), Some("link"));
        assert!(attrs.ops.retrieve && attrs.ops.delete);
        let list = attrs
            .ops
            .list
            .map(|params| params.ty.to_token_stream().to_string());
        assert_eq!(list.as_deref(), Some("List < A , B >"));
        assert!(attrs.ops.create.is_some() && attrs.ops.update.is_some());
        assert!(!attrs.incomplete);
        Ok(())
    }

    #[test]
    fn keeps_reading_after_mistakes() -> syn::Result<()> {
        let attrs = parse(quote::quote! {
            #[stripe(object = 5, pth = "/v1/x", retrieve = X, create, prefix = "link", delete)]
        })?;
        assert_eq!(
            messages(&attrs),
            [
                "expected a string literal: `object = \"file_link\"`",
                "unknown stripe attribute `pth`; expected one of `object`, `path`, `prefix`, \
                 `create`, `retrieve`, `update`, `delete`, `list`",
                "`retrieve` takes no value; expected `retrieve` alone",
                "`create` needs its parameters type: `create = CreateParams`",
            ]
        );
        assert!(attrs.prefix.is_some() && attrs.ops.delete && attrs.ops.retrieve);
        assert!(attrs.incomplete);
        Ok(())
    }

    #[test]
    fn duplicates_point_at_both() -> syn::Result<()> {
        let attrs = parse(quote::quote! {
            #[stripe(path = "/v1/a", retrieve)]
            #[stripe(path = "/v1/b", retrieve)]
        })?;
        assert_eq!(
            messages(&attrs),
            [
                "duplicate stripe attribute `path`; expected it once",
                "`path` first defined here",
                "operation `retrieve` is listed twice; expected it once",
                "`retrieve` first listed here",
            ]
        );
        assert_eq!(attrs.path.map(|lit| lit.value()).as_deref(), Some("/v1/a"));
        Ok(())
    }

    #[test]
    fn a_broken_attribute_is_incomplete() -> syn::Result<()> {
        let attrs = parse(quote::quote! { #[stripe(object = "a" path = "/v1/a")] })?;
        assert!(attrs.incomplete);
        assert_eq!(
            messages(&attrs),
            ["expected `,` after the value of `object`"]
        );
        assert_eq!(attrs.object.map(|lit| lit.value()).as_deref(), Some("a"));
        let attrs = parse(quote::quote! { #[stripe(create = A retrieve)] })?;
        assert_eq!(
            messages(&attrs),
            ["expected `,` after the value of `create`"]
        );
        assert!(attrs.ops.create.is_some());
        let attrs = parse(quote::quote! { #[stripe] })?;
        assert!(attrs.incomplete);
        Ok(())
    }
}
