//! Compile errors for calling an operation a declaration does not list.
//!
//! For each operation it does not declare, `#[derive(StripeResource)]` adds a hidden method of
//! that name bounded by one of these traits, which nothing implements: calling it fails with
//! the message below, instead of rustc's "no function `delete`; perhaps you need to implement
//! `Deletable`". Not public API. (`on_unimplemented` takes only literals, hence one trait each,
//! written out.)

/// Never implemented: `create` was not declared.
#[diagnostic::on_unimplemented(
    message = "`{R}` does not declare `create`",
    label = "`create` is not among the operations of `{R}`",
    note = "add `create = CreateParams` to the `#[stripe(...)]` attribute of `{R}`"
)]
pub trait Create<R: ?Sized> {}

/// Never implemented: `retrieve` was not declared.
#[diagnostic::on_unimplemented(
    message = "`{R}` does not declare `retrieve`",
    label = "`retrieve` is not among the operations of `{R}`",
    note = "add `retrieve` to the `#[stripe(...)]` attribute of `{R}`"
)]
pub trait Retrieve<R: ?Sized> {}

/// Never implemented: `update` was not declared.
#[diagnostic::on_unimplemented(
    message = "`{R}` does not declare `update`",
    label = "`update` is not among the operations of `{R}`",
    note = "add `update = UpdateParams` to the `#[stripe(...)]` attribute of `{R}`"
)]
pub trait Update<R: ?Sized> {}

/// Never implemented: `delete` was not declared.
#[diagnostic::on_unimplemented(
    message = "`{R}` does not declare `delete`",
    label = "`delete` is not among the operations of `{R}`",
    note = "add `delete` to the `#[stripe(...)]` attribute of `{R}`"
)]
pub trait Delete<R: ?Sized> {}

/// Never implemented: `list` was not declared.
#[diagnostic::on_unimplemented(
    message = "`{R}` does not declare `list`",
    label = "`list` is not among the operations of `{R}`",
    note = "add `list = ListParams` to the `#[stripe(...)]` attribute of `{R}`"
)]
pub trait List<R: ?Sized> {}

/// Never implemented: `search` was not declared.
#[diagnostic::on_unimplemented(
    message = "`{R}` does not declare `search`",
    label = "`search` is not among the operations of `{R}`",
    note = "add `search` to the `#[stripe(...)]` attribute of `{R}`"
)]
pub trait Search<R: ?Sized> {}
