//! Any text as the profile file (`~/.huaweicloud/credentials`): reading it never panics, and
//! what is shown of it (the credentials' `Debug`, or the error) does not depend on the secret
//! key: the same text with every non-empty `sk` replaced shows exactly the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sms_api::fuzzing;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let shown = fuzzing::profile_file(text);
    let probed: String = text
        .split_inclusive('\n')
        .map(|line| match line.split_once('=') {
            Some((key, value)) if key.trim().eq_ignore_ascii_case("sk") && !value.trim().is_empty() => {
                let end = if line.ends_with('\n') { "\n" } else { "" };
                format!("{key}=probe{end}")
            }
            _ => line.to_owned(),
        })
        .collect();
    assert_eq!(shown, fuzzing::profile_file(&probed), "what is shown depends on the secret key");
});
