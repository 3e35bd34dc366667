//! What an operation answers: JSON decoded into a type, or the bytes of a file.

use serde::de::DeserializeOwned;

use crate::client::decode;
use crate::error::Error;
use crate::transport::Response;

/// A type an operation's success answer is read into: any `Deserialize` type from JSON, or
/// [`Binary`] for an answer that is a file (`GET /v1/quotes/{quote}/pdf`).
pub trait FromResponse: Sized {
    /// Reads a 2xx response.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Decode`](crate::ErrorKind::Decode) when the body is not what `Self` reads.
    fn from_response(response: Response) -> Result<Self, Error>;
}

impl<T: DeserializeOwned> FromResponse for T {
    fn from_response(response: Response) -> Result<Self, Error> {
        decode(&response)
    }
}

/// A binary answer, such as a quote's PDF: the bytes as received, and their content type.
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
