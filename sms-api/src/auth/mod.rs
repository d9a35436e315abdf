//! Authentication: the credentials a client sends, where they are found, and AK/SK signing.
//!
//! - `credentials.rs`: [`Credentials`] (IAM token, or an AK/SK pair for a project or a domain);
//! - `chain.rs`: the official SDKs' default chain, in their order;
//! - `temporary.rs`: [`TemporaryCredentials`], and reading them from a source's answer;
//! - `provider.rs`: [`ProvideCredentials`], and the cache that refreshes them before they
//!   expire, once for all concurrent requests;
//! - `sources/`: the ECS metadata service, CCE pod identity, IAM federation, STS (OIDC);
//! - `signer.rs` and `sdk_date.rs`: SDK-HMAC-SHA256 signing, as the official SDKs do it;
//! - `secret.rs`: a string that never prints; `endpoint_url.rs`: an endpoint URL shown
//!   without its password, and whether secrets may go to it in clear (loopback, link-local).
//!
//! ```
//! use sms_api::auth::Credentials;
//!
//! let credentials = Credentials::iam_token("MIIZ-secret-token");
//! assert!(!format!("{credentials:?}").contains("MIIZ"));
//! ```

pub(crate) mod chain;
mod credentials;
pub(crate) mod endpoint_url;
mod http_client;
mod provider;
mod sdk_date;
mod secret;
pub(crate) use secret::Secret;
pub(crate) mod signer;
pub(crate) mod sources;
pub(crate) mod temporary;

pub(crate) use crate::error::CredentialsError;
pub(crate) use credentials::{Auth, security_token_header};
pub use credentials::{BasicCredentials, Credentials, GlobalCredentials};
pub use http_client::HttpClient;
pub(crate) use provider::RefreshContext;
pub use provider::{
    DEFAULT_LOAD_TIMEOUT, DEFAULT_REFRESH_BEFORE, MIN_REFRESH_BEFORE, ProvideCredentials,
    ProvideFuture,
};
pub use sources::MAX_ANSWER_BYTES;
pub use sources::ecs_metadata::{
    DEFAULT_ENDPOINT as DEFAULT_METADATA_ENDPOINT, ENDPOINT_ENV as METADATA_ENDPOINT_ENV,
};
pub use temporary::TemporaryCredentials;
