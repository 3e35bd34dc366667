//! What an operation answers: JSON decoded into a type, or a file, whole or as it arrives.

use std::io::{self, Read};

use serde::de::DeserializeOwned;

use crate::client::decode;
use crate::error::Error;
use crate::transport::{MAX_RESPONSE_BYTES, Response, StreamedResponse};

/// A type an operation's success answer is read into: any `Deserialize` type from JSON;
/// [`Binary`] for a file read whole; [`Download`] for a file read as it arrives
/// (`GET /v1/quotes/{quote}/pdf`).
pub trait FromResponse: Sized {
    /// Whether the answer is read as it arrives ([`from_stream`](Self::from_stream)) rather
    /// than whole ([`from_response`](Self::from_response)).
    const STREAMED: bool = false;

    /// Reads a 2xx response read whole.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Decode`](crate::ErrorKind::Decode) when the body is not what `Self` reads.
    fn from_response(response: Response) -> Result<Self, Error>;

    /// Reads a 2xx response whose body is still arriving; by default, reads it whole first.
    ///
    /// # Errors
    ///
    /// As [`from_response`](Self::from_response); a body that cannot be read is a
    /// [`Connection`](crate::ErrorKind::Connection) error.
    fn from_stream(response: StreamedResponse) -> Result<Self, Error> {
        Self::from_response(response.read_whole(MAX_RESPONSE_BYTES)?)
    }
}

impl<T: DeserializeOwned> FromResponse for T {
    fn from_response(response: Response) -> Result<Self, Error> {
        decode(&response)
    }
}

/// A binary answer read whole, such as a quote's PDF: the bytes as received (at most 16 MiB), and
/// their content type. For a file of any size, declare [`Download`] instead.
#[derive(Clone, PartialEq, Eq)]
pub struct Binary {
    /// The `Content-Type` the answer came with, such as `application/pdf`.
    pub content_type: Option<String>,
    /// The bytes.
    pub bytes: Vec<u8>,
}

impl FromResponse for Binary {
    fn from_response(response: Response) -> Result<Self, Error> {
        Ok(Binary {
            content_type: response.header("Content-Type").map(str::to_owned),
            bytes: response.body,
        })
    }
}

/// The content type and the size, not the bytes.
impl std::fmt::Debug for Binary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Binary")
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// A binary answer read as it arrives: a [`Read`] over the body, straight from the connection,
/// with no size limit. Declared with `returns = Download`; copy it where it goes:
///
/// ```no_run
/// # fn demo(pdf: resource_core::Download) -> std::io::Result<()> {
/// let mut pdf = pdf;
/// let mut file = std::fs::File::create("quote.pdf")?;
/// std::io::copy(&mut pdf, &mut file)?;
/// # Ok(())
/// # }
/// ```
///
/// The request is retried (when the policy allows) until an answer arrives; once a 2xx answer
/// has started, a failure while reading it is an `io::Error` from `read`, and nothing is sent
/// again.
pub struct Download {
    content_type: Option<String>,
    request_id: Option<String>,
    body: Box<dyn Read + Send>,
}

impl Download {
    /// The `Content-Type` the answer came with, such as `application/pdf`.
    #[must_use]
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The answer's `Request-Id`.
    #[must_use]
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl Read for Download {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.body.read(buf)
    }
}

impl FromResponse for Download {
    const STREAMED: bool = true;

    fn from_response(response: Response) -> Result<Self, Error> {
        Self::from_stream(StreamedResponse::from(response))
    }

    fn from_stream(response: StreamedResponse) -> Result<Self, Error> {
        Ok(Download {
            content_type: response.header("Content-Type").map(str::to_owned),
            request_id: response.header("Request-Id").map(str::to_owned),
            body: response.body,
        })
    }
}

/// The content type and request id, not the body.
impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download")
            .field("content_type", &self.content_type)
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}
