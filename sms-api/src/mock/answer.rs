//! An answer of the fake as its status and JSON body, for every module that makes one.

/// `body` as JSON, with `status`.
pub(crate) fn json(status: u16, body: &impl serde::Serialize) -> (u16, Vec<u8>) {
    (status, serde_json::to_vec(body).unwrap_or_default())
}
