//! Temporary credentials: an AK/SK pair with its security token and expiry, as IAM, STS, the
//! ECS metadata service and CCE pod identity hand them out, and reading their answers.

use std::fmt;
use std::time::SystemTime;

use serde_json::Value;

use super::secret::Secret;
use crate::calendar::{NotATime, utc};

/// An AK/SK pair that expires, with the security token that goes with it. `Debug` shows only
/// the access key and the expiry.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use sms_api::auth::TemporaryCredentials;
///
/// let credentials = TemporaryCredentials::new(
///     "HST3EXAMPLEAK",
///     "secret-key",
///     Some("security-token".into()),
///     Some(UNIX_EPOCH + Duration::from_secs(1_800_000_000)),
/// );
/// let shown = format!("{credentials:?}");
/// assert!(shown.contains("HST3EXAMPLEAK") && !shown.contains("secret") && !shown.contains("security-token"));
/// ```
#[derive(Clone)]
pub struct TemporaryCredentials {
    pub(crate) ak: String,
    pub(crate) sk: Secret,
    pub(crate) security_token: Option<Secret>,
    pub(crate) expires_at: Option<SystemTime>,
}

impl TemporaryCredentials {
    /// Credentials from a source of your own ([`ProvideCredentials`](super::ProvideCredentials)):
    /// `expires_at` `None` for credentials that do not expire.
    pub fn new(
        ak: impl Into<String>,
        sk: impl Into<String>,
        security_token: Option<String>,
        expires_at: Option<SystemTime>,
    ) -> Self {
        TemporaryCredentials {
            ak: ak.into(),
            sk: Secret::new(sk),
            security_token: security_token.map(Secret::new),
            expires_at,
        }
    }

    /// The access key (not a secret).
    pub fn access_key(&self) -> &str {
        &self.ak
    }

    /// When they expire, if they do.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }
}

impl fmt::Debug for TemporaryCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TemporaryCredentials")
            .field("ak", &self.ak)
            .field("sk", &self.sk)
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// The credentials in an answer of IAM, STS, the metadata service or pod identity:
/// `{"credential": {"access", "secret", "securitytoken", "expires_at"}}`, with the other
/// spellings the official SDKs accept (`credentials`; `accessKeyId`, `access_key_id`;
/// `secretAccessKey`, `secret_access_key`; `securityToken`, `security_token`; `expiration`).
/// The error never quotes the body: it holds secrets.
pub(crate) fn parse(body: &[u8]) -> Result<TemporaryCredentials, String> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| format!("the answer is not JSON: {e}"))?;
    let credential = value
        .get("credential")
        .or_else(|| value.get("credentials"))
        .unwrap_or(&value);
    let field = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| credential.get(*n).and_then(Value::as_str))
            .map(str::to_owned)
    };
    let ak = field(&["access", "accessKeyId", "access_key_id"])
        .ok_or("the answer has no access key (`credential.access`)")?;
    let sk = field(&["secret", "secretAccessKey", "secret_access_key"])
        .ok_or("the answer has no secret key (`credential.secret`)")?;
    let security_token = field(&["securitytoken", "securityToken", "security_token"]);
    let expires_at = match field(&["expires_at", "expiration"]) {
        // Its text is not quoted: an answer that is not what it should be may hold anything.
        Some(text) => Some(parse_time(&text).map_err(|why| match why {
            Some(why) => format!("`expires_at` is not a usable time: {why}"),
            None => "`expires_at` is not a UTC time like 2026-11-27T12:00:00Z".to_owned(),
        })?),
        None => None,
    };
    Ok(TemporaryCredentials {
        ak,
        sk: Secret::new(sk),
        security_token: security_token.map(Secret::new),
        expires_at,
    })
}

/// `2026-11-27T12:00:00.000000Z` (any fraction, or none) as a time; `Err(None)` when it does
/// not have that shape, `Err(Some(why))` when it does but is no time this system holds.
pub(crate) fn parse_time(text: &str) -> Result<SystemTime, Option<NotATime>> {
    let (year, month, day, time) = parse_parts(text).ok_or(None)?;
    utc((year, month, day), time.0, time.1).map_err(Some)
}

/// The parts of `2026-11-27T12:00:00.000000Z`: year, month, day, and the time of day with
/// its nanoseconds.
#[allow(clippy::type_complexity)]
fn parse_parts(text: &str) -> Option<(i64, i64, i64, ((u64, u64, u64), u32))> {
    let text = text.strip_suffix('Z')?;
    let (date, time) = text.split_once('T')?;
    let mut date = date.split('-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (date.next()??, date.next()??, date.next()??);
    let (time, fraction) = time.split_once('.').unwrap_or((time, ""));
    let mut time = time.split(':').map(|p| p.parse::<u64>().ok());
    let (hour, minute, second) = (time.next()??, time.next()??, time.next()??);
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = &fraction[..fraction.len().min(9)];
    let nanos = if digits.is_empty() {
        0
    } else {
        digits.parse::<u32>().ok()? * 10u32.pow(9 - digits.len() as u32)
    };
    Some((year, month, day, ((hour, minute, second), nanos)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn every_spelling_the_official_sdks_accept() {
        let official = br#"{"credential": {"access": "AK1", "secret": "SK1", "securitytoken": "ST1", "expires_at": "2026-11-27T12:00:00.000000Z"}}"#;
        let parsed = parse(official).unwrap();
        assert_eq!(parsed.ak, "AK1");
        assert_eq!(parsed.sk.expose(), "SK1");
        assert_eq!(parsed.security_token.as_ref().unwrap().expose(), "ST1");
        assert_eq!(parsed.expires_at, parse_time("2026-11-27T12:00:00Z").ok());
        let other = br#"{"credentials": {"accessKeyId": "AK2", "secretAccessKey": "SK2", "securityToken": "ST2", "expiration": "2026-11-27T12:00:00.5Z"}}"#;
        let parsed = parse(other).unwrap();
        assert_eq!(parsed.ak, "AK2");
        assert_eq!(
            parsed
                .expires_at
                .unwrap()
                .duration_since(parse_time("2026-11-27T12:00:00Z").unwrap())
                .unwrap(),
            Duration::from_millis(500)
        );
        let error = parse(br#"{"credential": {"secret": "SK-NEVER-SHOWN"}}"#).unwrap_err();
        assert!(
            !error.contains("SK-NEVER-SHOWN") && error.contains("access key"),
            "{error}"
        );
        assert!(
            parse(b"<html>")
                .unwrap_err()
                .starts_with("the answer is not JSON")
        );
    }

    #[test]
    fn utc_times_parse_to_the_second() {
        let t = parse_time("2026-11-27T12:00:00.000000Z").unwrap();
        assert_eq!(
            t.duration_since(UNIX_EPOCH).unwrap().as_secs(),
            1_795_780_800
        );
        assert_eq!(parse_time("1970-01-01T00:00:00Z"), Ok(UNIX_EPOCH));
        for bad in [
            "2026-11-27 12:00:00Z",
            "2026-11-27T12:00:00",
            "2026-11-27T12:00:00.1éZ",
            "2026-11-27T12:00:00.+1Z",
            "x",
        ] {
            assert_eq!(parse_time(bad), Err(None), "{bad}");
        }
        assert_eq!(
            parse_time("2026-13-01T00:00:00Z"),
            Err(Some(NotATime::PartOutOfRange))
        );
    }

    #[test]
    fn an_expiry_no_clock_holds_is_an_error_naming_the_field() {
        // Found by the fuzz target `credentials_answer`: the field's text was quoted, so a
        // source that put a secret in it had it shown.
        let error = parse(br#"{"credential": {"access": "1", "secret": "SK-246913578", "expires_at": "2026-11-27T12:00:SK-246913578Z"}}"#).unwrap_err();
        assert!(!error.contains("SK-246913578"), "{error}");
        for year in ["300000000000", "9223372036854775807", "1969"] {
            let body = format!(
                r#"{{"credential": {{"access": "AK", "secret": "SK", "expires_at": "{year}-01-01T00:00:00Z"}}}}"#
            );
            let error = parse(body.as_bytes()).unwrap_err();
            assert!(
                error.starts_with(
                    "`expires_at` is not a usable time: it is before 1970 or past what this system's clock can hold"
                ),
                "{error}"
            );
        }
    }
}
