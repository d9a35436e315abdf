//! Any text as a Retry-After header: parsing never panics; plain digits always parse.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sms_api::fuzzing;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parsed = fuzzing::retry_after(text);
    let trimmed = text.trim();
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        assert!(parsed.is_some(), "{text:?}");
    }
});
