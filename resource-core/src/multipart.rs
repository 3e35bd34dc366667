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

    /// The file is read from its source while sending: the body holds only the part headers.
    #[test]
    fn a_file_is_streamed_not_copied_into_the_body() {
        #[derive(serde::Serialize)]
        struct Params {
            purpose: &'static str,
            file: crate::Upload,
        }
        let path =
            std::env::temp_dir().join(format!("multipart-stream-{}.bin", std::process::id()));
        std::fs::write(&path, vec![7u8; 1 << 20]).unwrap();
        let (body, content_type) = encode(&Params {
            purpose: "dispute_evidence",
            file: crate::Upload::from_path(&path),
        })
        .unwrap();
        assert!(content_type.starts_with("multipart/form-data; boundary="));
        assert_eq!(body.as_bytes(), None, "not one in-memory buffer");
        let total = body.len().unwrap();
        assert!(total > 1 << 20 && total < (1 << 20) + 512, "{total}");
        let mut streamed = Vec::new();
        std::io::Read::read_to_end(&mut body.reader().unwrap(), &mut streamed).unwrap();
        assert_eq!(streamed.len() as u64, total);
        assert!(body.is_replayable(), "a path is opened again on a retry");
        let mut again = Vec::new();
        std::io::Read::read_to_end(&mut body.reader().unwrap(), &mut again).unwrap();
        assert_eq!(again, streamed);
        std::fs::remove_file(&path).unwrap();

        let piped = crate::Upload::from_reader("a.csv", std::io::Cursor::new(b"x".to_vec()));
        let (body, _) = encode(&Params {
            purpose: "dispute_evidence",
            file: piped,
        })
        .unwrap();
        assert!(!body.is_replayable() && body.len().is_none());
        assert!(body.to_vec().is_ok());
        assert!(body.to_vec().is_err(), "a reader can be read once");
    }
}
