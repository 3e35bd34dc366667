//! Reads `multipart/form-data` request bodies (uploads), as a server does.

use crate::rejection::Rejection;

/// One part of a multipart body; a file's bytes are borrowed from the body, so that they are
/// copied once, when kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Field<'a> {
    Text(String),
    File {
        filename: String,
        content_type: String,
        bytes: &'a [u8],
    },
}

/// The `boundary` of a `multipart/form-data` content type, when it is one.
pub(crate) fn boundary(content_type: &str) -> Option<&str> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|param| {
        let (name, value) = param.trim().split_once('=')?;
        name.eq_ignore_ascii_case("boundary")
            .then(|| value.trim_matches('"'))
    })
}

/// The named parts of `body`, in order.
pub(crate) fn parse<'a>(
    body: &'a [u8],
    boundary: &str,
) -> Result<Vec<(String, Field<'a>)>, Rejection> {
    let malformed =
        |why: &str| Rejection::invalid_request(format!("Malformed multipart body: {why}."));
    let delimiter = format!("--{boundary}");
    let next_delimiter = format!("\r\n--{boundary}");
    let mut rest = find(body, delimiter.as_bytes())
        .map(|at| &body[at + delimiter.len()..])
        .ok_or_else(|| malformed("no boundary"))?;
    let mut fields = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            return Ok(fields);
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .ok_or_else(|| malformed("no line break after a boundary"))?;
        let head_end =
            find(rest, b"\r\n\r\n").ok_or_else(|| malformed("a part without headers"))?;
        let head = std::str::from_utf8(&rest[..head_end])
            .map_err(|_| malformed("headers are not UTF-8"))?;
        let content_start = head_end + 4;
        let content_len = find(&rest[content_start..], next_delimiter.as_bytes())
            .ok_or_else(|| malformed("no closing boundary"))?;
        let content = &rest[content_start..content_start + content_len];
        fields.push(field(head, content).ok_or_else(|| malformed("a part without a name"))?);
        rest = &rest[content_start + content_len + next_delimiter.len()..];
    }
}

fn field<'a>(head: &str, content: &'a [u8]) -> Option<(String, Field<'a>)> {
    let mut disposition = None;
    let mut content_type = None;
    for line in head.split("\r\n") {
        let (name, value) = line.split_once(':')?;
        if name.trim().eq_ignore_ascii_case("content-disposition") {
            disposition = Some(value.trim());
        } else if name.trim().eq_ignore_ascii_case("content-type") {
            content_type = Some(value.trim().to_owned());
        }
    }
    let disposition = disposition?;
    let name = parameter(disposition, "name")?;
    let field = match parameter(disposition, "filename") {
        Some(filename) => Field::File {
            filename,
            content_type: content_type.unwrap_or_else(|| "application/octet-stream".to_owned()),
            bytes: content,
        },
        None => Field::Text(String::from_utf8_lossy(content).into_owned()),
    };
    Some((name, field))
}

/// A quoted parameter of a `Content-Disposition` value (`name="purpose"`).
fn parameter(disposition: &str, wanted: &str) -> Option<String> {
    let mut rest = disposition;
    while let Some(at) = rest.find(';') {
        rest = rest[at + 1..].trim_start();
        let (name, after) = rest.split_once('=')?;
        let value = after.strip_prefix('"')?;
        let end = value.find('"')?;
        if name.trim() == wanted {
            return Some(value[..end].to_owned());
        }
        rest = &value[end + 1..];
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_and_file_parts_in_order() {
        let body = b"--B\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\ndispute_evidence\r\n\
--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"my \xc3\xa9vidence.pdf\"\r\nContent-Type: application/pdf\r\n\r\n\
%PDF\r\n--not-the-boundary\x00\xff\r\n--B\r\nContent-Disposition: form-data; name=\"file_link_data[create]\"\r\n\r\ntrue\r\n--B--\r\n";
        assert_eq!(boundary("multipart/form-data; boundary=B"), Some("B"));
        assert_eq!(boundary("multipart/form-data; boundary=\"B\""), Some("B"));
        assert_eq!(boundary("application/x-www-form-urlencoded"), None);
        let fields = parse(body, "B").unwrap();
        assert_eq!(
            fields[0],
            ("purpose".into(), Field::Text("dispute_evidence".into()))
        );
        assert_eq!(
            fields[1],
            (
                "file".into(),
                Field::File {
                    filename: "my évidence.pdf".into(),
                    content_type: "application/pdf".into(),
                    bytes: &b"%PDF\r\n--not-the-boundary\x00\xff"[..]
                }
            )
        );
        assert_eq!(
            fields[2],
            ("file_link_data[create]".into(), Field::Text("true".into()))
        );
        assert!(parse(b"--B\r\nno headers", "B").is_err());
        assert!(parse(b"nothing", "B").is_err());
    }
}
