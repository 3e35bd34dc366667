//! File Links in [`resource_emulator`] (feature `emulator`): the behaviour the generic rules
//! cannot know, written as the emulator's hooks.
//!
//! - `file` must name a stored file whose purpose allows links, else 400 with `param: file`;
//! - every link gets a `url`; `expired` is computed from `expires_at` against the emulator's
//!   clock, which tests can move forward;
//! - `expires_at` must be in the future; on update `now` expires the link at once and an empty
//!   value removes the expiry; an expired link can no longer be updated.

use resource_core::StripeResource;
use resource_emulator::{Context, Emulate, Emulator, Object, Rejection, Routes};
use serde_json::{Value, json};

use crate::{File, FileLink, FilePurpose};

/// The purposes a file must have for links to it (DESIGN section 6, from the API reference).
pub const LINKABLE_PURPOSES: &[&str] = &[
    "business_icon",
    "business_logo",
    "customer_signature",
    "dispute_evidence",
    "finance_report_run",
    "financial_account_statement",
    "identity_document_downloadable",
    "issuing_regulatory_reporting",
    "pci_document",
    "selfie",
    "sigma_scheduled_query",
    "tax_document_user_upload",
    "terminal_android_apk",
    "terminal_reader_splashscreen",
];

/// Serves files (retrieve) and file links (create, retrieve, update, list) on `emulator`.
pub fn register(emulator: &Emulator) {
    emulator.register::<File>().register::<FileLink>();
}

/// Adds a file, as Stripe would describe an upload of `bytes` named `filename`, until uploads
/// exist in the emulator.
///
/// # Errors
///
/// A [`Rejection`] when files are not registered (see [`register`]).
pub fn add_file(
    emulator: &Emulator,
    purpose: &FilePurpose,
    filename: &str,
    bytes: &[u8],
) -> Result<File, Rejection> {
    let extension = filename
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    let fields: Object = [
        ("purpose", json!(purpose.as_str())),
        ("filename", json!(filename)),
        ("size", json!(bytes.len())),
        ("type", json!(extension)),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    emulator.insert::<File>(fields)
}

impl Emulate for File {
    fn routes(routes: &mut Routes<Self>) {
        routes.retrieve();
    }
}

impl Emulate for FileLink {
    fn routes(routes: &mut Routes<Self>) {
        routes.create().retrieve().update().list();
    }

    fn expandable() -> &'static [(&'static str, &'static str)] {
        &[("file", File::PATH)]
    }

    fn on_create(
        link: &mut Object,
        _params: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        let file_id = link.get("file").and_then(Value::as_str).unwrap_or_default();
        let file = context
            .find(File::PATH, file_id)
            .ok_or_else(|| Rejection::no_such("file", file_id, "file").status(400))?;
        let purpose = file
            .get("purpose")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !LINKABLE_PURPOSES.contains(&purpose) {
            return Err(Rejection::invalid_request(format!(
                "Links cannot be created for files with purpose `{purpose}`."
            ))
            .param("file"));
        }
        if let Some(at) = link.get("expires_at").and_then(Value::as_i64) {
            check_future(at, context)?;
        }
        link.insert(
            "url".into(),
            json!(format!(
                "{}/links/{}",
                context.base_url(),
                context.token(40)
            )),
        );
        Ok(())
    }

    fn on_update(
        before: &Object,
        link: &mut Object,
        params: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        if expired(before, context.now()) {
            return Err(Rejection::invalid_request(
                "Expired links can no longer be updated.",
            ));
        }
        match params.get("expires_at") {
            Some(Value::String(now)) if now == "now" => {
                link.insert("expires_at".into(), json!(context.now()));
            }
            Some(at) => {
                if let Some(at) = at.as_i64() {
                    check_future(at, context)?;
                }
            }
            None => {}
        }
        Ok(())
    }

    fn on_show(link: &mut Object, context: &Context<'_>) {
        let expired = expired(link, context.now());
        link.insert("expired".into(), json!(expired));
    }
}

fn expired(link: &Object, now: i64) -> bool {
    link.get("expires_at")
        .and_then(Value::as_i64)
        .is_some_and(|at| at <= now)
}

fn check_future(at: i64, context: &Context<'_>) -> Result<(), Rejection> {
    if at <= context.now() {
        return Err(Rejection::invalid_request(
            "The `expires_at` timestamp must be in the future.",
        )
        .param("expires_at"));
    }
    Ok(())
}
