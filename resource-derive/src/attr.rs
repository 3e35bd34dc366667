//! Phase 1: the syntax of `#[stripe(...)]`, spans kept.
//!
//! Reading goes on past a bad entry so that every mistake in an attribute is reported at once:
//! recoverable errors are collected in [`Attrs::errors`] and only a break in the `key = value,`
//! structure itself stops reading the rest of that attribute. Whether a value makes sense (a path
//! that starts with `/v1/`, a lowercase prefix, an action path whose placeholders are known) is
//! for `valid` to say; the values of `host` and `encoding` are keywords, so they are read here
//! against their table, like the keys.

use std::mem;

use proc_macro2::{Delimiter, Spacing, Span, TokenStream, TokenTree};
use syn::meta::ParseNestedMeta;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Attribute, Error, Ident, LitStr, Meta, Token, Type, token};

/// The name of the helper attribute.
pub(crate) const ATTRIBUTE: &str = "stripe";

/// A key of `#[stripe(...)]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Key {
    Object,
    Path,
    Parents,
    Prefix,
    Id,
    Singleton,
    Create,
    Retrieve,
    Update,
    Delete,
    List,
    Search,
    Action,
}

/// How a key is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// `key = "string"`.
    String,
    /// `prefix = "cus"` or `prefix = ["card", "ba"]`.
    Prefixes,
    /// `key` alone.
    Marker,
    /// `key = Type`.
    Type,
    /// `parents(name = Type, ...)`.
    Parents,
    /// An operation: `key`, `key = Type` or `key(settings)`, as [`Params`] says.
    Operation(Params),
}

/// Whether an operation takes a parameters type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Params {
    /// `create = P`: it must be given.
    Required,
    /// `retrieve`, or `retrieve = P` for other query parameters than `expand`.
    Optional,
    /// `action(...)` only: settings, among them an optional `params`.
    NestedOnly,
}

impl Key {
    /// Every key, in the order messages list them.
    pub(crate) const ALL: [Self; 13] = [
        Self::Object,
        Self::Path,
        Self::Parents,
        Self::Prefix,
        Self::Id,
        Self::Singleton,
        Self::Create,
        Self::Retrieve,
        Self::Update,
        Self::Delete,
        Self::List,
        Self::Search,
        Self::Action,
    ];

    /// The keyword: the one place each is spelt, so parsing and messages agree.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Self::Object => "object",
            Self::Path => "path",
            Self::Parents => "parents",
            Self::Prefix => "prefix",
            Self::Id => "id",
            Self::Singleton => "singleton",
            Self::Create => "create",
            Self::Retrieve => "retrieve",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::List => "list",
            Self::Search => "search",
            Self::Action => "action",
        }
    }

    pub(crate) const fn syntax(self) -> Syntax {
        match self {
            Self::Object | Self::Path => Syntax::String,
            Self::Prefix => Syntax::Prefixes,
            Self::Singleton => Syntax::Marker,
            Self::Id => Syntax::Type,
            Self::Parents => Syntax::Parents,
            Self::Create | Self::Update | Self::List => Syntax::Operation(Params::Required),
            Self::Retrieve | Self::Delete | Self::Search => Syntax::Operation(Params::Optional),
            Self::Action => Syntax::Operation(Params::NestedOnly),
        }
    }

    /// Whether the key may be written more than once (each `action` declares another method).
    const fn repeatable(self) -> bool {
        matches!(self, Self::Action)
    }

    /// A sample value for messages.
    const fn sample(self) -> &'static str {
        match self {
            Self::Object => "\"file_link\"",
            Self::Path => "\"/v1/file_links\"",
            Self::Prefix => "\"link\"",
            Self::Id => "SubscriptionId",
            Self::Parents => "(customer = CustomerId)",
            Self::Create => "CreateParams",
            Self::Update => "UpdateParams",
            Self::List => "ListParams",
            Self::Retrieve => "RetrieveParams",
            Self::Delete => "DeleteParams",
            Self::Search => "SearchParams",
            Self::Action => "(confirm, post = \"{id}/confirm\", params = ConfirmParams)",
            Self::Singleton => "",
        }
    }

    /// How the key is written, for messages: `path = "/v1/file_links"`, `retrieve`.
    pub(crate) fn usage(self) -> String {
        match self.syntax() {
            Syntax::Marker | Syntax::Operation(Params::Optional) => self.name().to_owned(),
            Syntax::Parents | Syntax::Operation(Params::NestedOnly) => {
                format!("{}{}", self.name(), self.sample())
            }
            Syntax::String
            | Syntax::Prefixes
            | Syntax::Type
            | Syntax::Operation(Params::Required) => {
                format!("{} = {}", self.name(), self.sample())
            }
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

/// A setting inside an operation's parentheses:
/// `create(params = .., returns = .., host = .., encoding = ..)`,
/// `action(name, post = "..", params = .., returns = .. | list = .., host = .., encoding = ..)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Setting {
    Get,
    Post,
    Delete,
    Params,
    Returns,
    List,
    Host,
    Encoding,
}

impl Setting {
    /// Every setting, in the order messages list them.
    pub(crate) const ALL: [Self; 8] = [
        Self::Get,
        Self::Post,
        Self::Delete,
        Self::Params,
        Self::Returns,
        Self::List,
        Self::Host,
        Self::Encoding,
    ];

    /// The keyword, spelt here only.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Self::Get => "get",
            Self::Post => "post",
            Self::Delete => "delete",
            Self::Params => "params",
            Self::Returns => "returns",
            Self::List => "list",
            Self::Host => "host",
            Self::Encoding => "encoding",
        }
    }

    /// Whether `op(...)` takes this setting: `params` and `host` everywhere, `encoding` where a
    /// body may be sent, `returns` where the answer is one object, the method and `list` on
    /// actions only.
    pub(crate) const fn applies_to(self, op: Key) -> bool {
        match self {
            Self::Params | Self::Host => matches!(op.syntax(), Syntax::Operation(_)),
            Self::Encoding => matches!(op, Key::Create | Key::Update | Key::Action),
            Self::Returns => matches!(
                op,
                Key::Create | Key::Retrieve | Key::Update | Key::Delete | Key::Action
            ),
            Self::Get | Self::Post | Self::Delete | Self::List => matches!(op, Key::Action),
        }
    }

    /// The HTTP method a setting names, for `get`, `post` and `delete`.
    const fn method(self) -> Option<HttpMethod> {
        match self {
            Self::Get => Some(HttpMethod::Get),
            Self::Post => Some(HttpMethod::Post),
            Self::Delete => Some(HttpMethod::Delete),
            _ => None,
        }
    }

    /// How the setting is written inside `op(...)`, for messages: `params = CreateParams`.
    fn usage(self, op: Key) -> String {
        match self {
            Self::Get => "get = \"upcoming\"".to_owned(),
            Self::Post => "post = \"{id}/confirm\"".to_owned(),
            Self::Delete => "delete = \"{id}\"".to_owned(),
            Self::Params => match op {
                Key::Action => "params = ConfirmParams".to_owned(),
                _ => format!("params = {}", op.sample()),
            },
            Self::Returns => "returns = Invoice".to_owned(),
            Self::List => "list = LineItem".to_owned(),
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

/// The HTTP method of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HttpMethod {
    Get,
    Post,
    Delete,
}

impl HttpMethod {
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Delete => "DELETE",
        }
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

/// `encoding = "..."`: how an operation sends its parameters in a `POST` body.
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
    /// `parents(name = Type, ...)`, in the order written.
    pub(crate) parents: Vec<Parent>,
    /// The prefixes of `prefix = ".."` or `prefix = [..]`, with the whole value's tokens.
    pub(crate) prefix: Option<Prefixes>,
    /// The `singleton` keyword, when written.
    pub(crate) singleton: Option<Ident>,
    /// `id = SubscriptionId`: another declaration's id type, when written.
    pub(crate) id_type: Option<Type>,
    /// The operations, in the order written. An operation whose declaration did not parse is
    /// absent; one whose parameters type is optional is present once named, whatever its
    /// mistakes.
    pub(crate) ops: Vec<Op>,
    /// Some entry was unreadable or unknown: a key that looks missing may be the one that was
    /// misspelt, so `valid` does not report missing keys on top.
    pub(crate) incomplete: bool,
    pub(crate) errors: Vec<Error>,
    /// Set when tokens after a value were reported (most likely a missing `,`): the caller
    /// decides what that makes incomplete, the attribute or one operation's settings.
    swallowed: bool,
}

/// One parent of a nested resource: `customer = CustomerId`.
pub(crate) struct Parent {
    pub(crate) name: Ident,
    pub(crate) ty: Type,
}

/// `prefix = "cus"` or `prefix = ["card", "ba", "src"]`.
pub(crate) struct Prefixes {
    pub(crate) values: Vec<LitStr>,
    /// The value as written, for errors about the whole of it.
    pub(crate) tokens: TokenStream,
}

/// One declared operation, as written.
pub(crate) struct Op {
    pub(crate) key: Key,
    /// The keyword, for errors about the whole operation.
    pub(crate) keyword: Ident,
    /// An action's name: the method it generates.
    pub(crate) name: Option<Ident>,
    /// An action's `get = ".."`, `post = ".."` or `delete = ".."`.
    pub(crate) route: Option<(HttpMethod, Ident, LitStr)>,
    pub(crate) params: Option<Type>,
    pub(crate) answer: Option<Answer>,
    pub(crate) settings: Settings,
}

/// What an operation answers, when written.
pub(crate) enum Answer {
    /// `returns = T`: one `T`.
    Returns(Type),
    /// `list = T`: a page of `T`s, and a paginator.
    List(Type),
}

/// The settings written in an operation's parentheses; `None` where it keeps the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Settings {
    pub(crate) host: Option<Host>,
    pub(crate) encoding: Option<Encoding>,
}

/// What one `op(...)` declares while it is read.
#[derive(Default)]
struct Nested {
    name: Option<Ident>,
    route: Option<(HttpMethod, Ident, LitStr)>,
    params: Option<Type>,
    answer: Option<Answer>,
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
                    "expected it inside an operation, like `{}`",
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

        let first = self.declared.iter().find(|(seen, _)| *seen == key);
        if let (Some((_, first)), false) = (first, key.repeatable()) {
            let name = key.name();
            let (message, note) = match key.syntax() {
                Syntax::Operation(_) => (
                    format!("operation `{name}` is listed twice; expected it once"),
                    format!("`{name}` first listed here"),
                ),
                _ => (
                    format!("duplicate {ATTRIBUTE} attribute `{name}`; expected it once"),
                    format!("`{name}` first defined here"),
                ),
            };
            let first = first.span();
            self.clash(keyword.span(), message, first, note);
            return skip_value(meta.input);
        }
        self.declared.push((key, keyword.clone()));

        let (name, usage) = (key.name(), key.usage());
        match key.syntax() {
            Syntax::String if key == Key::Object => {
                self.object = self.string(meta, name, &usage)?
            }
            Syntax::String => self.path = self.string(meta, name, &usage)?,
            Syntax::Prefixes => self.prefix = self.prefixes(meta)?,
            Syntax::Marker => self.singleton = self.marker(meta, keyword)?,
            Syntax::Type => {
                let needs = format!("`{name}` needs a type: `{usage}`");
                self.id_type = self.params_type(meta, &usage, needs)?;
            }
            Syntax::Parents => self.parents(meta)?,
            Syntax::Operation(params) => {
                if let Some(op) = self.operation(meta, key, keyword, params)? {
                    self.ops.push(op);
                }
            }
        }
        // Whatever was swallowed after a value may include keys that now look missing.
        self.incomplete |= mem::take(&mut self.swallowed);
        Ok(())
    }

    /// An error at `at`, and a note at `first`, the entry it clashes with.
    fn clash(&mut self, at: Span, message: String, first: Span, note: String) {
        self.errors.push(Error::new(at, message));
        self.errors.push(Error::new(first, note));
    }

    /// `name = "string"`; `usage` shows the whole entry in messages.
    fn string(
        &mut self,
        meta: &ParseNestedMeta,
        name: &str,
        usage: &str,
    ) -> syn::Result<Option<LitStr>> {
        let Some(value) = self.value_tokens(meta, name, usage, "a string literal")? else {
            return Ok(None);
        };
        match self.value::<LitStr>(value.clone(), name) {
            Some(lit) => Ok(self.unsuffixed(lit, usage)),
            None => {
                self.errors.push(Error::new_spanned(
                    value,
                    format!("expected a string literal: `{usage}`"),
                ));
                Ok(None)
            }
        }
    }

    /// The tokens after `name =`, or `None` with the error reported when there are none.
    fn value_tokens(
        &mut self,
        meta: &ParseNestedMeta,
        name: &str,
        usage: &str,
        what: &str,
    ) -> syn::Result<Option<TokenStream>> {
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
                format!("expected {what} after `=`: `{usage}`"),
            ));
            return Ok(None);
        }
        Ok(Some(value))
    }

    /// `lit` unless it has a suffix (`"cus"u8`), which is reported.
    fn unsuffixed(&mut self, lit: LitStr, usage: &str) -> Option<LitStr> {
        if lit.suffix().is_empty() {
            return Some(lit);
        }
        self.errors.push(Error::new(
            lit.span(),
            format!(
                "unexpected suffix `{}` on a string literal; expected `{usage}`",
                lit.suffix(),
            ),
        ));
        None
    }

    /// `prefix = "cus"` or `prefix = ["card", "ba", "src"]`.
    fn prefixes(&mut self, meta: &ParseNestedMeta) -> syn::Result<Option<Prefixes>> {
        const USAGE: &str = "prefix = \"cus\"` or `prefix = [\"card\", \"ba\"]";
        let name = Key::Prefix.name();
        let Some(value) = self.value_tokens(meta, name, USAGE, "a string literal")? else {
            return Ok(None);
        };
        let list = |input: ParseStream| {
            let content;
            syn::bracketed!(content in input);
            Punctuated::<LitStr, Token![,]>::parse_terminated(&content)
        };
        let values: Option<Vec<LitStr>> = match self.value::<LitStr>(value.clone(), name) {
            Some(lit) => Some(vec![lit]),
            None => Parser::parse2(list, value.clone())
                .ok()
                .map(|lits| lits.into_iter().collect()),
        };
        let Some(values) = values else {
            self.errors.push(Error::new_spanned(
                &value,
                format!("expected a string literal or a list of them: `{USAGE}`"),
            ));
            return Ok(None);
        };
        let mut checked = Vec::with_capacity(values.len());
        for lit in values {
            checked.extend(self.unsuffixed(lit, USAGE));
        }
        Ok(Some(Prefixes {
            values: checked,
            tokens: value,
        }))
    }

    /// A key written alone, such as `singleton`.
    fn marker(&mut self, meta: &ParseNestedMeta, keyword: Ident) -> syn::Result<Option<Ident>> {
        if meta.input.peek(Token![=]) || meta.input.peek(token::Paren) {
            let name = keyword.to_string();
            let start = meta.input.span();
            skip_value(meta.input)?;
            self.errors.push(Error::new(
                start,
                format!("`{name}` takes no value; expected `{name}` alone"),
            ));
        }
        Ok(Some(keyword))
    }

    /// `parents(customer = CustomerId, ...)`.
    fn parents(&mut self, meta: &ParseNestedMeta) -> syn::Result<()> {
        let usage = Key::Parents.usage();
        if !meta.input.peek(token::Paren) {
            skip_value(meta.input)?;
            self.errors.push(meta.error(format!(
                "expected `{usage}`: each placeholder of `path` with its id type"
            )));
            return Ok(());
        }
        meta.parse_nested_meta(|parent| {
            let Some(name) = parent.path.get_ident().cloned() else {
                self.errors.push(Error::new_spanned(
                    &parent.path,
                    format!("expected a placeholder name of `path`, like `{usage}`"),
                ));
                return skip_value(parent.input);
            };
            if let Some(first) = self.parents.iter().find(|seen| seen.name == name) {
                let first = first.name.span();
                self.clash(
                    name.span(),
                    format!("duplicate parent `{name}`; expected it once"),
                    first,
                    format!("`{name}` first defined here"),
                );
                return skip_value(parent.input);
            }
            let needs = format!("`{name}` needs its id type: `{name} = CustomerId`");
            let written = format!("{name} = CustomerId");
            if let Some(ty) = self.params_type(&parent, &written, needs)? {
                self.parents.push(Parent { name, ty });
            }
            Ok(())
        })
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

    /// An operation: `key`, `key = Type` or `key(...)`, as `params` allows.
    fn operation(
        &mut self,
        meta: &ParseNestedMeta,
        key: Key,
        keyword: Ident,
        params: Params,
    ) -> syn::Result<Option<Op>> {
        let name = key.name();
        let mut op = Op {
            key,
            keyword,
            name: None,
            route: None,
            params: None,
            answer: None,
            settings: Settings::default(),
        };
        if meta.input.peek(token::Paren) {
            let nested = self.nested(meta, key)?;
            let complete = !nested.incomplete;
            op.name = nested.name;
            op.route = nested.route;
            op.params = nested.params;
            op.answer = nested.answer;
            op.settings = nested.settings;
            let params_written = nested
                .declared
                .iter()
                .any(|(setting, _)| *setting == Setting::Params);
            if params == Params::Required && op.params.is_none() {
                if !params_written && complete {
                    self.errors.push(Error::new_spanned(
                        &meta.path,
                        format!(
                            "`{name}(...)` needs its parameters type: `{}`",
                            Setting::Params.usage(key)
                        ),
                    ));
                }
                return Ok(None);
            }
            if params == Params::NestedOnly {
                return Ok(self.complete_action(meta, op, complete));
            }
            return Ok(Some(op));
        }
        match params {
            Params::Required => {
                let needs = format!("`{name}` needs its parameters type: `{}`", key.usage());
                op.params = self.params_type(meta, &key.usage(), needs)?;
                Ok(op.params.is_some().then_some(op))
            }
            Params::Optional if meta.input.peek(Token![=]) => {
                let usage = format!("{name} = {}", key.sample());
                let needs = format!("expected a type after `=`: `{usage}`, or `{name}` alone");
                op.params = self.params_type(meta, &usage, needs)?;
                Ok(Some(op))
            }
            Params::Optional => Ok(Some(op)),
            Params::NestedOnly => {
                skip_value(meta.input)?;
                self.errors.push(meta.error(format!(
                    "`{name}` needs its name and route in parentheses; expected `{}`",
                    key.usage()
                )));
                Ok(None)
            }
        }
    }

    /// An action needs its name and its route; without them there is no method to declare.
    fn complete_action(&mut self, meta: &ParseNestedMeta, op: Op, complete: bool) -> Option<Op> {
        let usage = Key::Action.usage();
        if op.name.is_none() {
            self.errors.push(Error::new_spanned(
                &meta.path,
                format!("`action(...)` needs the method's name first: `{usage}`"),
            ));
            return None;
        }
        if op.route.is_none() {
            if complete {
                self.errors.push(Error::new_spanned(
                    &meta.path,
                    format!(
                        "`action(...)` needs its HTTP method and path: `get = \"..\"`, \
                         `post = \"..\"` or `delete = \"..\"`, like `{usage}`"
                    ),
                ));
            }
            return None;
        }
        Some(op)
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

    /// One `setting = value` inside `op(...)`, or an action's name. Returns `Err` only when the
    /// rest of the attribute cannot be read, like [`Attrs::parse_entry`].
    fn setting(&mut self, meta: &ParseNestedMeta, op: Key, nested: &mut Nested) -> syn::Result<()> {
        let bare = !(meta.input.peek(Token![=]) || meta.input.peek(token::Paren));
        if op == Key::Action && bare && nested.name.is_none() && nested.declared.is_empty() {
            // The first entry of `action(...)`, written alone: the method's name.
            if let Some(name) = meta.path.get_ident() {
                nested.name = Some(name.clone());
                return Ok(());
            }
        }
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
                    "`{name}` applies only to {}; expected {} in `{}(...)`",
                    listing(&ops, " and "),
                    listing(&takes, " or "),
                    op.name(),
                ),
            ));
            return skip_value(meta.input);
        }

        if let Some((_, first)) = nested.declared.iter().find(|(seen, _)| *seen == setting) {
            let first = first.span();
            self.clash(
                keyword.span(),
                format!(
                    "duplicate `{name}` in `{}(...)`; expected it once",
                    op.name()
                ),
                first,
                format!("`{name}` first defined here"),
            );
            return skip_value(meta.input);
        }
        // One route and one answer: `post` beside `get`, `list` beside `returns`.
        let rival = |other: Setting| {
            other != setting
                && (other.method().is_some() && setting.method().is_some()
                    || matches!(
                        (other, setting),
                        (Setting::Returns, Setting::List) | (Setting::List, Setting::Returns)
                    ))
        };
        if let Some((other, first)) = nested.declared.iter().find(|(other, _)| rival(*other)) {
            let (other, first) = (other.name(), first.span());
            self.clash(
                keyword.span(),
                format!(
                    "`{name}` and `{other}` cannot both be given in `{}(...)`; expected one of them",
                    op.name()
                ),
                first,
                format!("`{other}` given here"),
            );
            return skip_value(meta.input);
        }
        nested.declared.push((setting, keyword.clone()));

        let usage = setting.usage(op);
        match setting {
            Setting::Get | Setting::Post | Setting::Delete => {
                let method = setting.method();
                let route = self.string(meta, name, &usage)?;
                nested.route = method
                    .zip(route)
                    .map(|(method, lit)| (method, keyword, lit));
            }
            Setting::Params | Setting::Returns | Setting::List => {
                let needs = format!("`{name}` needs a value; expected `{usage}`");
                let ty = self.params_type(meta, &usage, needs)?;
                match setting {
                    Setting::Returns => nested.answer = ty.map(Answer::Returns),
                    Setting::List => nested.answer = ty.map(Answer::List),
                    _ => nested.params = ty,
                }
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

/// An example operation that shows `setting` in place: `create(params = CreateParams, host =
/// "files")`, or an action for the settings only actions take.
fn example_settings(setting: Setting) -> String {
    let params = Setting::Params.usage(Key::Create);
    match setting {
        Setting::Params => format!("create({params})"),
        Setting::Host | Setting::Encoding | Setting::Returns => {
            format!("create({params}, {})", setting.usage(Key::Create))
        }
        Setting::Get | Setting::Post | Setting::Delete | Setting::List => {
            format!("action(name, {})", setting.usage(Key::Action))
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
    use quote::ToTokens;

    use super::*;

    fn parse(tokens: TokenStream) -> syn::Result<Attrs<'static>> {
        let attrs: Vec<Attribute> = Parser::parse2(Attribute::parse_outer, tokens)?;
        let attrs: &'static [Attribute] = Vec::leak(attrs);
        Ok(get(attrs))
    }

    fn messages(attrs: &Attrs) -> Vec<String> {
        attrs.errors.iter().map(ToString::to_string).collect()
    }

    fn op<'a>(attrs: &'a Attrs, key: Key) -> Option<&'a Op> {
        attrs.ops.iter().find(|op| op.key == key)
    }

    fn text(ty: Option<&Type>) -> Option<String> {
        ty.map(|ty| ty.to_token_stream().to_string())
    }

    #[test]
    fn keywords_are_listed_once_each() {
        let mut names: Vec<&str> = Key::ALL.iter().map(|key| key.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Key::ALL.len());
        for key in Key::ALL {
            let ident = Ident::new(key.name(), Span::call_site());
            assert_eq!(Key::from_ident(&ident), Some(key));
        }
        let mut names: Vec<&str> = Setting::ALL.iter().map(|s| s.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Setting::ALL.len());
    }

    #[test]
    fn expected_list_names_every_key_in_order() {
        assert_eq!(
            Key::expected_list(),
            "`object`, `path`, `parents`, `prefix`, `id`, `singleton`, `create`, `retrieve`, \
             `update`, `delete`, `list`, `search`, `action`"
        );
    }

    #[test]
    fn reads_every_key_across_attributes() -> syn::Result<()> {
        let attrs = parse(quote::quote! {
            #[stripe(object = "file_link", path = "/v1/file_links", prefix = "link")]
            #[doc = "not ours"]
            #[stripe(create = CreateFileLink, retrieve, update = a::Update<'static, u8>, delete, list = List<A, B>, search,)]
        })?;
        assert!(attrs.errors.is_empty(), "{:?}", messages(&attrs));
        assert_eq!(
            attrs.object.as_ref().map(LitStr::value).as_deref(),
            Some("file_link")
        );
        assert_eq!(
            attrs.path.as_ref().map(LitStr::value).as_deref(),
            Some("/v1/file_links")
        );
        let prefixes: Vec<String> = attrs
            .prefix
            .iter()
            .flat_map(|p| &p.values)
            .map(LitStr::value)
            .collect();
        assert_eq!(prefixes, ["link"]);
        let keys: Vec<Key> = attrs.ops.iter().map(|op| op.key).collect();
        assert_eq!(
            keys,
            [
                Key::Create,
                Key::Retrieve,
                Key::Update,
                Key::Delete,
                Key::List,
                Key::Search
            ]
        );
        let list = op(&attrs, Key::List).and_then(|op| op.params.as_ref());
        assert_eq!(text(list).as_deref(), Some("List < A , B >"));
        assert!(op(&attrs, Key::Retrieve).is_some_and(|op| op.params.is_none()));
        assert!(!attrs.incomplete);
        Ok(())
    }

    #[test]
    fn reads_parents_prefixes_singletons_and_optional_params() -> syn::Result<()> {
        let attrs = parse(quote::quote! {
            #[stripe(
                path = "/v1/customers/{customer}/sources",
                parents(customer = CustomerId, account = self::AccountId,),
                prefix = ["card", "ba", "src"],
                retrieve = RetrieveSource,
                delete(params = DeleteSource, returns = Source),
                search = SearchSources,
            )]
        })?;
        assert!(attrs.errors.is_empty(), "{:?}", messages(&attrs));
        let parents: Vec<(String, String)> = attrs
            .parents
            .iter()
            .map(|p| (p.name.to_string(), p.ty.to_token_stream().to_string()))
            .collect();
        assert_eq!(
            parents,
            [
                ("customer".to_owned(), "CustomerId".to_owned()),
                ("account".to_owned(), "self :: AccountId".to_owned())
            ]
        );
        let prefixes: Vec<String> = attrs
            .prefix
            .iter()
            .flat_map(|p| &p.values)
            .map(LitStr::value)
            .collect();
        assert_eq!(prefixes, ["card", "ba", "src"]);
        let retrieve = op(&attrs, Key::Retrieve).and_then(|op| op.params.as_ref());
        assert_eq!(text(retrieve).as_deref(), Some("RetrieveSource"));
        let delete = op(&attrs, Key::Delete);
        assert_eq!(
            text(delete.and_then(|op| op.params.as_ref())).as_deref(),
            Some("DeleteSource")
        );
        assert!(matches!(
            delete.and_then(|op| op.answer.as_ref()),
            Some(Answer::Returns(_))
        ));
        let search = op(&attrs, Key::Search).and_then(|op| op.params.as_ref());
        assert_eq!(text(search).as_deref(), Some("SearchSources"));

        let attrs = parse(
            quote::quote! { #[stripe(path = "/v1/balance", singleton, retrieve, prefix = "")] },
        )?;
        assert!(attrs.errors.is_empty(), "{:?}", messages(&attrs));
        assert!(attrs.singleton.is_some());
        let prefixes: Vec<String> = attrs
            .prefix
            .iter()
            .flat_map(|p| &p.values)
            .map(LitStr::value)
            .collect();
        assert_eq!(prefixes, [""]);
        Ok(())
    }

    #[test]
    fn reads_actions() -> syn::Result<()> {
        let attrs = parse(quote::quote! {
            #[stripe(
                action(confirm, post = "{id}/confirm", params = ConfirmParams),
                action(pdf, get = "{id}/pdf", returns = resource_core::Binary, host = "files"),
                action(lines, get = "upcoming/lines", list = LineItem),
                action(cancel, delete = "{id}", params = CancelParams, returns = Self),
            )]
        })?;
        assert!(attrs.errors.is_empty(), "{:?}", messages(&attrs));
        let actions: Vec<(String, HttpMethod, String)> = attrs
            .ops
            .iter()
            .filter_map(|op| {
                let (method, _, route) = op.route.as_ref()?;
                Some((op.name.as_ref()?.to_string(), *method, route.value()))
            })
            .collect();
        assert_eq!(
            actions,
            [
                (
                    "confirm".to_owned(),
                    HttpMethod::Post,
                    "{id}/confirm".to_owned()
                ),
                ("pdf".to_owned(), HttpMethod::Get, "{id}/pdf".to_owned()),
                (
                    "lines".to_owned(),
                    HttpMethod::Get,
                    "upcoming/lines".to_owned()
                ),
                ("cancel".to_owned(), HttpMethod::Delete, "{id}".to_owned()),
            ]
        );
        assert_eq!(attrs.ops[1].settings.host, Some(Host::Files));
        assert!(matches!(attrs.ops[2].answer, Some(Answer::List(_))));
        assert!(attrs.ops[2].params.is_none());
        Ok(())
    }

    #[test]
    fn keeps_reading_after_mistakes() -> syn::Result<()> {
        let attrs = parse(quote::quote! {
            #[stripe(object = 5, pth = "/v1/x", singleton = X, create, prefix = "link", delete)]
        })?;
        assert_eq!(
            messages(&attrs),
            [
                "expected a string literal: `object = \"file_link\"`",
                "unknown stripe attribute `pth`; expected one of `object`, `path`, `parents`, \
                 `prefix`, `id`, `singleton`, `create`, `retrieve`, `update`, `delete`, `list`, \
                 `search`, `action`",
                "`singleton` takes no value; expected `singleton` alone",
                "`create` needs its parameters type: `create = CreateParams`",
            ]
        );
        assert!(attrs.prefix.is_some() && op(&attrs, Key::Delete).is_some());
        assert!(attrs.singleton.is_some());
        assert!(attrs.incomplete);
        Ok(())
    }

    #[test]
    fn duplicates_point_at_both_but_actions_repeat() -> syn::Result<()> {
        let attrs = parse(quote::quote! {
            #[stripe(path = "/v1/a", retrieve, action(a, get = "a"), parents(x = X, x = Y))]
            #[stripe(path = "/v1/b", retrieve, action(b, get = "b"))]
        })?;
        assert_eq!(
            messages(&attrs),
            [
                "duplicate parent `x`; expected it once",
                "`x` first defined here",
                "duplicate stripe attribute `path`; expected it once",
                "`path` first defined here",
                "operation `retrieve` is listed twice; expected it once",
                "`retrieve` first listed here",
            ]
        );
        assert_eq!(
            attrs.path.as_ref().map(LitStr::value).as_deref(),
            Some("/v1/a")
        );
        assert_eq!(
            attrs.ops.iter().filter(|op| op.key == Key::Action).count(),
            2
        );
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
        assert_eq!(
            attrs.object.as_ref().map(LitStr::value).as_deref(),
            Some("a")
        );
        let attrs = parse(quote::quote! { #[stripe(create = A retrieve)] })?;
        assert_eq!(
            messages(&attrs),
            ["expected `,` after the value of `create`"]
        );
        assert!(op(&attrs, Key::Create).is_some());
        let attrs = parse(quote::quote! { #[stripe] })?;
        assert!(attrs.incomplete);
        Ok(())
    }

    #[test]
    fn settings_apply_where_documented() {
        let takes =
            |key: Key| -> Vec<&str> { key.settings().into_iter().map(Setting::name).collect() };
        assert_eq!(
            takes(Key::Create),
            ["params", "returns", "host", "encoding"]
        );
        assert_eq!(
            takes(Key::Update),
            ["params", "returns", "host", "encoding"]
        );
        assert_eq!(takes(Key::List), ["params", "host"]);
        assert_eq!(takes(Key::Search), ["params", "host"]);
        assert_eq!(takes(Key::Retrieve), ["params", "returns", "host"]);
        assert_eq!(takes(Key::Delete), ["params", "returns", "host"]);
        assert_eq!(
            takes(Key::Action),
            [
                "get", "post", "delete", "params", "returns", "list", "host", "encoding"
            ]
        );
        for key in [
            Key::Object,
            Key::Path,
            Key::Prefix,
            Key::Parents,
            Key::Singleton,
        ] {
            assert!(takes(key).is_empty(), "{key:?}");
        }
        let hosts: Vec<&str> = Host::ALL.iter().map(|host| host.name()).collect();
        let encodings: Vec<&str> = Encoding::ALL.iter().map(|e| e.name()).collect();
        assert_eq!(hosts.join(" "), "api files");
        assert_eq!(encodings.join(" "), "form multipart");
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
        let settings = |key| op(&attrs, key).map(|op| op.settings);
        let files = Some(Host::Files);
        assert_eq!(
            settings(Key::Create),
            Some(Settings {
                host: files,
                encoding: Some(Encoding::Multipart)
            })
        );
        assert_eq!(
            settings(Key::Retrieve).and_then(|s| s.host),
            Some(Host::Api)
        );
        assert_eq!(
            settings(Key::Update).and_then(|s| s.encoding),
            Some(Encoding::Form)
        );
        assert_eq!(settings(Key::Delete), Some(Settings::default()));
        assert_eq!(settings(Key::List).and_then(|s| s.host), files);
        let list = op(&attrs, Key::List).and_then(|op| op.params.as_ref());
        assert_eq!(text(list).as_deref(), Some("List < A , B >"));
        assert!(!attrs.incomplete);
        Ok(())
    }

    #[test]
    fn reports_nested_mistakes_and_reads_on() -> syn::Result<()> {
        let attrs = parse(quote::quote! {
            #[stripe(
                create(params = CreateFile, hots = "files", host = "filez"),
                update(params = U, encoding = multipart, encoding = "form"),
                retrieve(list = P, encoding = "form", host = "files"),
                list(host = "files"),
                delete(host),
                prefix = "file",
            )]
        })?;
        assert_eq!(
            messages(&attrs),
            [
                "unknown key `hots` in `create(...)`; expected one of `params`, `returns`, \
                 `host`, `encoding`",
                "`host` must be `\"api\"` or `\"files\"`; found \"filez\"",
                "expected a string literal: `encoding = \"multipart\"`",
                "duplicate `encoding` in `update(...)`; expected it once",
                "`encoding` first defined here",
                "`list` applies only to `action`; expected `params`, `returns` or `host` in \
                 `retrieve(...)`",
                "`encoding` applies only to `create`, `update` and `action`; expected \
                 `params`, `returns` or `host` in `retrieve(...)`",
                "`list(...)` needs its parameters type: `params = ListParams`",
                "`host` needs a value; expected `host = \"files\"`",
            ]
        );
        // The operations whose parameters type parsed are declared, for the fallback.
        assert!(op(&attrs, Key::Create).is_some() && op(&attrs, Key::Update).is_some());
        assert!(op(&attrs, Key::List).is_none());
        assert_eq!(
            op(&attrs, Key::Retrieve).and_then(|op| op.settings.host),
            Some(Host::Files)
        );
        assert!(op(&attrs, Key::Delete).is_some() && attrs.prefix.is_some());
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
                "unknown key `parms` in `create(...)`; expected one of `params`, `returns`, \
                 `host`, `encoding`",
                "expected a type: `params = UpdateParams`",
            ]
        );
        let attrs =
            parse(quote::quote! { #[stripe(create(host = "files" params = P), retrieve)] })?;
        assert_eq!(messages(&attrs), ["expected `,` after the value of `host`"]);
        assert!(op(&attrs, Key::Retrieve).is_some() && !attrs.incomplete);
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
            op(&attrs, Key::Create).map(|op| op.settings),
            Some(Settings::default())
        );
        Ok(())
    }

    #[test]
    fn a_setting_outside_an_operation_says_where_it_goes() -> syn::Result<()> {
        let attrs = parse(
            quote::quote! { #[stripe(create = P, host = "files", encoding = "multipart", post = "x")] },
        )?;
        assert_eq!(
            messages(&attrs),
            [
                "unknown stripe attribute `host`; expected it inside an operation, like \
                 `create(params = CreateParams, host = \"files\")`",
                "unknown stripe attribute `encoding`; expected it inside an operation, like \
                 `create(params = CreateParams, encoding = \"multipart\")`",
                "unknown stripe attribute `post`; expected it inside an operation, like \
                 `action(name, post = \"{id}/confirm\")`",
            ]
        );
        Ok(())
    }

    #[test]
    fn a_broken_nested_attribute_stops_reading() -> syn::Result<()> {
        let attrs = parse(quote::quote! { #[stripe(create(params = P, "files"), retrieve)] })?;
        assert_eq!(attrs.errors.len(), 1, "{:?}", messages(&attrs));
        assert!(attrs.incomplete && op(&attrs, Key::Create).is_none());
        Ok(())
    }
}
