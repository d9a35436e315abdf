//! How much of a response body the client reads.

use bytes::{Bytes, BytesMut};

/// Largest response body the client reads; the rest is dropped and decoding fails clearly.
///
/// ```
/// assert_eq!(sms_api::send::MAX_BODY_BYTES, 64 << 20);
/// ```
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// A body read as far as it went: every byte up to [`MAX_BODY_BYTES`], whether more was
/// dropped, and the error that stopped the read, if one did.
pub(crate) struct ReadBody {
    pub(crate) bytes: Bytes,
    pub(crate) truncated: bool,
    pub(crate) error: Option<reqwest::Error>,
}

/// Reads `response`'s body, at most [`MAX_BODY_BYTES`] of it.
pub(crate) async fn read(response: &mut reqwest::Response) -> ReadBody {
    let mut body = BytesMut::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    body.extend_from_slice(&chunk[..MAX_BODY_BYTES - body.len()]);
                    return ReadBody {
                        bytes: body.freeze(),
                        truncated: true,
                        error: None,
                    };
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => {
                return ReadBody {
                    bytes: body.freeze(),
                    truncated: false,
                    error: None,
                };
            }
            Err(error) => {
                return ReadBody {
                    bytes: body.freeze(),
                    truncated: false,
                    error: Some(error),
                };
            }
        }
    }
}
