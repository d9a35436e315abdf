//! What an endpoint URL may be shown as and where it leads: the checks that the client's
//! endpoint and every credentials source's share, since secrets go to both.

use std::net::IpAddr;

/// `endpoint` with whatever stands before an `@` in its authority replaced by `***`, so that
/// no error echoes a password (done on the text: the URL may not even parse).
pub(crate) fn without_userinfo(endpoint: &str) -> String {
    let start = endpoint.find("://").map_or(0, |i| i + 3);
    let authority_end = endpoint[start..]
        .find(['/', '?', '#'])
        .map_or(endpoint.len(), |i| start + i);
    match endpoint[start..authority_end].rfind('@') {
        Some(at) => format!("{}***{}", &endpoint[..start], &endpoint[start + at..]),
        None => endpoint.to_owned(),
    }
}

/// Whether `url` leads to this host.
pub(crate) fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(host)) => host.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Whether `url` leads to a link-local address (`169.254.0.0/16`, `fe80::/10`), which no
/// router forwards: the metadata service's `169.254.169.254` among them.
pub(crate) fn is_link_local(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_link_local(),
        Some(url::Host::Ipv6(ip)) => (ip.segments()[0] & 0xffc0) == 0xfe80,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_hidden_wherever_it_stands() {
        let cases = [
            ("https://u:p@h/x@y", "https://***@h/x@y"),
            ("u:p@h", "***@h"),
            ("https://h/a@b", "https://h/a@b"),
            ("https://a@b@h", "https://***@h"),
            ("https://h?q=a@b", "https://h?q=a@b"),
        ];
        for (given, shown) in cases {
            assert_eq!(without_userinfo(given), shown, "{given}");
        }
    }

    #[test]
    fn loopback_and_link_local_hosts_are_told_apart() {
        let url = |text: &str| url::Url::parse(text).unwrap();
        assert!(is_loopback(&url("http://127.0.0.2:1")) && is_loopback(&url("http://[::1]")));
        assert!(is_loopback(&url("http://LOCALHOST")));
        assert!(is_link_local(&url("http://169.254.169.254")));
        assert!(is_link_local(&url("http://[fe80::1]")));
        for other in [
            "http://10.0.0.1",
            "http://169.255.0.1",
            "http://[fec0::1]",
            "http://evil.example",
        ] {
            assert!(
                !is_loopback(&url(other)) && !is_link_local(&url(other)),
                "{other}"
            );
        }
    }
}
