//! Downloads: a file's contents or a link's URL, the URLs resources serve outside their routes.

use super::*;
use crate::auth::authenticate;
use crate::emulate::Access;

impl Engine {
    /// A `GET` of a URL a resource serves outside its routes (a file's contents, a link's
    /// `url`): the upload it names, sent as an attachment, or the resource's rejection; Stripe's
    /// 401 first where the resource asks for the secret key. `None` for anything else.
    pub(super) fn download(&self, request: &Incoming<'_>) -> Option<Outgoing> {
        if request.method != "GET" || self.matching("GET", request.path).is_some() {
            return None;
        }
        let download = self
            .with_context(|context| {
                self.collections
                    .iter()
                    .find_map(|c| (c.serve)(request.path, context))
            })
            .0?;
        let mut headers = vec![
            ("Request-Id".to_owned(), request_id()),
            ("X-Content-Type-Options".to_owned(), "nosniff".to_owned()),
        ];
        let allowed = match download.access {
            Access::Public => Ok(()),
            Access::SecretKey => authenticate(request).map(drop),
        };
        let upload = allowed.and(download.upload_of).and_then(|owner| {
            self.uploads
                .get(&owner)
                .ok_or_else(|| Rejection::invalid_request("The file has no content.").status(404))
        });
        Some(match upload {
            Ok(upload) => {
                headers.push(("Content-Type".to_owned(), media_type(&upload.content_type)));
                headers.push((
                    "Content-Disposition".to_owned(),
                    attachment(&upload.filename),
                ));
                Outgoing {
                    status: 200,
                    headers,
                    body: upload.bytes.to_vec(),
                }
            }
            Err(rejection) => {
                headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
                Outgoing {
                    status: rejection.status,
                    headers,
                    body: json_bytes(&rejection.to_json()),
                }
            }
        })
    }
}

/// A download's `Content-Type`: the one it was uploaded with when it is a plain header value,
/// `application/octet-stream` otherwise.
pub(super) fn media_type(content_type: &str) -> String {
    let plain = !content_type.trim().is_empty()
        && content_type
            .chars()
            .all(|c| c == '\t' || (' '..='~').contains(&c));
    if plain {
        content_type.to_owned()
    } else {
        "application/octet-stream".to_owned()
    }
}

/// `Content-Disposition: attachment` naming `filename` safely (RFC 6266): control characters
/// become `_`; `filename` is quoted printable ASCII (`"` and `\` escaped, anything else `_`) and,
/// when that is not the name as it is, `filename*` gives it in UTF-8, percent-encoded.
pub(super) fn attachment(filename: &str) -> String {
    let name: String = filename
        .chars()
        .map(|c| if c.is_control() { '_' } else { c })
        .collect();
    let mut quoted = String::with_capacity(name.len() + 2);
    let mut exact = name == filename;
    for c in name.chars() {
        match c {
            '"' | '\\' => {
                quoted.push('\\');
                quoted.push(c);
                exact = false;
            }
            ' '..='~' => quoted.push(c),
            _ => {
                quoted.push('_');
                exact = false;
            }
        }
    }
    let mut value = format!("attachment; filename=\"{quoted}\"");
    if !exact {
        value.push_str("; filename*=UTF-8''");
        for byte in name.bytes() {
            if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
                value.push(char::from(byte));
            } else {
                value.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downloads_name_their_file_safely() {
        assert_eq!(
            attachment("evidence.pdf"),
            "attachment; filename=\"evidence.pdf\""
        );
        assert_eq!(
            attachment("my \"évidence\".png"),
            "attachment; filename=\"my \\\"_vidence\\\".png\"; \
             filename*=UTF-8''my%20%22%C3%A9vidence%22.png"
        );
        assert_eq!(
            attachment("a\\b\r\nSet-Cookie: x\u{0}"),
            "attachment; filename=\"a\\\\b__Set-Cookie: x_\"; \
             filename*=UTF-8''a%5Cb__Set-Cookie%3A%20x_"
        );
        assert_eq!(
            media_type("text/html; charset=utf-8"),
            "text/html; charset=utf-8"
        );
        assert_eq!(media_type("text/html\r\nX: y"), "application/octet-stream");
        assert_eq!(media_type("image/pngé"), "application/octet-stream");
        assert_eq!(media_type(""), "application/octet-stream");
    }
}
