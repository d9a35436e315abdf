//! Any bytes as a credentials source's answer (IAM, STS, the metadata service, pod identity):
//! parsing never panics, whatever the expiry says, and an error never quotes the secret key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sms_api::fuzzing;

fuzz_target!(|data: &[u8]| {
    let Err(error) = fuzzing::credentials_answer(data) else { return };
    let secret = serde_json::from_slice::<serde_json::Value>(data)
        .ok()
        .and_then(|v| v.pointer("/credential/secret")?.as_str().map(str::to_owned));
    if let Some(secret) = secret.filter(|s| s.len() >= 8) {
        assert!(!error.contains(&secret), "the error quotes the secret: {error}");
    }
});
