//! Any string as a path parameter: refused before sending (empty, `.`, `..`), or exactly one
//! URL segment that the URL parser keeps as it is and that decodes back to the string.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sms_api::fuzzing;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = std::str::from_utf8(data) else { return };
    let segment = match fuzzing::path_segment(value) {
        Ok(segment) => segment,
        Err(_) => {
            assert!(matches!(value, "" | "." | ".."), "{value:?} refused");
            return;
        }
    };
    let url = fuzzing::Url::parse(&format!("https://h/v3/tasks/{segment}/action")).unwrap();
    let segments: Vec<&str> = url.path_segments().unwrap().collect();
    assert_eq!(segments.len(), 4, "{value:?} left its segment: {url}");
    assert_eq!(segments[2], segment, "the URL parser rewrote {value:?}");
    let decoded = percent_decode(segments[2]);
    assert_eq!(decoded, value.as_bytes(), "{value:?} does not decode back");
});

/// `%XX` escapes undone (the parser's own encoding is what is checked, so this is written
/// here, not borrowed from it).
fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}
