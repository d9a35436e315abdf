//! Any query and path through the signer's canonical encoding: never panics, only unreserved
//! characters and %XX escapes come out, and encoding what it produced changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sms_api::fuzzing;

fn canonical_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'=' | b'&' | b'/' => i += 1,
            b'%' if i + 2 < bytes.len() && bytes[i + 1].is_ascii_hexdigit() && bytes[i + 2].is_ascii_hexdigit() => {
                assert!(!bytes[i + 1].is_ascii_lowercase() && !bytes[i + 2].is_ascii_lowercase(), "hex in upper case");
                i += 3;
            }
            _ => return false,
        }
    }
    true
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (path, query) = text.split_once('?').unwrap_or((&text, ""));
    let Ok(url) = reqwest_url(&format!("https://sms.example.com/{path}?{query}")) else { return };
    let canonical = fuzzing::canonical_query(&url);
    assert!(canonical_text(&canonical), "{canonical:?}");
    let again = reqwest_url(&format!("https://sms.example.com/v3/tasks?{canonical}")).expect("a canonical query parses");
    assert_eq!(fuzzing::canonical_query(&again), canonical, "canonical encoding is stable");
    let uri = fuzzing::canonical_uri(url.path());
    assert!(uri.ends_with('/') && canonical_text(&uri), "{uri:?}");
});

fn reqwest_url(text: &str) -> Result<fuzzing::Url, ()> {
    text.parse().map_err(|_| ())
}
