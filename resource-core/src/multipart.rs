//! `multipart/form-data` bodies, as Stripe's official SDKs send uploads (captured in
//! tests/fixtures/multipart): one part per parameter in declaration order, nested names bracketed
//! (`file_link_data[create]`), arrays indexed, values unescaped, CRLF line ends, files streamed.

use crate::body::Body;
use crate::error::Error;
use crate::form;
use crate::upload;

/// Encodes `params` as a multipart body; returns it with its `Content-Type` (boundary included).
///
/// # Errors
///
/// As [`form::to_pairs`].
pub(crate) fn encode<P: serde::Serialize + ?Sized>(params: &P) -> Result<(Body, String), Error> {
    let (pairs, uploads, which_upload) = upload::collecting(|| form::to_pairs(params));
    let pairs = pairs?;
    let boundary = crate::random::uuid_v4();
    let mut body = Body::empty();
    for (name, value) in &pairs {
        let mut head = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"",
            quote(name)
        );
        match which_upload(value).and_then(|index| uploads.get(index)) {
            Some(file) => {
                head.push_str(&format!(
                    "; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                    quote(file.filename()),
                    one_line(file.mime_type())
                ));
                body.push_bytes(head.into_bytes());
                body.push_source(file.source().clone());
                body.push_bytes(b"\r\n".to_vec());
            }
            None => {
                head.push_str("\r\n\r\n");
                head.push_str(value);
                head.push_str("\r\n");
                body.push_bytes(head.into_bytes());
            }
        }
    }
    body.push_bytes(format!("--{boundary}--\r\n").into_bytes());
    Ok((body, format!("multipart/form-data; boundary={boundary}")))
}

/// A name or filename inside a quoted `Content-Disposition` parameter, as the SDKs write it: `"`
/// as `%22`, line breaks as spaces, everything else (non-ASCII included) as is.
fn quote(text: &str) -> String {
    one_line(text).replace('"', "%22")
}

/// Line breaks (CRLF, CR or LF) as one space each, so no value can start another header.
fn one_line(text: &str) -> String {
    text.replace("\r\n", " ").replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_types_cannot_break_out_of_their_header() {
        assert_eq!(quote("q\"uote\r\nx.pdf"), "q%22uote x.pdf");
        assert_eq!(quote("a\rb\nc"), "a b c");
        assert_eq!(quote("my évidence.png"), "my évidence.png");
        assert_eq!(
            one_line("application/pdf\r\nX-Injected: 1"),
            "application/pdf X-Injected: 1"
        );
    }
}
