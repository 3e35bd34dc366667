//! Every misuse of `#[derive(StripeResource)]` is one clear compile error at the offending token.
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite` only deliberately, and read the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
}
