//! Entry points for the fuzz targets in `sms-api/fuzz` (feature `fuzzing`); not part of the API.

use std::time::{Duration, SystemTime};

pub use reqwest::Url;

/// The code and message an error body of any shape gives.
pub fn error_body(body: &[u8]) -> (Option<String>, Option<String>) {
    let parsed = crate::error::parse_body(body);
    (parsed.code, parsed.message)
}

/// The bounded snippet of a raw body that errors carry.
pub fn snippet(body: &[u8]) -> String {
    crate::error::snippet(body)
}

/// The wait a `Retry-After` value asks for, from now.
pub fn retry_after(value: &str) -> Option<Duration> {
    crate::send::retry_after::parse(value, SystemTime::now())
}

/// The signer's canonical query of a URL.
pub fn canonical_query(url: &Url) -> String {
    crate::auth::signer::canonical_query(url)
}

/// The signer's canonical URI of a path.
pub fn canonical_uri(path: &str) -> String {
    crate::auth::signer::canonical_uri(path)
}

/// A path parameter as the generated builders encode it: one URL segment, or why not.
pub fn path_segment(value: &str) -> Result<String, String> {
    crate::send::path_segment::encode("p", value)
}

/// The access key of the credentials in a credentials source's answer (IAM, STS, the metadata
/// service, pod identity), or why there are none.
pub fn credentials_answer(body: &[u8]) -> Result<String, String> {
    crate::auth::temporary::parse(body).map(|credentials| credentials.access_key().to_owned())
}

/// The credentials of a profile file's text, shown as `Debug` shows them, or the error's text.
pub fn profile_file(text: &str) -> String {
    let path = std::path::Path::new("/fuzz/credentials");
    match crate::auth::chain::from_text(text, path, &|_| None) {
        Ok(credentials) => format!("{credentials:?}"),
        Err(error) => error.to_string(),
    }
}
