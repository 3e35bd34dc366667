//! Request bodies: bytes in memory, or segments streamed in order (an upload's file is read from
//! its source while sending, never copied into the body).

use std::fmt;
use std::io::{self, Read};

use crate::upload::Source;

/// The body of a [`Request`](crate::Request).
///
/// Form requests carry their encoded bytes; uploads are a sequence of segments (multipart
/// headers in memory, the file read from its source as it is sent). [`Body::reader`] streams any
/// body; [`Body::as_bytes`] gives an in-memory one directly.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Body {
    /// The bytes before any source: a form body whole, so that it needs no segment list.
    head: Vec<u8>,
    /// What follows `head`: sources, and the bytes between and after them.
    rest: Vec<Segment>,
}

#[derive(Clone, PartialEq, Eq)]
enum Segment {
    Bytes(Vec<u8>),
    Source(Source),
}

impl Body {
    /// No body.
    #[must_use]
    pub fn empty() -> Self {
        Body::default()
    }

    pub(crate) fn push_bytes(&mut self, bytes: Vec<u8>) {
        if bytes.is_empty() {
            return;
        }
        match self.rest.last_mut() {
            None if self.head.is_empty() => self.head = bytes,
            None => self.head.extend_from_slice(&bytes),
            Some(Segment::Bytes(last)) => last.extend_from_slice(&bytes),
            Some(Segment::Source(_)) => self.rest.push(Segment::Bytes(bytes)),
        }
    }

    pub(crate) fn push_source(&mut self, source: Source) {
        self.rest.push(Segment::Source(source));
    }

    /// The bytes, when the body is held in memory (every form request); `None` for an upload.
    #[must_use]
    pub fn as_bytes(&self) -> Option<&[u8]> {
        self.rest.is_empty().then_some(self.head.as_slice())
    }

    /// Whether the body has no bytes at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.head.is_empty() && self.rest.is_empty()
    }

    /// The length in bytes, when known before sending (a one-shot reader's is not).
    #[must_use]
    pub fn len(&self) -> Option<u64> {
        let head = u64::try_from(self.head.len()).ok()?;
        self.rest.iter().try_fold(head, |total, segment| {
            let len = match segment {
                Segment::Bytes(bytes) => u64::try_from(bytes.len()).ok()?,
                Segment::Source(source) => source.len()?,
            };
            total.checked_add(len)
        })
    }

    /// Whether the body can be sent again (for a retry): false once it holds a one-shot reader.
    #[must_use]
    pub fn is_replayable(&self) -> bool {
        self.rest.iter().all(|segment| match segment {
            Segment::Bytes(_) => true,
            Segment::Source(source) => source.is_replayable(),
        })
    }

    /// Reads the body from its start: in-memory segments, then each source opened in turn.
    ///
    /// # Errors
    ///
    /// When a file cannot be opened, or a one-shot reader was already sent.
    pub fn reader(&self) -> io::Result<BodyReader<'_>> {
        Ok(BodyReader {
            segments: self.rest.iter(),
            current: Some(Box::new(self.head.as_slice())),
        })
    }

    /// The whole body in memory (for transports that need it at once, such as an emulator).
    ///
    /// # Errors
    ///
    /// As [`Body::reader`], or when reading a source fails.
    pub fn to_vec(&self) -> io::Result<Vec<u8>> {
        if let Some(bytes) = self.as_bytes() {
            return Ok(bytes.to_vec());
        }
        let mut out = Vec::with_capacity(
            self.len()
                .and_then(|l| usize::try_from(l).ok())
                .unwrap_or(0),
        );
        self.reader()?.read_to_end(&mut out)?;
        Ok(out)
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        let mut body = Body::empty();
        body.push_bytes(bytes);
        body
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Body::from(text.into_bytes())
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_bytes() {
            Some(bytes) => fmt::Debug::fmt(&String::from_utf8_lossy(bytes), f),
            None => {
                let mut list = f.debug_list();
                if !self.head.is_empty() {
                    list.entry(&String::from_utf8_lossy(&self.head));
                }
                for segment in &self.rest {
                    match segment {
                        Segment::Bytes(bytes) => list.entry(&String::from_utf8_lossy(bytes)),
                        Segment::Source(source) => list.entry(source),
                    };
                }
                list.finish()
            }
        }
    }
}

/// Streams a [`Body`]; see [`Body::reader`].
pub struct BodyReader<'a> {
    segments: std::slice::Iter<'a, Segment>,
    current: Option<Box<dyn Read + Send + 'a>>,
}

impl Read for BodyReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if let Some(current) = &mut self.current {
                let n = current.read(buf)?;
                if n > 0 || buf.is_empty() {
                    return Ok(n);
                }
                self.current = None;
            }
            self.current = match self.segments.next() {
                None => return Ok(0),
                Some(Segment::Bytes(bytes)) => Some(Box::new(bytes.as_slice())),
                Some(Segment::Source(source)) => Some(source.open()?),
            };
        }
    }
}

impl fmt::Debug for BodyReader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BodyReader").finish_non_exhaustive()
    }
}
