//! Compressed bodies: the codings the client asks for, and decoding a body as it arrives, so
//! that [`MAX_BODY_BYTES`] bounds what it becomes, not what crossed the wire.
//!
//! The client decodes itself rather than through reqwest: it then knows which coding a body
//! came in (for the error when it does not match), stops a compression bomb at the limit with
//! memory bounded by it, and tells a corrupt stream (a `Decode` error, not retried) from a
//! connection that broke (a `Transport` error, retried).

use std::io::{self, Write};

use bytes::{Bytes, BytesMut};
use flate2::write::{DeflateDecoder, GzDecoder, ZlibDecoder};
use reqwest::header::{CONTENT_ENCODING, HeaderMap, HeaderValue};

/// Largest response body the client reads, counted after decompression; the rest is dropped
/// and decoding fails clearly.
///
/// ```
/// # fn f(e: sms_api::Error) {
/// if e.kind() == sms_api::ErrorKind::Decode && e.message().contains("larger than the") {
///     eprintln!("a page over {} MiB: ask for fewer items per page", sms_api::send::MAX_BODY_BYTES >> 20);
/// }
/// # }
/// ```
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// The `Accept-Encoding` the client sends unless compression is turned off: the codings it
/// decodes.
pub(crate) const ACCEPT_ENCODING: HeaderValue = HeaderValue::from_static("gzip, deflate");

/// How a body was encoded, from its `Content-Encoding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Coding {
    Identity,
    Gzip,
    /// HTTP's `deflate`: a zlib stream, or (as some servers send it) raw deflate.
    Deflate,
}

/// A `Content-Encoding` the client does not decode, as the response gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Unsupported(pub(crate) String);

impl Coding {
    /// The coding of a response with these headers.
    pub(crate) fn of(headers: &HeaderMap) -> Result<Coding, Unsupported> {
        let Some(value) = headers.get(CONTENT_ENCODING) else {
            return Ok(Coding::Identity);
        };
        let text = String::from_utf8_lossy(value.as_bytes()).trim().to_owned();
        match text.to_ascii_lowercase().as_str() {
            "" | "identity" => Ok(Coding::Identity),
            "gzip" | "x-gzip" => Ok(Coding::Gzip),
            "deflate" => Ok(Coding::Deflate),
            _ => Err(Unsupported(text)),
        }
    }
}

/// Why a body could not be decoded.
#[derive(Debug)]
pub(crate) enum DecodeFailure {
    /// Decoded, it is larger than [`MAX_BODY_BYTES`]; what fit was kept.
    TooLarge,
    /// The bytes are not a stream of the coding the response named.
    Corrupt(String),
}

/// A body being decoded, chunk by chunk, into at most [`MAX_BODY_BYTES`].
pub(crate) struct Decoder {
    coding: Coding,
    state: State,
}

enum State {
    Identity(Capped),
    Gzip(GzDecoder<Capped>),
    /// Undecided until the first two bytes tell a zlib header from raw deflate.
    DeflateStart(Vec<u8>),
    Zlib(ZlibDecoder<Capped>),
    RawDeflate(DeflateDecoder<Capped>),
}

impl Decoder {
    pub(crate) fn new(coding: Coding) -> Decoder {
        let state = match coding {
            Coding::Identity => State::Identity(Capped::default()),
            Coding::Gzip => State::Gzip(GzDecoder::new(Capped::default())),
            Coding::Deflate => State::DeflateStart(Vec::new()),
        };
        Decoder { coding, state }
    }

    /// Decodes the next chunk of the body.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<(), DecodeFailure> {
        let written = match &mut self.state {
            State::Identity(out) => out.write_all(chunk),
            State::Gzip(decoder) => decoder.write_all(chunk),
            State::Zlib(decoder) => decoder.write_all(chunk),
            State::RawDeflate(decoder) => decoder.write_all(chunk),
            State::DeflateStart(start) => {
                start.extend_from_slice(chunk);
                if start.len() < 2 {
                    return Ok(());
                }
                let start = std::mem::take(start);
                self.state = if is_zlib_header(start[0], start[1]) {
                    State::Zlib(ZlibDecoder::new(Capped::default()))
                } else {
                    State::RawDeflate(DeflateDecoder::new(Capped::default()))
                };
                return self.push(&start);
            }
        };
        written.map_err(|e| self.failure(e))
    }

    /// Ends the body: the decoded bytes, or why the stream was not complete.
    pub(crate) fn finish(mut self) -> Result<Bytes, (DecodeFailure, Bytes)> {
        let finished = match &mut self.state {
            State::Identity(_) => Ok(()),
            State::Gzip(decoder) => decoder.try_finish(),
            State::Zlib(decoder) => decoder.try_finish(),
            State::RawDeflate(decoder) => decoder.try_finish(),
            // Fewer than two bytes: no deflate stream is that short.
            State::DeflateStart(_) => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the stream ends before it starts",
            )),
        };
        match finished {
            Ok(()) => Ok(self.into_bytes()),
            Err(error) => {
                let failure = self.failure(error);
                Err((failure, self.into_bytes()))
            }
        }
    }

    /// What was decoded so far.
    pub(crate) fn into_bytes(mut self) -> Bytes {
        let out = match &mut self.state {
            State::Identity(out) => out,
            State::Gzip(decoder) => decoder.get_mut(),
            State::Zlib(decoder) => decoder.get_mut(),
            State::RawDeflate(decoder) => decoder.get_mut(),
            State::DeflateStart(_) => return Bytes::new(),
        };
        std::mem::take(&mut out.bytes).freeze()
    }

    fn out(&self) -> Option<&Capped> {
        match &self.state {
            State::Identity(out) => Some(out),
            State::Gzip(decoder) => Some(decoder.get_ref()),
            State::Zlib(decoder) => Some(decoder.get_ref()),
            State::RawDeflate(decoder) => Some(decoder.get_ref()),
            State::DeflateStart(_) => None,
        }
    }

    fn failure(&self, error: io::Error) -> DecodeFailure {
        if self.out().is_some_and(|out| out.full) {
            return DecodeFailure::TooLarge;
        }
        let name = match self.coding {
            Coding::Identity => "identity",
            Coding::Gzip => "gzip",
            Coding::Deflate => "deflate",
        };
        let reason = match error.kind() {
            io::ErrorKind::WriteZero => "bytes follow the end of the compressed stream".to_owned(),
            io::ErrorKind::UnexpectedEof => "the compressed stream is cut short".to_owned(),
            _ => error.to_string(),
        };
        DecodeFailure::Corrupt(format!(
            "the body is not valid {name}, as its `Content-Encoding: {name}` says: {reason}"
        ))
    }
}

/// zlib's header: compression method 8 and a check value divisible by 31 (RFC 1950).
fn is_zlib_header(cmf: u8, flg: u8) -> bool {
    cmf & 0x0f == 8 && (u16::from(cmf) << 8 | u16::from(flg)) % 31 == 0
}

/// Decoded bytes, up to [`MAX_BODY_BYTES`]; a write past the limit keeps what fits and fails.
#[derive(Default)]
struct Capped {
    bytes: BytesMut,
    full: bool,
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let room = MAX_BODY_BYTES - self.bytes.len();
        if buf.len() > room {
            self.bytes.extend_from_slice(&buf[..room]);
            self.full = true;
            return Err(io::Error::other("the body limit is reached"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use flate2::Compression;
    use flate2::write::{DeflateEncoder, GzEncoder, ZlibEncoder};

    use super::*;

    const JSON: &[u8] = br#"{"count": 2, "tasks": [{"id": "t-1"}, {"id": "t-2"}]}"#;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    /// Decodes `body` pushed in chunks of `size`.
    fn decode(coding: Coding, body: &[u8], size: usize) -> Result<Bytes, DecodeFailure> {
        let mut decoder = Decoder::new(coding);
        for chunk in body.chunks(size) {
            decoder.push(chunk)?;
        }
        decoder.finish().map_err(|(failure, _)| failure)
    }

    #[test]
    fn every_coding_decodes_in_any_chunking() {
        let mut zlib = ZlibEncoder::new(Vec::new(), Compression::default());
        zlib.write_all(JSON).unwrap();
        let mut raw = DeflateEncoder::new(Vec::new(), Compression::default());
        raw.write_all(JSON).unwrap();
        let cases = [
            (Coding::Identity, JSON.to_vec()),
            (Coding::Gzip, gzip(JSON)),
            (Coding::Deflate, zlib.finish().unwrap()),
            (Coding::Deflate, raw.finish().unwrap()),
        ];
        for (coding, body) in cases {
            for size in [1, 2, 7, 4096] {
                let decoded = decode(coding, &body, size).unwrap();
                assert_eq!(&decoded[..], JSON, "{coding:?} in chunks of {size}");
            }
        }
    }

    #[test]
    fn the_coding_comes_from_the_header() {
        let of = |value: Option<&'static str>| {
            let mut headers = HeaderMap::new();
            if let Some(value) = value {
                headers.insert(CONTENT_ENCODING, HeaderValue::from_static(value));
            }
            Coding::of(&headers)
        };
        assert_eq!(of(None), Ok(Coding::Identity));
        assert_eq!(of(Some("identity")), Ok(Coding::Identity));
        assert_eq!(of(Some("GZIP")), Ok(Coding::Gzip));
        assert_eq!(of(Some("x-gzip")), Ok(Coding::Gzip));
        assert_eq!(of(Some("deflate")), Ok(Coding::Deflate));
        assert_eq!(of(Some("br")), Err(Unsupported("br".into())));
        assert_eq!(
            of(Some("gzip, gzip")),
            Err(Unsupported("gzip, gzip".into()))
        );
    }

    #[test]
    fn corrupt_and_cut_streams_say_so() {
        let failure = |coding, body: &[u8]| match decode(coding, body, 4096) {
            Err(DecodeFailure::Corrupt(reason)) => reason,
            other => panic!("{other:?}"),
        };
        let plain = failure(Coding::Gzip, JSON);
        assert!(plain.contains("not valid gzip"), "{plain}");
        let full = gzip(JSON);
        let cut = failure(Coding::Gzip, &full[..full.len() - 4]);
        assert!(
            cut.contains("cut short") || cut.contains("corrupt"),
            "{cut}"
        );
        let mut trailing = full.clone();
        trailing.extend_from_slice(b"garbage");
        let extra = failure(Coding::Gzip, &trailing);
        assert!(extra.contains("follow the end"), "{extra}");
        let deflate = failure(Coding::Deflate, b"\xff\xff\xff\xff");
        assert!(deflate.contains("not valid deflate"), "{deflate}");
        let one_byte = failure(Coding::Deflate, b"x");
        assert!(one_byte.contains("not valid deflate"), "{one_byte}");
    }

    #[test]
    fn a_bomb_stops_at_the_limit() {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        let block = vec![b' '; 1 << 20];
        for _ in 0..(MAX_BODY_BYTES >> 20) + 4 {
            e.write_all(&block).unwrap();
        }
        let bomb = e.finish().unwrap();
        let mut decoder = Decoder::new(Coding::Gzip);
        let mut result = Ok(());
        for chunk in bomb.chunks(16 * 1024) {
            result = decoder.push(chunk);
            if result.is_err() {
                break;
            }
        }
        assert!(matches!(result, Err(DecodeFailure::TooLarge)));
        assert_eq!(decoder.into_bytes().len(), MAX_BODY_BYTES);
    }

    #[test]
    fn the_zlib_header_check_follows_rfc_1950() {
        assert!(is_zlib_header(0x78, 0x9c));
        assert!(is_zlib_header(0x78, 0x01));
        assert!(!is_zlib_header(0x78, 0x9d));
        assert!(!is_zlib_header(0x1f, 0x8b));
    }
}
