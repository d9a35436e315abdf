//! Authentication: the credentials a client sends, where they are found, and AK/SK signing.
//!
//! - `credentials.rs`: [`Credentials`] (IAM token, or an AK/SK pair for a project or a domain);
//! - `chain.rs`: the environment and the profile file, in the official SDKs' order;
//! - `signer.rs` and `sdk_date.rs`: SDK-HMAC-SHA256 signing, as the official SDKs do it;
//! - `secret.rs`: a string that never prints.
//!
//! ```
//! use sms_api::auth::Credentials;
//!
//! let credentials = Credentials::iam_token("MIIZ-secret-token");
//! assert!(!format!("{credentials:?}").contains("MIIZ"));
//! ```

mod chain;
mod credentials;
mod sdk_date;
mod secret;
pub(crate) mod signer;

pub use chain::CredentialsError;
pub(crate) use credentials::Auth;
pub use credentials::{BasicCredentials, Credentials, GlobalCredentials};
