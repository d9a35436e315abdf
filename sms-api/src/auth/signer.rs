//! AK/SK request signing, SDK-HMAC-SHA256, exactly as the official Huawei Cloud SDKs do it:
//!
//! 1. add `X-Sdk-Date` and `Host`;
//! 2. sign every header whose name has no `_`, lower-cased and sorted;
//! 3. canonical URI: each path segment percent-encoded, ending with `/`;
//! 4. canonical query: parameters sorted by key then value, percent-encoded (space as `%20`), and
//!    the request rewritten to send exactly that query;
//! 5. the canonical request and the string to sign, hashed with SHA-256;
//! 6. HMAC-SHA256 with the SK, and the `Authorization` header.

use std::fmt::Write as _;
use std::time::SystemTime;

use hmac::{Hmac, KeyInit, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{AUTHORIZATION, HOST, HeaderName, HeaderValue};
use sha2::{Digest, Sha256};

use super::sdk_date;

/// The signing algorithm's name, as it appears in the string to sign and the header.
const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// `X-Sdk-Date`.
pub(crate) const X_SDK_DATE: HeaderName = HeaderName::from_static("x-sdk-date");

/// Everything but the unreserved characters `A-Z a-z 0-9 - _ . ~` is encoded.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn encode(text: &str) -> String {
    utf8_percent_encode(text, ENCODE).to_string()
}

/// Signs `request` in place with the access key `ak` and secret key `sk` at time `now`.
///
/// Headers that must be signed (`X-Project-Id`, `X-Security-Token`...) must already be set.
pub(crate) fn sign(request: &mut reqwest::Request, ak: &str, sk: &str, now: SystemTime) {
    let date = sdk_date::format(now);
    let headers = request.headers_mut();
    headers.insert(
        X_SDK_DATE,
        HeaderValue::from_str(&date).expect("a timestamp is a header value"),
    );
    headers.remove(AUTHORIZATION);
    let url = request.url().clone();
    if let Some(host) = url.host_str() {
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        if let Ok(value) = HeaderValue::from_str(&host) {
            request.headers_mut().insert(HOST, value);
        }
    }

    let query = canonical_query(&url);
    request
        .url_mut()
        .set_query(if query.is_empty() { None } else { Some(&query) });

    let mut signed: Vec<(String, String)> = request
        .headers()
        .iter()
        .filter(|(name, _)| !name.as_str().contains('_'))
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).trim().to_owned();
            (name.as_str().to_ascii_lowercase(), value)
        })
        .collect();
    signed.sort();
    let signed_names = signed
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let mut canonical_headers = String::new();
    for (name, value) in &signed {
        let _ = writeln!(canonical_headers, "{name}:{value}");
    }

    let body = request
        .body()
        .and_then(reqwest::Body::as_bytes)
        .unwrap_or_default();
    let canonical_request = format!(
        "{}\n{}\n{query}\n{canonical_headers}\n{signed_names}\n{}",
        request.method().as_str(),
        canonical_uri(url.path()),
        hex::encode(Sha256::digest(body)),
    );
    let string_to_sign = format!(
        "{ALGORITHM}\n{date}\n{}",
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let mut mac =
        Hmac::<Sha256>::new_from_slice(sk.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(string_to_sign.as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes());
    let authorization =
        format!("{ALGORITHM} Access={ak}, SignedHeaders={signed_names}, Signature={signature}");
    if let Ok(mut value) = HeaderValue::from_str(&authorization) {
        value.set_sensitive(true);
        request.headers_mut().insert(AUTHORIZATION, value);
    }
}

/// `/v3/tasks` -> `/v3/tasks/`, each segment percent-encoded (the URL's own encoding undone first).
pub(crate) fn canonical_uri(path: &str) -> String {
    let mut uri: String = path
        .split('/')
        .map(|segment| encode(&percent_encoding::percent_decode_str(segment).decode_utf8_lossy()))
        .collect::<Vec<_>>()
        .join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// The query's parameters sorted by key then value, each percent-encoded, joined with `&`.
pub(crate) fn canonical_query(url: &reqwest::Url) -> String {
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use proptest::strategy::Strategy;

    use super::*;

    const AK: &str = "HPUAEXAMPLEAK1234567";
    const SK: &str = "exampleSecretKey0123456789abcdefghijklmn";

    /// The vectors' X-Sdk-Date, 20240115T083000Z.
    fn vector_time() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_705_307_400)
    }

    fn request(url: &str, headers: &[(&'static str, &str)]) -> reqwest::Request {
        let mut request = reqwest::Request::new(reqwest::Method::GET, url.parse().unwrap());
        for (name, value) in headers {
            request.headers_mut().insert(*name, value.parse().unwrap());
        }
        request
    }

    fn authorization(request: &reqwest::Request) -> &str {
        request.headers()[AUTHORIZATION].to_str().unwrap()
    }

    #[test]
    fn vector_1_list_tasks_as_the_python_sms_client_sends_it() {
        let mut r = request(
            "https://sms.cn-north-4.myhuaweicloud.com/v3/tasks?limit=10&offset=0&state=RUNNING",
            &[
                ("user-agent", "huaweicloud-usdk-python/3.0; test"),
                ("content-type", "application/json"),
                ("x-project-id", "0123456789abcdef0123456789abcdef"),
            ],
        );
        sign(&mut r, AK, SK, vector_time());
        assert_eq!(
            authorization(&r),
            "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK1234567, SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date, Signature=d7fbb0ca7829995d1fb9157928c9a6b6057608b0296e7fafe76af076f0632245"
        );
        assert_eq!(r.headers()["x-sdk-date"], "20240115T083000Z");
        assert_eq!(r.headers()["host"], "sms.cn-north-4.myhuaweicloud.com");
        assert_eq!(r.url().query(), Some("limit=10&offset=0&state=RUNNING"));
        assert!(r.headers()[AUTHORIZATION].is_sensitive());
    }

    #[test]
    fn vector_2_minimal() {
        let mut r = request("https://sms.cn-north-4.myhuaweicloud.com/v3/tasks", &[]);
        sign(&mut r, AK, SK, vector_time());
        assert_eq!(
            authorization(&r),
            "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK1234567, SignedHeaders=host;x-sdk-date, Signature=e7775ed5ecd73085c32d57c7ca9495494a3654a2e011c94ed85ca0c5fc537bf3"
        );
        assert_eq!(r.url().path(), "/v3/tasks", "the request keeps its path");
    }

    #[test]
    fn vector_3_global_credentials() {
        let mut r = request(
            "https://sms.cn-north-4.myhuaweicloud.com/v3/tasks?limit=10&offset=0",
            &[
                ("content-type", "application/json"),
                ("x-domain-id", "domainid0123456789abcdef01234567"),
            ],
        );
        sign(&mut r, AK, SK, vector_time());
        assert_eq!(
            authorization(&r),
            "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK1234567, SignedHeaders=content-type;host;x-domain-id;x-sdk-date, Signature=6938d19ade56c651e7ea9290d56e10e14e820403abe820e1bc7fd66cb684be99"
        );
    }

    #[test]
    fn the_query_is_sorted_encoded_and_sent_as_signed() {
        let url: reqwest::Url =
            "https://h/v3/tasks?state=READY&name=web+server%2F1&limit=5&name=a~b"
                .parse()
                .unwrap();
        assert_eq!(
            canonical_query(&url),
            "limit=5&name=a~b&name=web%20server%2F1&state=READY"
        );
        let mut r = request(url.as_str(), &[]);
        sign(&mut r, AK, SK, vector_time());
        assert_eq!(
            r.url().query(),
            Some("limit=5&name=a~b&name=web%20server%2F1&state=READY")
        );
    }

    #[test]
    fn the_uri_is_encoded_per_segment_and_ends_with_a_slash() {
        assert_eq!(canonical_uri("/v3/tasks"), "/v3/tasks/");
        assert_eq!(canonical_uri("/v3/a%20b/c"), "/v3/a%20b/c/");
        assert_eq!(canonical_uri("/"), "/");
    }

    #[test]
    fn a_port_is_part_of_the_signed_host() {
        let mut r = request("http://127.0.0.1:8080/v3/tasks", &[]);
        sign(&mut r, AK, SK, vector_time());
        assert_eq!(r.headers()["host"], "127.0.0.1:8080");
    }

    proptest::proptest! {
        #[test]
        fn the_canonical_query_ignores_parameter_order(
            (pairs, shuffled) in proptest::collection::vec((".{0,8}", ".{0,8}"), 0..8)
                .prop_flat_map(|pairs| (proptest::strategy::Just(pairs.clone()), proptest::strategy::Just(pairs).prop_shuffle()))
        ) {
            let url = |pairs: &[(String, String)]| {
                let mut url: reqwest::Url = "https://h/v3/tasks".parse().unwrap();
                url.query_pairs_mut().extend_pairs(pairs);
                url
            };
            proptest::prop_assert_eq!(canonical_query(&url(&pairs)), canonical_query(&url(&shuffled)));
        }
    }

    #[test]
    fn headers_with_underscores_are_not_signed() {
        let mut r = request("https://h/v3/tasks", &[("x_custom", "1")]);
        sign(&mut r, AK, SK, vector_time());
        assert!(authorization(&r).contains("SignedHeaders=host;x-sdk-date,"));
    }
}
