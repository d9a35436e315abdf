//! Any bytes as a credentials source's answer (IAM, STS, the metadata service, pod identity):
//! parsing never panics, whatever the expiry says, and what it gives (the access key, or the
//! error) does not depend on the secret key: the same answer with every spelling of the secret
//! replaced gives exactly the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sms_api::fuzzing;

const CONTAINERS: [&str; 3] = ["/credential", "/credentials", ""];
const SECRETS: [&str; 3] = ["secret", "secretAccessKey", "secret_access_key"];

fuzz_target!(|data: &[u8]| {
    let given = fuzzing::credentials_answer(data);
    let Ok(original) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let mut probed = original.clone();
    let mut replaced = false;
    for container in CONTAINERS {
        for name in SECRETS {
            if let Some(secret) = probed.pointer_mut(&format!("{container}/{name}"))
                && secret.as_str().is_some_and(|s| !s.is_empty())
            {
                *secret = serde_json::Value::from("probe");
                replaced = true;
            }
        }
    }
    if !replaced {
        return;
    }
    // Both through the same serializer, so that only the secret differs.
    let given_again = fuzzing::credentials_answer(&serde_json::to_vec(&original).unwrap());
    let probed = fuzzing::credentials_answer(&serde_json::to_vec(&probed).unwrap());
    assert_eq!(given_again, probed, "what is given depends on the secret key");
    let _ = given;
});
