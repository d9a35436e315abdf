//! Any bytes as an error body of any shape: parsing never panics, the snippet stays bounded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sms_api::fuzzing;

fuzz_target!(|data: &[u8]| {
    let (code, message) = fuzzing::error_body(data);
    if code.is_some() || message.is_some() {
        assert!(serde_json::from_slice::<serde_json::Value>(data).is_ok(), "a code or message from non-JSON");
    }
    let snippet = fuzzing::snippet(data);
    assert!(snippet.chars().count() <= sms_api::error::SNIPPET_BYTES + 1);
});
