//! How [`FakeService`](super::FakeService) answers `Accept-Encoding`: as a gateway that
//! compresses, with gzip or deflate when the client asks for one, else plain.

use std::io::Write;

use flate2::Compression;
use flate2::write::{GzEncoder, ZlibEncoder};

/// A content coding the fake service can send.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Encoding {
    Gzip,
    /// HTTP's `deflate`: a zlib stream (RFC 9110, 8.4.1.2).
    Deflate,
}

impl Encoding {
    /// The `Content-Encoding` value.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Encoding::Gzip => "gzip",
            Encoding::Deflate => "deflate",
        }
    }

    /// The coding to answer an `Accept-Encoding` header with: gzip if accepted, else deflate,
    /// else none. A coding with `q=0` is refused, as the header's grammar says.
    pub(crate) fn negotiate(accept_encoding: &str) -> Option<Encoding> {
        let accepted = |wanted: &str| {
            accept_encoding.split(',').any(|item| {
                let mut parts = item.split(';').map(str::trim);
                let coding = parts.next().unwrap_or_default();
                let refused = parts.any(|p| {
                    p.strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                        .is_some_and(|q| q <= 0.0)
                });
                (coding.eq_ignore_ascii_case(wanted) || coding == "*") && !refused
            })
        };
        [Encoding::Gzip, Encoding::Deflate]
            .into_iter()
            .find(|e| accepted(e.name()))
    }

    /// `body`, compressed at zlib's default level (6).
    pub(crate) fn encode(self, body: &[u8]) -> Vec<u8> {
        let level = Compression::default();
        let written = match self {
            Encoding::Gzip => {
                let mut encoder = GzEncoder::new(Vec::with_capacity(body.len() / 8), level);
                encoder.write_all(body).and_then(|()| encoder.finish())
            }
            Encoding::Deflate => {
                let mut encoder = ZlibEncoder::new(Vec::with_capacity(body.len() / 8), level);
                encoder.write_all(body).and_then(|()| encoder.finish())
            }
        };
        // Writing into a Vec cannot fail.
        written.unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn negotiation_follows_the_header() {
        let cases = [
            ("gzip, deflate", Some(Encoding::Gzip)),
            ("deflate", Some(Encoding::Deflate)),
            ("br;q=1.0, deflate;q=0.5", Some(Encoding::Deflate)),
            ("gzip;q=0, deflate", Some(Encoding::Deflate)),
            ("GZIP", Some(Encoding::Gzip)),
            ("*", Some(Encoding::Gzip)),
            ("identity", None),
            ("br, zstd", None),
            ("", None),
        ];
        for (header, expected) in cases {
            assert_eq!(Encoding::negotiate(header), expected, "{header:?}");
        }
    }

    #[test]
    fn encoded_bodies_decode_to_the_original() {
        let body = br#"{"count": 1, "tasks": [{"id": "t-1"}]}"#.repeat(50);
        let gzip = Encoding::Gzip.encode(&body);
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, body);
        let deflate = Encoding::Deflate.encode(&body);
        let mut decoded = Vec::new();
        flate2::read::ZlibDecoder::new(&deflate[..])
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, body);
        assert!(
            gzip.len() < body.len() / 5,
            "{} of {}",
            gzip.len(),
            body.len()
        );
    }
}
