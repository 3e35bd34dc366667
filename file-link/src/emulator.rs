//! File Links in [`resource_emulator`] (feature `emulator`): the behaviour the generic rules
//! cannot know, written as the emulator's hooks.
//!
//! - `file` must name a stored file whose purpose allows links, else 400 with `param: file`;
//! - every link gets a `url`; `expired` is computed from `expires_at` against the emulator's
//!   clock, which tests can move forward;
//! - `expires_at` must be in the future; on update `now` expires the link at once and an empty
//!   value removes the expiry; an expired link can no longer be updated;
//! - a file's contents (`GET /v1/files/{id}/contents`, its `url`) are served with the secret
//!   key only, as any API request (401 otherwise); a link's `url` serves them to anyone, until
//!   the link expires (410 then); both as an attachment with the file's name and content type,
//!   and `X-Content-Type-Options: nosniff`;
//! - files are uploaded (`POST /v1/files`, multipart) with a purpose Stripe accepts for uploads,
//!   and `file_link_data[create]=true` creates their link in the same request.

use resource_core::{StripeResource, Upload};
use resource_emulator::{Context, Download, Emulate, Emulator, Object, Rejection, Routes};
use serde_json::{Value, json};

use crate::{CreateFile, File, FileLink, FilePurpose};

/// The purposes a file can be uploaded with (`POST /v1/files` in the API reference).
pub const UPLOADABLE_PURPOSES: &[&str] = &[
    "account_requirement",
    "additional_verification",
    "business_icon",
    "business_logo",
    "customer_signature",
    "dispute_evidence",
    "identity_document",
    "issuing_regulatory_reporting",
    "pci_document",
    "platform_terms_of_service",
    "tax_document_user_upload",
    "terminal_android_apk",
    "terminal_reader_splashscreen",
    "terminal_wifi_certificate",
    "terminal_wifi_private_key",
];

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

/// Uploads `bytes` as `filename` with `purpose`, through the emulator's own upload route (what
/// `--seed-file` does).
///
/// # Errors
///
/// Stripe's errors for the upload, such as a purpose files cannot be uploaded with, or files not
/// registered (see [`register`]).
pub fn add_file(
    emulator: &Emulator,
    purpose: &FilePurpose,
    filename: &str,
    bytes: &[u8],
) -> Result<File, resource_core::Error> {
    let client = emulator.client("sk_test_emulator")?;
    File::create(
        &client,
        &CreateFile::new(
            purpose.clone(),
            Upload::from_bytes(filename, bytes.to_vec()),
        ),
    )
}

/// How many of its links a file shows (a list inside an object: its first page).
const LINKS_SHOWN: usize = 10;

impl Emulate for File {
    fn routes(routes: &mut Routes<Self>) {
        routes.create().retrieve().list();
    }

    fn on_create(
        file: &mut Object,
        params: &Object,
        context: &Context<'_>,
    ) -> Result<(), Rejection> {
        let reference = params
            .get("file")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let upload = context
            .upload(reference)
            .ok_or_else(|| Rejection::parameter_missing("file"))?;
        let purpose = file
            .get("purpose")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !UPLOADABLE_PURPOSES.contains(&purpose) {
            return Err(Rejection::invalid_request(format!(
                "Files cannot be uploaded with purpose `{purpose}`."
            ))
            .param("purpose"));
        }
        let id = file
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let extension = upload
            .filename
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase());
        file.insert("filename".into(), json!(upload.filename));
        file.insert("size".into(), json!(upload.size));
        file.insert("type".into(), json!(extension));
        file.insert(
            "url".into(),
            json!(format!("{}/v1/files/{id}/contents", context.base_url())),
        );
        if let Some(data) = params.get("file_link_data").and_then(Value::as_object) {
            if data.get("create").and_then(Value::as_bool) == Some(true) {
                context.create_later(FileLink::PATH, link_params(&id, data));
            }
        }
        Ok(())
    }

    /// `links`: the file's newest links, as Stripe shows a list inside an object: the first
    /// page of 10, `has_more` when there are others (`GET /v1/file_links?file=` lists them all).
    fn on_show(file: &Object, context: &Context<'_>) -> Object {
        let id = file.get("id").and_then(Value::as_str).unwrap_or_default();
        let all = context.objects_where(FileLink::PATH, "file", id);
        let links: Vec<Value> = all
            .iter()
            .take(LINKS_SHOWN)
            .map(|link| {
                let mut link = (*link).clone();
                link.extend(FileLink::on_show(&link, context));
                Value::Object(link)
            })
            .collect();
        let has_more = all.len() > LINKS_SHOWN;
        let url = format!("{}?file={id}", FileLink::PATH);
        let links = json!({"object": "list", "data": links, "has_more": has_more, "url": url});
        Object::from_iter([("links".to_owned(), links)])
    }

    /// `GET /v1/files/{id}/contents`: the uploaded bytes, with the secret key only (Stripe's
    /// files host asks for it as the API does; only a link's `url` is public).
    fn serve(path: &str, context: &Context<'_>) -> Option<Download> {
        let id = path
            .strip_prefix(File::PATH)?
            .strip_prefix('/')?
            .strip_suffix("/contents")?;
        Some(Download::with_key(
            context
                .find(File::PATH, id)
                .map(|_| id.to_owned())
                .ok_or_else(|| Rejection::no_such("file", id, "id")),
        ))
    }
}

/// The create parameters of the link `file_link_data` asks for.
fn link_params(file: &str, data: &Object) -> Vec<(String, String)> {
    let mut pairs = vec![("file".to_owned(), file.to_owned())];
    if let Some(at) = data.get("expires_at").and_then(Value::as_i64) {
        pairs.push(("expires_at".to_owned(), at.to_string()));
    }
    if let Some(metadata) = data.get("metadata").and_then(Value::as_object) {
        for (key, value) in metadata {
            pairs.push((
                format!("metadata[{key}]"),
                value.as_str().unwrap_or_default().to_owned(),
            ));
        }
    }
    pairs
}

impl Emulate for FileLink {
    fn routes(routes: &mut Routes<Self>) {
        routes.create().retrieve().update().list();
    }

    fn indexed_fields() -> &'static [&'static str] {
        &["file", "url"]
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

    fn on_show(link: &Object, context: &Context<'_>) -> Object {
        let expired = expired(link, context.now());
        Object::from_iter([("expired".to_owned(), json!(expired))])
    }

    /// A link's `url` serves the file to anyone, until the link expires.
    fn serve(path: &str, context: &Context<'_>) -> Option<Download> {
        path.strip_prefix("/links/")?;
        // By its URL (indexed); a link made under another base URL, by the URL's path.
        let url = format!("{}{path}", context.base_url());
        let link = context
            .objects_where(FileLink::PATH, "url", &url)
            .into_iter()
            .next()
            .or_else(|| {
                context.objects(FileLink::PATH).into_iter().find(|link| {
                    link.get("url")
                        .and_then(Value::as_str)
                        .is_some_and(|url| url.ends_with(path))
                })
            });
        Some(Download::public(match link {
            None => Err(Rejection::invalid_request("No such file link.").status(404)),
            Some(link) if expired(link, context.now()) => {
                Err(Rejection::invalid_request("This file link has expired.").status(410))
            }
            Some(link) => Ok(link
                .get("file")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()),
        }))
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
