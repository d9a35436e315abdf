//! [`CredentialsError`]: why credentials could not be found or used. Plain data, with the
//! other errors: the credentials sources (`auth/`) build it, the events and the call's
//! [`Error`](super::Error) carry it, and `sms_api::auth` re-exports it where users meet it.

use std::fmt;
use std::path::PathBuf;

/// Why credentials could not be found or used. Never quotes a secret.
///
/// ```
/// use sms_api::CredentialsError;
///
/// let error = CredentialsError::Incomplete { source: "the environment".into(), missing: vec!["HUAWEICLOUD_SDK_SK"] };
/// assert_eq!(error.to_string(), "incomplete credentials in the environment: HUAWEICLOUD_SDK_SK is missing");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsError {
    /// A source had some credentials but not all.
    Incomplete {
        /// Where, e.g. "the environment" or "`[basic]` of /home/me/.huaweicloud/credentials".
        source: String,
        /// What is missing, by name.
        missing: Vec<&'static str>,
    },
    /// The profile file could not be read.
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A line of the profile file is not INI.
    Malformed {
        /// The file.
        path: PathBuf,
        /// The line number, from 1.
        line: usize,
    },
    /// A source of temporary credentials (the metadata service, pod identity, IAM, STS) did not
    /// give them.
    Source {
        /// Which, and where.
        source: String,
        /// What happened (never a secret: bodies are not quoted).
        reason: String,
        /// It could not be reached (the chain then moves on).
        unreachable: bool,
    },
    /// A source of temporary credentials did not answer within the load timeout.
    TimedOut {
        /// Which, and where.
        source: String,
        /// How long it was given.
        after: std::time::Duration,
    },
    /// The temporary credentials expired (or are about to) and no new ones came in time, so
    /// nothing was signed or sent.
    Expired {
        /// Where they came from.
        source: String,
    },
    /// No source had credentials.
    NotFound {
        /// Every place looked, in order, with what was found there.
        looked: Vec<String>,
    },
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsError::Incomplete { source, missing } => {
                let verb = if missing.len() == 1 { "is" } else { "are" };
                write!(
                    f,
                    "incomplete credentials in {source}: {} {verb} missing",
                    missing.join(" and ")
                )
            }
            CredentialsError::Unreadable { path, reason } => {
                write!(
                    f,
                    "cannot read the credentials file {}: {reason}",
                    path.display()
                )
            }
            CredentialsError::Malformed { path, line } => write!(
                f,
                "the credentials file {} is not INI at line {line} (expected `[section]` or `key = value`)",
                path.display()
            ),
            CredentialsError::Source { source, reason, .. } => write!(f, "{source}: {reason}"),
            CredentialsError::TimedOut { source, after } => {
                write!(f, "{source} did not answer within {}s", after.as_secs_f64())
            }
            CredentialsError::Expired { source } => write!(
                f,
                "the credentials from {source} expire before a request could arrive, and no new ones came: nothing was sent"
            ),
            CredentialsError::NotFound { looked } => write!(
                f,
                "no credentials found; looked in {}",
                looked.join(", then ")
            ),
        }
    }
}

impl std::error::Error for CredentialsError {}
