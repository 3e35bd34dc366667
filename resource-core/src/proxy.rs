//! Which proxy the built-in transport goes through, and the rules that keep the key out of a
//! proxy's sight.

use std::fmt;

use crate::client::is_loopback;
use crate::error::Error;

/// Which proxy the built-in [`UreqTransport`](crate::UreqTransport) sends requests through; set
/// on a client with [`ClientBuilder::proxy`](crate::ClientBuilder::proxy) and
/// [`ClientBuilder::no_proxy`](crate::ClientBuilder::no_proxy).
///
/// Whatever the choice, a request whose URL is plain `http://` (a loopback base URL, such as a
/// local emulator) never travels in clear through a proxy that is not itself on a loopback
/// host: the secret key would be readable there.
///
/// - [`Environment`](Self::Environment) (the default): the proxy named by the environment when
///   the transport is built (the first of `ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY`, upper or
///   lower case, skipping hosts listed in `NO_PROXY`), for `https://` URLs only; plain `http://`
///   URLs always connect directly.
/// - [`Direct`](Self::Direct): no proxy at all; the environment is not read.
/// - [`Url`](Self::Url): this proxy for every `https://` URL (a `CONNECT` tunnel, so the proxy
///   sees the host name but not the request), environment ignored. A plain `http://` URL goes
///   through it only when the proxy is on a loopback host; a client with a plain-http base URL
///   and a proxy elsewhere is refused when built.
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Proxy {
    /// The environment's proxy, for `https://` URLs only.
    #[default]
    Environment,
    /// No proxy.
    Direct,
    /// `http://[user:password@]host[:port]` (or `https://`, TLS to the proxy): this proxy,
    /// environment ignored. SOCKS is not supported.
    Url(String),
}

/// Shows a proxy URL without its user name and password.
impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Proxy::Environment => f.write_str("Environment"),
            Proxy::Direct => f.write_str("Direct"),
            Proxy::Url(url) => f.debug_tuple("Url").field(&redacted(url)).finish(),
        }
    }
}

/// An explicit proxy URL, checked.
pub(crate) struct ProxyUrl {
    /// Whether the proxy's host is loopback (so plain http to it stays on this machine).
    pub(crate) loopback: bool,
}

impl ProxyUrl {
    /// Checks `url` is `http://` or `https://`, then `[user[:password]@]host[:port]` and at
    /// most a trailing `/`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) quoting the URL without its
    /// credentials.
    pub(crate) fn parse(url: &str) -> Result<ProxyUrl, Error> {
        let invalid =
            |why: &str| Error::invalid_input(format!("invalid proxy URL {}: {why}", redacted(url)));
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| invalid("expected http:// or https://"))?;
        if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
            return Err(invalid(
                "expected http:// or https:// (SOCKS proxies are not supported)",
            ));
        }
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        let host_port = authority
            .rsplit_once('@')
            .map_or(authority, |(_userinfo, host_port)| host_port);
        if host_port.is_empty() || host_port.starts_with(':') {
            return Err(invalid("no host"));
        }
        if authority
            .bytes()
            .any(|b| !b.is_ascii_graphic() || matches!(b, b'/' | b'?' | b'#'))
        {
            return Err(invalid(
                "expected only [user:password@]host[:port], with the user and password percent-encoded",
            ));
        }
        Ok(ProxyUrl {
            loopback: is_loopback(host_port),
        })
    }
}

/// `url` with any `user:password@` replaced, for messages and `Debug`.
pub(crate) fn redacted(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (url.get(..scheme.len() + 3).unwrap_or_default(), rest),
        None => ("", url),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    match authority.rsplit_once('@') {
        Some((_, host_port)) => format!("{scheme}[redacted]@{host_port}{tail}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn proxy_urls_are_checked_and_never_quoted_with_credentials() {
        for (url, loopback) in [
            ("http://127.0.0.1:3128", true),
            ("http://localhost:3128/", true),
            ("HTTP://[::1]:8080", true),
            ("http://user:pa%40ss@proxy.example.com:3128", false),
            ("https://proxy.example.com", false),
            ("http://10.0.0.1", false),
        ] {
            assert_eq!(ProxyUrl::parse(url).unwrap().loopback, loopback, "{url}");
        }
        for bad in [
            "proxy.example.com:3128",
            "socks5://127.0.0.1:1080",
            "http://",
            "http://user:secret@",
            "http://:3128",
            "http://proxy/path",
            "http://pro xy",
        ] {
            let error = ProxyUrl::parse(bad).err().unwrap();
            assert_eq!(error.kind(), ErrorKind::InvalidInput, "{bad}");
            assert!(!error.to_string().contains("secret"), "{error}");
        }
        assert_eq!(
            redacted("http://user:secret@proxy:3128/"),
            "http://[redacted]@proxy:3128/"
        );
        assert_eq!(redacted("http://proxy:3128"), "http://proxy:3128");
        assert_eq!(redacted("user:secret@proxy"), "[redacted]@proxy");
        let shown = format!("{:?}", Proxy::Url("http://u:secret@proxy:1".into()));
        assert!(!shown.contains("secret"), "{shown}");
    }
}
