//! Where the server says it is, and who may call it by which name: the URL it hands out (the
//! bound address, a public URL, or for `0.0.0.0` an address a remote client can reach), and the
//! `Host` check that keeps a loopback server out of a web page's reach (DNS rebinding).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};

/// The base URL to hand out, and whether it was guessed (an unspecified bind with no public
/// URL).
pub(super) fn base_url(
    bound: SocketAddr,
    public_url: Option<&str>,
) -> std::io::Result<(String, bool)> {
    if let Some(url) = public_url {
        return valid_public_url(url).map(|url| (url, false));
    }
    if !bound.ip().is_unspecified() {
        return Ok((format!("http://{bound}"), false));
    }
    let reachable = outbound_ip(bound.ip()).unwrap_or(match bound.ip() {
        IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
    });
    Ok((
        format!("http://{}", SocketAddr::new(reachable, bound.port())),
        true,
    ))
}

/// `url` without its trailing `/`, when it is an `http(s)://` URL with a host.
fn valid_public_url(url: &str) -> std::io::Result<String> {
    let trimmed = url.trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("http://")
        .or_else(|| trimmed.strip_prefix("https://"));
    match rest {
        Some(authority)
            if !authority.is_empty()
                && !authority.starts_with(':')
                && !authority.contains(['?', '#'])
                && !authority.contains(|c: char| c.is_whitespace() || c.is_control()) =>
        {
            Ok(trimmed.to_owned())
        }
        _ => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("the public URL must be an http:// or https:// URL with a host: {url:?}"),
        )),
    }
}

/// The address this machine reaches others from, in `family`: the local end of a UDP socket
/// "connected" to a documentation address (no packet is sent).
fn outbound_ip(family: IpAddr) -> Option<IpAddr> {
    let (local, remote): (SocketAddr, SocketAddr) = match family {
        IpAddr::V4(_) => (
            (Ipv4Addr::UNSPECIFIED, 0).into(),
            (Ipv4Addr::new(192, 0, 2, 1), 9).into(),
        ),
        IpAddr::V6(_) => (
            (Ipv6Addr::UNSPECIFIED, 0).into(),
            (Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), 9).into(),
        ),
    };
    let socket = UdpSocket::bind(local).ok()?;
    socket.connect(remote).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified()).then_some(ip)
}

/// Says on stderr that a server off loopback can be used by anyone who reaches it.
pub(super) fn warn_public(bound: SocketAddr, url: &str, guessed: bool) {
    let hint = if guessed {
        " (guessed from this machine's outbound address: if clients reach it by another name, \
         give that as the public URL, `--public-url` in stripe-emulator)"
    } else {
        ""
    };
    eprintln!(
        "warning: the Stripe emulator listens on {bound}, not on loopback: anyone who can reach \
         it can read and change its data (any sk_test_ key is accepted). It hands out URLs on \
         {url}{hint}."
    );
}

/// The address that reaches a server bound to `bound`, to wake its accept loop.
pub(super) fn wake_addr(bound: SocketAddr) -> SocketAddr {
    match bound.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => (Ipv4Addr::LOCALHOST, bound.port()).into(),
        IpAddr::V6(ip) if ip.is_unspecified() => (Ipv6Addr::LOCALHOST, bound.port()).into(),
        _ => bound,
    }
}

/// The `Host` values a loopback server accepts: loopback names and addresses, with any port,
/// and the public URL's host.
#[derive(Debug)]
pub(super) struct HostCheck {
    public_host: Option<String>,
}

impl HostCheck {
    pub(super) fn new(public_url: Option<&str>) -> Self {
        let public_host = public_url
            .and_then(|url| url.split_once("://"))
            .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(rest))
            .map(|authority| {
                authority
                    .rsplit_once('@')
                    .map_or(authority, |(_, host)| host)
            })
            .and_then(host_name)
            .map(str::to_ascii_lowercase);
        HostCheck { public_host }
    }

    /// Whether a request with this `Host` header value may be answered.
    pub(super) fn allows(&self, value: &str) -> bool {
        let Some(name) = host_name(value.trim()) else {
            return false;
        };
        is_loopback_name(name)
            || self
                .public_host
                .as_deref()
                .is_some_and(|public| public.eq_ignore_ascii_case(name))
    }
}

/// The host of a `Host` value (`name`, `name:port`, `[v6]`, `[v6]:port`), without its port.
fn host_name(value: &str) -> Option<&str> {
    if let Some(bracketed) = value.strip_prefix('[') {
        let (inside, after) = bracketed.split_once(']')?;
        return valid_port(after.strip_prefix(':').unwrap_or(after)).then_some(inside);
    }
    let (name, port) = value.rsplit_once(':').unwrap_or((value, ""));
    (!name.is_empty() && valid_port(port)).then_some(name)
}

fn valid_port(port: &str) -> bool {
    port.is_empty() || port.parse::<u16>().is_ok()
}

/// `localhost` (with or without a final dot), an address in 127.0.0.0/8, or `::1` (also as
/// an IPv4-mapped 127.x address).
fn is_loopback_name(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    if let Ok(ip) = name.parse::<Ipv4Addr>() {
        return ip.is_loopback();
    }
    name.parse::<Ipv6Addr>()
        .is_ok_and(|ip| ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_accepted_and_others_refused() {
        let check = HostCheck::new(None);
        for host in [
            "localhost",
            "LOCALHOST:12111",
            "localhost.",
            "127.0.0.1",
            "127.0.0.1:80",
            "127.8.9.10:1",
            "[::1]",
            "[::1]:12111",
            "[::ffff:127.0.0.1]:5",
        ] {
            assert!(check.allows(host), "{host}");
        }
        for host in [
            "",
            ":80",
            "evil.example",
            "evil.example:12111",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "128.0.0.1",
            "0.0.0.0",
            "[::2]",
            "[::1",
            "localhost:99999",
            "localhost:x",
            "10.0.0.1:12111",
        ] {
            assert!(!check.allows(host), "{host}");
        }
    }

    #[test]
    fn the_public_urls_host_is_accepted() {
        let check = HostCheck::new(Some("https://user@Emulator.Internal:8443/base"));
        assert!(check.allows("emulator.internal"));
        assert!(check.allows("emulator.internal:12111"));
        assert!(check.allows("localhost"));
        assert!(!check.allows("other.internal"));
    }

    #[test]
    fn public_urls_are_checked_and_trimmed() {
        let bound: SocketAddr = (Ipv4Addr::LOCALHOST, 1).into();
        assert_eq!(
            base_url(bound, Some("http://example.test:1/")).ok(),
            Some(("http://example.test:1".to_owned(), false))
        );
        for bad in [
            "example.test",
            "ftp://x",
            "http://",
            "http:// x",
            "http://:80",
        ] {
            assert!(base_url(bound, Some(bad)).is_err(), "{bad}");
        }
        assert_eq!(
            base_url(bound, None).ok(),
            Some(("http://127.0.0.1:1".to_owned(), false))
        );
        let (url, guessed) = base_url((Ipv4Addr::UNSPECIFIED, 7).into(), None).unwrap_or_default();
        assert!(guessed && url.starts_with("http://") && !url.contains("0.0.0.0"));
    }
}
