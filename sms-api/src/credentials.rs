//! What the client authenticates with.

use std::fmt;

use reqwest::header::{HeaderName, HeaderValue};

use crate::secret::Secret;

/// The header that carries an IAM token (the spec's `iam_token` security scheme).
const X_AUTH_TOKEN: HeaderName = HeaderName::from_static("x-auth-token");

/// Largest IAM token the service documents, in characters.
const MAX_TOKEN_LEN: usize = 16_384;

/// Credentials attached to every request the client sends.
///
/// `Debug` never shows a secret:
///
/// ```
/// use sms_api::Credentials;
///
/// let credentials = Credentials::iam_token("MIIZ-secret-token");
/// assert_eq!(format!("{credentials:?}"), "Credentials::IamToken(<redacted>)");
/// ```
#[derive(Clone)]
pub struct Credentials(Kind);

/// The kinds of credentials; AK/SK signing joins them here.
#[derive(Clone)]
enum Kind {
    IamToken(Secret),
}

impl Credentials {
    /// Authenticates with an IAM user token, from the `X-Subject-Token` header of IAM's token
    /// API; it is sent as `X-Auth-Token`, marked sensitive.
    ///
    /// ```
    /// let credentials = sms_api::Credentials::iam_token("MIIZ-secret-token");
    /// # let _ = credentials;
    /// ```
    pub fn iam_token(token: impl Into<String>) -> Self {
        Credentials(Kind::IamToken(Secret::new(token)))
    }

    /// Checks the credentials and turns them into the headers to attach, or says what is wrong
    /// (without ever quoting a secret).
    pub(crate) fn to_headers(&self) -> Result<Vec<(HeaderName, HeaderValue)>, String> {
        match &self.0 {
            Kind::IamToken(token) => {
                let token = token.expose();
                let len = token.chars().count();
                if len == 0 || len > MAX_TOKEN_LEN {
                    return Err(format!(
                        "the IAM token must be 1 to {MAX_TOKEN_LEN} characters long, it has {len}"
                    ));
                }
                let mut value = HeaderValue::from_str(token).map_err(|_| {
                    "the IAM token contains characters that cannot be sent in a header".to_owned()
                })?;
                value.set_sensitive(true);
                Ok(vec![(X_AUTH_TOKEN, value)])
            }
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Kind::IamToken(token) => write!(f, "Credentials::IamToken({token:?})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Credentials;

    #[test]
    fn token_header_is_sensitive() {
        let headers = Credentials::iam_token("abc").to_headers().unwrap();
        assert_eq!(headers.len(), 1);
        assert_eq!(headers[0].0, "x-auth-token");
        assert_eq!(headers[0].1, "abc");
        assert!(headers[0].1.is_sensitive());
    }

    #[test]
    fn bad_tokens_are_refused_without_quoting_them() {
        let empty = Credentials::iam_token("").to_headers().unwrap_err();
        assert_eq!(
            empty,
            "the IAM token must be 1 to 16384 characters long, it has 0"
        );
        let long = Credentials::iam_token("x".repeat(16_385))
            .to_headers()
            .unwrap_err();
        assert!(long.ends_with("it has 16385"), "{long}");
        let newline = Credentials::iam_token("secret\nvalue")
            .to_headers()
            .unwrap_err();
        assert!(!newline.contains("secret"), "{newline}");
    }
}
