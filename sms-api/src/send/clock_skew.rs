//! A gateway that refuses a signature as expired, and the time it says it is. Huawei Cloud's
//! API gateway refuses an AK/SK request whose `X-Sdk-Date` is more than 15 minutes from its own
//! time: HTTP 401, `APIGW.0301` (`APIG.0303` for app authentication), "Incorrect IAM
//! authentication information: calc ak sk signature fail:signature expired, signature
//! time:20261201T181317Z,server time:20261201T183317Z". The attempt loop takes the gateway's
//! time from the message (or else the answer's `Date`), corrects the client's clock, and
//! signs the request again, once.

use std::time::SystemTime;

use reqwest::StatusCode;
use reqwest::header::{DATE, HeaderMap};

use super::retry_after::http_date;
use crate::calendar::utc;

/// The gateway's time, when an answer refuses the request's signature as expired.
pub(crate) fn gateway_time(
    status: StatusCode,
    code: Option<&str>,
    message: Option<&str>,
    headers: &HeaderMap,
) -> Option<SystemTime> {
    if status != StatusCode::UNAUTHORIZED {
        return None;
    }
    let code = code?;
    let (prefix, number) = code.split_once('.')?;
    if !matches!(prefix, "APIG" | "APIGW") || !matches!(number, "0301" | "0303") {
        return None;
    }
    let message = message?;
    if !message.to_ascii_lowercase().contains("signature expired") {
        return None;
    }
    server_time(message).or_else(|| {
        let date = headers.get(DATE)?.to_str().ok()?;
        http_date(date)
    })
}

/// `server time:20261201T183317Z` in a message, as a time.
fn server_time(message: &str) -> Option<SystemTime> {
    let lower = message.to_ascii_lowercase();
    let at = lower.find("server time:")? + "server time:".len();
    let text = message.get(at..)?.trim_start();
    sdk_date(text.get(..16)?)
}

/// `20261201T183317Z` (the `X-Sdk-Date` format) as a time.
fn sdk_date(text: &str) -> Option<SystemTime> {
    let bytes = text.as_bytes();
    if bytes.len() != 16 || bytes[8] != b'T' || bytes[15] != b'Z' {
        return None;
    }
    let number = |from: usize, to: usize| text.get(from..to)?.parse::<u64>().ok();
    let date = (
        number(0, 4)? as i64,
        number(4, 6)? as i64,
        number(6, 8)? as i64,
    );
    utc(date, (number(9, 11)?, number(11, 13)?, number(13, 15)?), 0).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSAGE: &str = "Incorrect IAM authentication information: calc ak sk signature fail:signature expired, signature time:20261201T181317Z,server time:20261201T183317Z";

    fn at(text: &str) -> SystemTime {
        sdk_date(text).unwrap()
    }

    #[test]
    fn the_gateways_time_comes_from_its_message_or_its_date() {
        let none = HeaderMap::new();
        let unauthorized = StatusCode::UNAUTHORIZED;
        assert_eq!(
            gateway_time(unauthorized, Some("APIGW.0301"), Some(MESSAGE), &none),
            Some(at("20261201T183317Z"))
        );
        assert_eq!(
            gateway_time(unauthorized, Some("APIG.0303"), Some(MESSAGE), &none),
            Some(at("20261201T183317Z"))
        );
        let mut dated = HeaderMap::new();
        dated.insert(DATE, "Tue, 01 Dec 2026 18:40:00 GMT".parse().unwrap());
        let no_time = "calc ak sk signature fail:signature expired";
        assert_eq!(
            gateway_time(unauthorized, Some("APIGW.0301"), Some(no_time), &dated),
            Some(at("20261201T184000Z"))
        );
        assert_eq!(
            gateway_time(unauthorized, Some("APIGW.0301"), Some(no_time), &none),
            None
        );
    }

    #[test]
    fn other_refusals_are_not_skew() {
        let none = HeaderMap::new();
        for (status, code, message) in [
            (
                401,
                "APIGW.0301",
                "Incorrect IAM authentication information: verify aksk signature fail",
            ),
            (401, "APIGW.0101", MESSAGE),
            (403, "APIGW.0301", MESSAGE),
            (401, "SMS.0301", MESSAGE),
        ] {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(
                gateway_time(status, Some(code), Some(message), &none),
                None,
                "{code} {message}"
            );
        }
        for bad in [
            "2026120XT183317Z",
            "20261301T183317Z",
            "20261201 183317Z",
            "x",
        ] {
            assert_eq!(sdk_date(bad), None, "{bad}");
        }
    }
}
