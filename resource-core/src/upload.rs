//! Files to upload: a filename, a content type, and where the bytes come from.

use std::cell::RefCell;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize, Serializer};

/// A file parameter of a `multipart/form-data` operation (such as `CreateFile::file`).
///
/// The bytes are never copied into the request: they are read from their source while the
/// request is sent. Bytes and paths can be sent again, so such uploads are retried like any
/// request; a reader can be read once, so a request carrying one is never retried.
///
/// ```
/// use resource_core::Upload;
///
/// let in_memory = Upload::from_bytes("evidence.pdf", b"%PDF-1.7 ...".to_vec());
/// let on_disk = Upload::from_path("./receipt.png");
/// let piped = Upload::from_reader("log.csv", std::io::empty()).content_type("text/csv");
/// assert_eq!(in_memory.filename(), "evidence.pdf");
/// # let _ = (on_disk, piped);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Upload {
    filename: String,
    content_type: String,
    source: Source,
}

/// Where an upload's bytes come from. Equality is identity: the same source, not equal bytes.
#[derive(Clone)]
pub(crate) enum Source {
    Bytes(Arc<Vec<u8>>),
    Path(Arc<Path>),
    Reader(Arc<Mutex<Option<Box<dyn Read + Send>>>>),
    /// An upload as a server received it: a reference to bytes the server holds (see
    /// [`Upload::received`]). It has no bytes here and cannot be sent.
    Received(Arc<str>),
}

impl Upload {
    /// Uploads `bytes` (moved, not copied) as `filename`.
    #[must_use]
    pub fn from_bytes(filename: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Upload::new(filename.into(), Source::Bytes(Arc::new(bytes.into())))
    }

    /// Uploads the file at `path`, named after its last component. The file is opened when the
    /// request is sent (and again on a retry).
    #[must_use]
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        let path: PathBuf = path.into();
        let filename = path
            .file_name()
            .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
        Upload::new(filename, Source::Path(Arc::from(path.as_path())))
    }

    /// Uploads whatever `reader` yields, as `filename`. A reader can be read once: a request
    /// carrying it is sent with no retries.
    #[must_use]
    pub fn from_reader(filename: impl Into<String>, reader: impl Read + Send + 'static) -> Self {
        Upload::new(
            filename.into(),
            Source::Reader(Arc::new(Mutex::new(Some(Box::new(reader))))),
        )
    }

    /// An upload a server (such as an emulator) received and stored under `reference`: what a
    /// params type's `Deserialize` reads from a decoded request. It cannot be sent.
    #[must_use]
    pub fn received(reference: impl Into<String>) -> Self {
        Upload::new(String::new(), Source::Received(Arc::from(reference.into())))
    }

    /// The server's reference, for an upload made by [`Upload::received`].
    #[must_use]
    pub fn reference(&self) -> Option<&str> {
        match &self.source {
            Source::Received(reference) => Some(reference),
            _ => None,
        }
    }

    fn new(filename: String, source: Source) -> Self {
        let content_type = content_type_for(&filename).to_owned();
        Upload {
            filename,
            content_type,
            source,
        }
    }

    /// Overrides the content type (by default guessed from the filename's extension).
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// Renames the file as sent.
    #[must_use]
    pub fn filename(&self) -> &str {
        &self.filename
    }

    /// The content type sent for the file.
    #[must_use]
    pub fn mime_type(&self) -> &str {
        &self.content_type
    }

    pub(crate) fn source(&self) -> &Source {
        &self.source
    }
}

impl Source {
    pub(crate) fn len(&self) -> Option<u64> {
        match self {
            Source::Bytes(bytes) => u64::try_from(bytes.len()).ok(),
            Source::Path(path) => std::fs::metadata(path).ok().map(|metadata| metadata.len()),
            Source::Reader(_) | Source::Received(_) => None,
        }
    }

    pub(crate) fn is_replayable(&self) -> bool {
        matches!(self, Source::Bytes(_) | Source::Path(_))
    }

    pub(crate) fn open(&self) -> io::Result<Box<dyn Read + Send + '_>> {
        match self {
            Source::Bytes(bytes) => Ok(Box::new(bytes.as_slice())),
            Source::Path(path) => Ok(Box::new(File::open(path)?)),
            Source::Reader(reader) => {
                let taken = reader.lock().unwrap_or_else(PoisonError::into_inner).take();
                taken.ok_or_else(|| {
                    io::Error::other(
                        "this upload's reader was already sent; a reader can be sent once",
                    )
                })
            }
            Source::Received(_) => Err(io::Error::other("a received upload has no bytes to send")),
        }
    }
}

impl PartialEq for Source {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Source::Bytes(a), Source::Bytes(b)) => Arc::ptr_eq(a, b),
            (Source::Path(a), Source::Path(b)) => Arc::ptr_eq(a, b),
            (Source::Reader(a), Source::Reader(b)) => Arc::ptr_eq(a, b),
            (Source::Received(a), Source::Received(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Source {}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Bytes(bytes) => write!(f, "<{} bytes>", bytes.len()),
            Source::Path(path) => write!(f, "<file {}>", path.display()),
            Source::Reader(_) => f.write_str("<reader>"),
            Source::Received(reference) => write!(f, "<received {reference}>"),
        }
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upload")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("source", &self.source)
            .finish()
    }
}

/// The content type for a filename's extension; `application/octet-stream` when unknown.
fn content_type_for(filename: &str) -> &'static str {
    let extension = filename
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    match extension.as_deref() {
        Some("pdf") => "application/pdf",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("csv") => "text/csv",
        Some("txt") => "text/plain",
        Some("json") => "application/json",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("zip") => "application/zip",
        _ => "application/octet-stream",
    }
}

/// The uploads met while serializing one multipart request on this thread, and the nonce that
/// makes their markers impossible to forge from a parameter's value.
struct Collection {
    nonce: String,
    uploads: Vec<Upload>,
}

thread_local! {
    static COLLECTED: RefCell<Option<Collection>> = const { RefCell::new(None) };
}

/// Runs `encode` (a form serialization) while collecting the uploads it meets. Each upload stands
/// in the pairs as a marker value; returns the result, the uploads, and a function telling which
/// upload (by index) a pair's value stands for.
pub(crate) fn collecting<T>(
    encode: impl FnOnce() -> T,
) -> (T, Vec<Upload>, impl Fn(&str) -> Option<usize>) {
    let nonce = crate::random::uuid_v4();
    COLLECTED.with(|collected| {
        *collected.borrow_mut() = Some(Collection {
            nonce: nonce.clone(),
            uploads: Vec::new(),
        })
    });
    let result = encode();
    let uploads = COLLECTED
        .with(|collected| collected.borrow_mut().take())
        .map(|c| c.uploads)
        .unwrap_or_default();
    let prefix = marker_prefix(&nonce);
    let count = uploads.len();
    let which = move |value: &str| {
        value
            .strip_prefix(prefix.as_str())
            .and_then(|index| index.parse().ok())
            .filter(|index| *index < count)
    };
    (result, uploads, which)
}

fn marker_prefix(nonce: &str) -> String {
    format!("\u{0}upload:{nonce}:")
}

/// An upload serializes only inside a multipart encoding (or as a received reference); in a
/// form-encoded operation it is an error.
impl Serialize for Upload {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let marker = COLLECTED.with(|collected| {
            collected.borrow_mut().as_mut().map(|collection| {
                collection.uploads.push(self.clone());
                format!(
                    "{}{}",
                    marker_prefix(&collection.nonce),
                    collection.uploads.len() - 1
                )
            })
        });
        if let Source::Received(reference) = &self.source {
            return serializer.serialize_str(reference);
        }
        match marker {
            Some(marker) => serializer.serialize_str(&marker),
            None => Err(serde::ser::Error::custom(
                "a file upload can only be sent by an operation declared with `encoding = \"multipart\"`",
            )),
        }
    }
}

/// Reads the reference a server put in place of an uploaded file (see [`Upload::received`]).
impl<'de> Deserialize<'de> for Upload {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Upload::received)
    }
}
