//! Phase 1: the syntax of `#[stripe(...)]`, spans kept.
//!
//! Reading goes on past a bad entry so that every mistake in an attribute is reported at once:
//! recoverable errors are collected in [`Attrs::errors`] and only a break in the `key = value,`
//! structure itself stops reading the rest of that attribute. Whether a value makes sense (a path
//! that starts with `/v1/`, a lowercase prefix) is for `valid` to say; the values of `host` and
//! `encoding` are keywords, so they are read here against their table, like the keys.

use std::mem;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
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

    /// The settings `key(...)` takes, in the order messages list them.
    fn settings(self) -> Vec<Setting> {
        Setting::ALL
            .into_iter()
            .filter(|setting| setting.applies_to(self))
            .collect()
    }
}

/// A setting inside an operation's parentheses: `create(params = .., host = .., encoding = ..)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Setting {
    Params,
    Host,
    Encoding,
}

impl Setting {
    /// Every setting, in the order messages list them.
    pub(crate) const ALL: [Self; 3] = [Self::Params, Self::Host, Self::Encoding];

    /// The keyword, spelt here only.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Self::Params => "params",
            Self::Host => "host",
            Self::Encoding => "encoding",
        }
    }

    /// Whether `op(...)` takes this setting: `params` where the short form takes a type, `host`
    /// on every operation, `encoding` only where a request body is sent.
    pub(crate) const fn applies_to(self, op: Key) -> bool {
        match self {
            Self::Params => matches!(op.syntax(), Syntax::Params),
            Self::Host => matches!(op.syntax(), Syntax::Params | Syntax::Flag),
            Self::Encoding => matches!(op, Key::Create | Key::Update),
        }
    }

    /// How the setting is written inside `op(...)`, for messages: `params = CreateParams`.
    fn usage(self, op: Key) -> String {
        match self {
            Self::Params => format!("params = {}", op.sample()),
            Self::Host => format!("host = \"{}\"", Host::Files.name()),
            Self::Encoding => format!("encoding = \"{}\"", Encoding::Multipart.name()),
        }
    }

    fn from_ident(ident: &Ident) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|setting| ident == setting.name())
    }
}

/// A setting whose value is one of a few keywords, written as a string: `host = "files"`.
pub(crate) trait Choice: Copy + 'static {
    /// The setting that takes this value.
    const SETTING: Setting;
    /// Every value, in the order messages list them.
    const ALL: &'static [Self];
    /// The keyword, spelt here only.
    fn name(self) -> &'static str;
}

/// `host = "..."`: which of Stripe's hosts an operation goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Host {
    Api,
    Files,
}

impl Choice for Host {
    const SETTING: Setting = Setting::Host;
    const ALL: &'static [Self] = &[Self::Api, Self::Files];

    fn name(self) -> &'static str {
        match self {
            Self::Api => "api",
            Self::Files => "files",
        }
    }
}

/// `encoding = "..."`: how a `create` or `update` sends its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Form,
    Multipart,
}

impl Choice for Encoding {
    const SETTING: Setting = Setting::Encoding;
    const ALL: &'static [Self] = &[Self::Form, Self::Multipart];

    fn name(self) -> &'static str {
        match self {
            Self::Form => "form",
            Self::Multipart => "multipart",
        }
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
    /// Set when tokens after a value were reported (most likely a missing `,`): the caller
    /// decides what that makes incomplete, the attribute or one operation's settings.
    swallowed: bool,
}

/// The operations a resource declares. An operation whose declaration did not parse is absent;
/// `retrieve` and `delete` are present once named, whatever their mistakes.
#[derive(Default)]
pub(crate) struct Ops {
    pub(crate) create: Option<Params>,
    pub(crate) retrieve: Option<Settings>,
    pub(crate) update: Option<Params>,
    pub(crate) delete: Option<Settings>,
    pub(crate) list: Option<Params>,
}

/// What an operation with parameters declares: `create = CreateFileLink`, or
/// `create(params = CreateFile, host = "files", encoding = "multipart")`.
pub(crate) struct Params {
    pub(crate) ty: Type,
    pub(crate) settings: Settings,
}

/// The settings written in an operation's parentheses; `None` where it keeps the default of
/// its trait in resource-core. `encoding` is only ever set on `create` and `update`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Settings {
    pub(crate) host: Option<Host>,
    pub(crate) encoding: Option<Encoding>,
}

/// What one `op(...)` declares while it is read.
#[derive(Default)]
struct Nested {
    params: Option<Type>,
    settings: Settings,
    /// Each setting written so far with its keyword token.
    declared: Vec<(Setting, Ident)>,
    /// An unknown or swallowed setting may be a misspelt `params`: not reported missing on top.
    incomplete: bool,
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
            let name = display_path(&meta.path);
            let expected = match meta.path.get_ident().and_then(Setting::from_ident) {
                // `host = "files"` next to `create = ..`: say where it goes.
                Some(setting) => format!(
                    "expected it inside an operation, like `{}({})`",
                    Key::Create.name(),
                    example_settings(setting)
                ),
                None => format!("expected one of {}", Key::expected_list()),
            };
            self.errors.push(Error::new_spanned(
                &meta.path,
                format!("unknown {ATTRIBUTE} attribute `{name}`; {expected}"),
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

        let (name, usage) = (key.name(), key.usage());
        match key {
            Key::Object => self.object = self.string(meta, name, &usage)?,
            Key::Path => self.path = self.string(meta, name, &usage)?,
            Key::Prefix => self.prefix = self.string(meta, name, &usage)?,
            Key::Create => self.ops.create = self.params(meta, key)?,
            Key::Retrieve => self.ops.retrieve = self.flag(meta, key)?,
            Key::Update => self.ops.update = self.params(meta, key)?,
            Key::Delete => self.ops.delete = self.flag(meta, key)?,
            Key::List => self.ops.list = self.params(meta, key)?,
        }
        // Whatever was swallowed after a value may include keys that now look missing.
        self.incomplete |= mem::take(&mut self.swallowed);
        Ok(())
    }

    /// `name = "string"`; `usage` shows the whole entry in messages.
    fn string(
        &mut self,
        meta: &ParseNestedMeta,
        name: &str,
        usage: &str,
    ) -> syn::Result<Option<LitStr>> {
        if !meta.input.peek(Token![=]) {
            skip_value(meta.input)?;
            self.errors
                .push(meta.error(format!("`{name}` needs a value; expected `{usage}`")));
            return Ok(None);
        }
        let eq: Token![=] = meta.input.parse()?;
        let value = take_value(meta.input)?;
        if value.is_empty() {
            self.errors.push(Error::new(
                eq.span,
                format!("expected a string literal after `=`: `{usage}`"),
            ));
            return Ok(None);
        }
        match self.value::<LitStr>(value.clone(), name) {
            Some(lit) if lit.suffix().is_empty() => Ok(Some(lit)),
            Some(lit) => {
                self.errors.push(Error::new(
                    lit.span(),
                    format!(
                        "unexpected suffix `{}` on a string literal; expected `{usage}`",
                        lit.suffix(),
                    ),
                ));
                Ok(None)
            }
            None => {
                self.errors.push(Error::new_spanned(
                    value,
                    format!("expected a string literal: `{usage}`"),
                ));
                Ok(None)
            }
        }
    }

    /// Parses the value of `name`; tokens after it (most likely a missing `,`) are reported here
    /// and set [`Attrs::swallowed`], while a value that does not parse at all is left to the
    /// caller to report (`None`).
    fn value<T: Parse>(&mut self, tokens: TokenStream, name: &str) -> Option<T> {
        let parsed = Parser::parse2(
            |input: ParseStream| Ok((input.parse::<T>()?, input.parse::<TokenStream>()?)),
            tokens,
        );
        let (value, rest) = parsed.ok()?;
        if let Some(stray) = rest.into_iter().next() {
            self.swallowed = true;
            self.errors.push(Error::new(
                stray.span(),
                format!("expected `,` after the value of `{name}`"),
            ));
        }
        Some(value)
    }

    /// `key` alone, or `key(host = "files")`. Declared even with mistakes, so that fallback
    /// methods exist for it.
    fn flag(&mut self, meta: &ParseNestedMeta, key: Key) -> syn::Result<Option<Settings>> {
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
            return Ok(Some(self.nested(meta, key)?.settings));
        }
        Ok(Some(Settings::default()))
    }

    /// `key = Type`, or `key(params = Type, ...)`.
    fn params(&mut self, meta: &ParseNestedMeta, key: Key) -> syn::Result<Option<Params>> {
        if !meta.input.peek(token::Paren) {
            let needs = format!(
                "`{}` needs its parameters type: `{}`",
                key.name(),
                key.usage()
            );
            let ty = self.params_type(meta, &key.usage(), needs)?;
            return Ok(ty.map(|ty| Params {
                ty,
                settings: Settings::default(),
            }));
        }
        let nested = self.nested(meta, key)?;
        if let Some(ty) = nested.params {
            return Ok(Some(Params {
                ty,
                settings: nested.settings,
            }));
        }
        let params_written = nested
            .declared
            .iter()
            .any(|(setting, _)| *setting == Setting::Params);
        if !params_written && !nested.incomplete {
            self.errors.push(Error::new_spanned(
                &meta.path,
                format!(
                    "`{}(...)` needs its parameters type: `{}`",
                    key.name(),
                    Setting::Params.usage(key)
                ),
            ));
        }
        Ok(None)
    }

    /// `= Type`, after a key given its parameters type this way; `needs` is the message for a
    /// key without one.
    fn params_type(
        &mut self,
        meta: &ParseNestedMeta,
        usage: &str,
        needs: String,
    ) -> syn::Result<Option<Type>> {
        if !meta.input.peek(Token![=]) {
            self.errors.push(meta.error(needs));
            skip_value(meta.input)?;
            return Ok(None);
        }
        let eq: Token![=] = meta.input.parse()?;
        let value = take_value(meta.input)?;
        if value.is_empty() {
            self.errors.push(Error::new(eq.span, needs));
            return Ok(None);
        }
        let name = display_path(&meta.path);
        if let Some(ty) = self.value::<Type>(value.clone(), &name) {
            return Ok(Some(ty));
        }
        self.errors.push(Error::new_spanned(
            value,
            format!("expected a type: `{usage}`"),
        ));
        Ok(None)
    }

    /// The parentheses of `op(...)`: its settings, each checked against what `op` takes.
    fn nested(&mut self, meta: &ParseNestedMeta, op: Key) -> syn::Result<Nested> {
        let mut nested = Nested::default();
        let empty = meta
            .input
            .cursor()
            .group(Delimiter::Parenthesis)
            .is_some_and(|(inside, _, _)| inside.eof());
        if empty {
            // `retrieve()` is `retrieve`; `create()` is reported as lacking `params` by the caller.
            meta.input.parse::<TokenTree>()?;
        } else {
            meta.parse_nested_meta(|setting| self.setting(&setting, op, &mut nested))?;
        }
        Ok(nested)
    }

    /// One `setting = value` inside `op(...)`. Returns `Err` only when the rest of the attribute
    /// cannot be read, like [`Attrs::parse_entry`].
    fn setting(&mut self, meta: &ParseNestedMeta, op: Key, nested: &mut Nested) -> syn::Result<()> {
        let takes: Vec<&str> = op.settings().into_iter().map(Setting::name).collect();
        let found = meta
            .path
            .get_ident()
            .and_then(|ident| Setting::from_ident(ident).map(|setting| (setting, ident.clone())));
        let Some((setting, keyword)) = found else {
            nested.incomplete = true;
            let expected = match takes.as_slice() {
                [only] => format!("`{only}`"),
                _ => format!("one of {}", listing(&takes, ", ")),
            };
            self.errors.push(Error::new_spanned(
                &meta.path,
                format!(
                    "unknown key `{}` in `{}(...)`; expected {expected}",
                    display_path(&meta.path),
                    op.name(),
                ),
            ));
            return skip_value(meta.input);
        };
        let name = setting.name();

        if !setting.applies_to(op) {
            let ops: Vec<&str> = Key::ALL
                .into_iter()
                .filter(|key| setting.applies_to(*key))
                .map(Key::name)
                .collect();
            self.errors.push(Error::new(
                keyword.span(),
                format!(
                    "`{name}` applies only to {}; expected only {} in `{}(...)`",
                    listing(&ops, " and "),
                    listing(&takes, " and "),
                    op.name(),
                ),
            ));
            return skip_value(meta.input);
        }

        if let Some((_, first)) = nested.declared.iter().find(|(seen, _)| *seen == setting) {
            let first = first.span();
            self.errors.push(Error::new(
                keyword.span(),
                format!(
                    "duplicate `{name}` in `{}(...)`; expected it once",
                    op.name()
                ),
            ));
            self.errors
                .push(Error::new(first, format!("`{name}` first defined here")));
            return skip_value(meta.input);
        }
        nested.declared.push((setting, keyword));

        let usage = setting.usage(op);
        match setting {
            Setting::Params => {
                let needs = format!("`{name}` needs a value; expected `{usage}`");
                nested.params = self.params_type(meta, &usage, needs)?;
            }
            Setting::Host => nested.settings.host = self.choice(meta, &usage)?,
            Setting::Encoding => nested.settings.encoding = self.choice(meta, &usage)?,
        }
        nested.incomplete |= mem::take(&mut self.swallowed);
        Ok(())
    }

    /// `setting = "keyword"`, one of the keywords of `T`.
    fn choice<T: Choice>(&mut self, meta: &ParseNestedMeta, usage: &str) -> syn::Result<Option<T>> {
        let name = T::SETTING.name();
        let Some(lit) = self.string(meta, name, usage)? else {
            return Ok(None);
        };
        let value = lit.value();
        if let Some(choice) = T::ALL.iter().copied().find(|choice| choice.name() == value) {
            return Ok(Some(choice));
        }
        let choices: Vec<String> = T::ALL
            .iter()
            .map(|choice| format!("\"{}\"", choice.name()))
            .collect();
        let choices: Vec<&str> = choices.iter().map(String::as_str).collect();
        self.errors.push(Error::new(
            lit.span(),
            format!(
                "`{name}` must be {}; found {value:?}",
                listing(&choices, " or ")
            ),
        ));
        Ok(None)
    }
}

/// The settings of an example `create(...)` that shows `setting` in place.
fn example_settings(setting: Setting) -> String {
    let params = Setting::Params.usage(Key::Create);
    match setting {
        Setting::Params => params,
        Setting::Host | Setting::Encoding => {
            format!("{params}, {}", setting.usage(Key::Create))
        }
    }
}

/// The items in backticks, separated by `, ` and by `last` before the last one:
/// `` `a`, `b` and `c` `` with `" and "`.
fn listing(items: &[&str], last: &str) -> String {
    let quoted: Vec<String> = items.iter().map(|item| format!("`{item}`")).collect();
    match quoted.split_last() {
        Some((final_item, init)) if !init.is_empty() => {
            format!("{}{last}{final_item}", init.join(", "))
        }
        _ => quoted.join(", "),
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
        assert!(attrs.ops.retrieve.is_some() && attrs.ops.delete.is_some());
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
        assert!(
            attrs.prefix.is_some() && attrs.ops.delete.is_some() && attrs.ops.retrieve.is_some()
        );
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

    #[test]
    fn settings_are_listed_once_each_and_apply_where_documented() {
        let mut names: Vec<&str> = Setting::ALL.iter().map(|setting| setting.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Setting::ALL.len());
        let takes =
            |key: Key| -> Vec<&str> { key.settings().into_iter().map(Setting::name).collect() };
        assert_eq!(takes(Key::Create), ["params", "host", "encoding"]);
        assert_eq!(takes(Key::Update), ["params", "host", "encoding"]);
        assert_eq!(takes(Key::List), ["params", "host"]);
        assert_eq!(takes(Key::Retrieve), ["host"]);
        assert_eq!(takes(Key::Delete), ["host"]);
        for key in [Key::Object, Key::Path, Key::Prefix] {
            assert!(takes(key).is_empty(), "{key:?}");
        }
        let names = |all: &[&str]| all.join(" ");
        let hosts: Vec<&str> = Host::ALL.iter().map(|host| host.name()).collect();
        let encodings: Vec<&str> = Encoding::ALL.iter().map(|e| e.name()).collect();
        assert_eq!(names(&hosts), "api files");
        assert_eq!(names(&encodings), "form multipart");
    }

    #[test]
    fn listings() {
        assert_eq!(listing(&[], " and "), "");
        assert_eq!(listing(&["a"], " and "), "`a`");
        assert_eq!(listing(&["a", "b"], " or "), "`a` or `b`");
        assert_eq!(listing(&["a", "b", "c"], " and "), "`a`, `b` and `c`");
        assert_eq!(listing(&["a", "b", "c"], ", "), "`a`, `b`, `c`");
    }

    #[test]
    fn reads_the_nested_form() -> syn::Result<()> {
        let attrs = parse(quote::quote! {
            #[stripe(
                create(params = CreateFile, host = "files", encoding = "multipart"),
                retrieve(host = "api"),
                update(encoding = "form", params = a::Update<'static, u8>,),
                delete(),
                list(params = List<A, B>, host = "files"),
            )]
        })?;
        assert!(attrs.errors.is_empty(), "{:?}", messages(&attrs));
        let files = Some(Host::Files);
        let create = attrs.ops.create.as_ref().map(|op| op.settings);
        assert_eq!(
            create,
            Some(Settings {
                host: files,
                encoding: Some(Encoding::Multipart)
            })
        );
        let retrieve = attrs.ops.retrieve;
        assert_eq!(retrieve.and_then(|op| op.host), Some(Host::Api));
        let update = attrs.ops.update.as_ref().map(|op| op.settings);
        assert_eq!(update.and_then(|op| op.encoding), Some(Encoding::Form));
        assert_eq!(update.and_then(|op| op.host), None);
        assert_eq!(attrs.ops.delete, Some(Settings::default()));
        let list = attrs.ops.list.as_ref();
        assert_eq!(list.and_then(|op| op.settings.host), files);
        let list = list.map(|op| op.ty.to_token_stream().to_string());
        assert_eq!(list.as_deref(), Some("List < A , B >"));
        assert!(!attrs.incomplete);
        Ok(())
    }

    #[test]
    fn reports_nested_mistakes_and_reads_on() -> syn::Result<()> {
        let attrs = parse(quote::quote! {
            #[stripe(
                create(params = CreateFile, hots = "files", host = "filez"),
                update(params = U, encoding = multipart, encoding = "form"),
                retrieve(params = P, encoding = "form", host = "files"),
                list(host = "files"),
                delete(host),
                prefix = "file",
            )]
        })?;
        assert_eq!(
            messages(&attrs),
            [
                "unknown key `hots` in `create(...)`; expected one of `params`, `host`, \
                 `encoding`",
                "`host` must be `\"api\"` or `\"files\"`; found \"filez\"",
                "expected a string literal: `encoding = \"multipart\"`",
                "duplicate `encoding` in `update(...)`; expected it once",
                "`encoding` first defined here",
                "`params` applies only to `create`, `update` and `list`; expected only `host` \
                 in `retrieve(...)`",
                "`encoding` applies only to `create` and `update`; expected only `host` in \
                 `retrieve(...)`",
                "`list(...)` needs its parameters type: `params = ListParams`",
                "`host` needs a value; expected `host = \"files\"`",
            ]
        );
        // The operations whose parameters type parsed are declared, for the fallback.
        assert!(attrs.ops.create.is_some() && attrs.ops.update.is_some());
        assert!(attrs.ops.list.is_none());
        assert_eq!(attrs.ops.retrieve.and_then(|op| op.host), Some(Host::Files));
        assert!(attrs.ops.delete.is_some() && attrs.prefix.is_some());
        // Nested mistakes hide no top-level key.
        assert!(!attrs.incomplete);
        Ok(())
    }

    #[test]
    fn a_misspelt_params_is_not_also_missing() -> syn::Result<()> {
        let attrs = parse(quote::quote! { #[stripe(create(parms = P), update(params = 5))] })?;
        assert_eq!(
            messages(&attrs),
            [
                "unknown key `parms` in `create(...)`; expected one of `params`, `host`, \
                 `encoding`",
                "expected a type: `params = UpdateParams`",
            ]
        );
        let attrs =
            parse(quote::quote! { #[stripe(create(host = "files" params = P), retrieve)] })?;
        assert_eq!(messages(&attrs), ["expected `,` after the value of `host`"]);
        assert!(attrs.ops.retrieve.is_some() && !attrs.incomplete);
        let attrs = parse(quote::quote! { #[stripe(create(), retrieve(hots = "files"))] })?;
        assert_eq!(
            messages(&attrs),
            [
                "`create(...)` needs its parameters type: `params = CreateParams`",
                "unknown key `hots` in `retrieve(...)`; expected `host`",
            ]
        );
        Ok(())
    }

    #[test]
    fn both_forms_of_one_operation_are_listed_twice() -> syn::Result<()> {
        let attrs =
            parse(quote::quote! { #[stripe(create = P, create(params = P, host = "files"))] })?;
        assert_eq!(
            messages(&attrs),
            [
                "operation `create` is listed twice; expected it once",
                "`create` first listed here",
            ]
        );
        assert_eq!(
            attrs.ops.create.map(|op| op.settings),
            Some(Settings::default())
        );
        Ok(())
    }

    #[test]
    fn a_setting_outside_an_operation_says_where_it_goes() -> syn::Result<()> {
        let attrs =
            parse(quote::quote! { #[stripe(create = P, host = "files", encoding = "multipart")] })?;
        assert_eq!(
            messages(&attrs),
            [
                "unknown stripe attribute `host`; expected it inside an operation, like \
                 `create(params = CreateParams, host = \"files\")`",
                "unknown stripe attribute `encoding`; expected it inside an operation, like \
                 `create(params = CreateParams, encoding = \"multipart\")`",
            ]
        );
        Ok(())
    }

    #[test]
    fn a_broken_nested_attribute_stops_reading() -> syn::Result<()> {
        let attrs = parse(quote::quote! { #[stripe(create(params = P, "files"), retrieve)] })?;
        assert_eq!(attrs.errors.len(), 1, "{:?}", messages(&attrs));
        assert!(attrs.incomplete && attrs.ops.create.is_none());
        Ok(())
    }
}
