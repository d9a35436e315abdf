//! Any text as the profile file (`~/.huaweicloud/credentials`): reading it never panics, and
//! neither the credentials' `Debug` nor an error shows the secret key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sms_api::fuzzing;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let shown = fuzzing::profile_file(text);
    let secrets = text.lines().filter_map(|line| {
        let (key, value) = line.split_once('=')?;
        let value = value.trim();
        (key.trim().eq_ignore_ascii_case("sk") && value.len() >= 8).then_some(value)
    });
    for secret in secrets {
        assert!(!shown.contains(secret), "shown: {shown}");
    }
});
