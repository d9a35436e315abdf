//! How much of a response body the client reads, decoded.

use bytes::Bytes;

use super::content_encoding::{ACCEPT_ENCODING, Coding, DecodeFailure, Decoder, Unsupported};

/// A body read (and decoded) as far as it went: every byte up to
/// [`MAX_BODY_BYTES`](super::MAX_BODY_BYTES), whether more was dropped, why it could not be
/// decoded, and the error that stopped the read, if one did.
pub(crate) struct ReadBody {
    pub(crate) bytes: Bytes,
    pub(crate) truncated: bool,
    /// The body does not match its `Content-Encoding`, or names one the client does not decode.
    pub(crate) undecodable: Option<String>,
    pub(crate) error: Option<reqwest::Error>,
}

impl ReadBody {
    fn new(bytes: Bytes) -> ReadBody {
        ReadBody {
            bytes,
            truncated: false,
            undecodable: None,
            error: None,
        }
    }
}

/// Reads `response`'s body, decoding it per its `Content-Encoding`, at most
/// [`MAX_BODY_BYTES`](super::MAX_BODY_BYTES) of it once decoded.
pub(crate) async fn read(response: &mut reqwest::Response) -> ReadBody {
    let coding = match Coding::of(response.headers()) {
        Ok(coding) => coding,
        Err(Unsupported(name)) => {
            let mut read = read_as(response, Coding::Identity).await;
            read.undecodable = Some(format!(
                "the body is encoded as `Content-Encoding: {name}`, which this client does not \
                 decode (it asks for `{}`)",
                ACCEPT_ENCODING.to_str().unwrap_or_default()
            ));
            return read;
        }
    };
    read_as(response, coding).await
}

async fn read_as(response: &mut reqwest::Response, coding: Coding) -> ReadBody {
    let mut decoder = Decoder::new(coding);
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => match decoder.push(&chunk) {
                Ok(()) => {}
                Err(failure) => return failed(failure, decoder.into_bytes()),
            },
            Ok(None) => {
                return match decoder.finish() {
                    Ok(bytes) => ReadBody::new(bytes),
                    Err((failure, bytes)) => failed(failure, bytes),
                };
            }
            Err(error) => {
                let mut read = ReadBody::new(decoder.into_bytes());
                read.error = Some(error);
                return read;
            }
        }
    }
}

fn failed(failure: DecodeFailure, bytes: Bytes) -> ReadBody {
    let mut read = ReadBody::new(bytes);
    match failure {
        DecodeFailure::TooLarge => read.truncated = true,
        DecodeFailure::Corrupt(reason) => read.undecodable = Some(reason),
    }
    read
}
