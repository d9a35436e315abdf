//! Finding credentials where Huawei Cloud users keep them, in the order the official SDKs use:
//! the environment, then the profile file.

use std::fmt;
use std::path::{Path, PathBuf};

use super::Credentials;

const ENV_AK: &str = "HUAWEICLOUD_SDK_AK";
const ENV_SK: &str = "HUAWEICLOUD_SDK_SK";
const ENV_PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
const ENV_CREDENTIALS_FILE: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";
/// The profile file, relative to the home directory.
const DEFAULT_FILE: &str = ".huaweicloud/credentials";
const SECTION: &str = "basic";

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
            CredentialsError::NotFound { looked } => write!(
                f,
                "no credentials found; looked in {}",
                looked.join(", then ")
            ),
        }
    }
}

impl std::error::Error for CredentialsError {}

impl Credentials {
    /// Credentials from the environment: `HUAWEICLOUD_SDK_AK` and `HUAWEICLOUD_SDK_SK`, with the
    /// optional `HUAWEICLOUD_SDK_PROJECT_ID` and `HUAWEICLOUD_SDK_SECURITY_TOKEN`. `Ok(None)` when
    /// neither key is set; an error when only one is.
    ///
    /// ```no_run
    /// if let Some(credentials) = sms_api::Credentials::from_env()? {
    ///     println!("{credentials:?}");
    /// }
    /// # Ok::<(), sms_api::CredentialsError>(())
    /// ```
    pub fn from_env() -> Result<Option<Credentials>, CredentialsError> {
        from_env_with(&env)
    }

    /// Credentials from the `[basic]` section (`ak`, `sk`, `project_id`, `security_token`) of the
    /// profile file: `HUAWEICLOUD_SDK_CREDENTIALS_FILE`, or `~/.huaweicloud/credentials`.
    /// `Ok(None)` when the default file does not exist; an error when a named file does not.
    ///
    /// ```no_run
    /// let credentials = sms_api::Credentials::from_profile_file()?;
    /// # Ok::<(), sms_api::CredentialsError>(())
    /// ```
    pub fn from_profile_file() -> Result<Option<Credentials>, CredentialsError> {
        let (path, named) = profile_path(&env).ok_or_else(|| CredentialsError::NotFound {
            looked: vec!["the profile file (HOME is not set)".to_owned()],
        })?;
        from_file(&path, named)
    }

    /// The chain the official SDKs use: the environment, then the profile file. The error says
    /// where it looked and what was missing.
    ///
    /// ```no_run
    /// let client = sms_api::Client::builder()
    ///     .region("cn-north-4")
    ///     .credentials(sms_api::Credentials::from_default_chain()?)
    ///     .build()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_default_chain() -> Result<Credentials, CredentialsError> {
        chain_with(&env)
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The chain, reading the environment through `env` (tests pass their own).
pub(crate) fn chain_with(
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Credentials, CredentialsError> {
    let mut looked = Vec::new();
    if let Some(found) = from_env_with(env)? {
        return Ok(found);
    }
    looked.push(format!("the environment ({ENV_AK}, {ENV_SK}: not set)"));
    match profile_path(env) {
        None => looked.push("the profile file (HOME is not set)".to_owned()),
        Some((path, named)) => {
            if let Some(found) = from_file(&path, named)? {
                return Ok(found);
            }
            looked.push(format!("{} (no such file)", path.display()));
        }
    }
    Err(CredentialsError::NotFound { looked })
}

fn from_env_with(
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Credentials>, CredentialsError> {
    let (ak, sk) = (env(ENV_AK), env(ENV_SK));
    let (ak, sk) = match (ak, sk) {
        (None, None) => return Ok(None),
        (Some(ak), Some(sk)) => (ak, sk),
        (ak, _) => {
            let missing = if ak.is_none() { ENV_AK } else { ENV_SK };
            return Err(CredentialsError::Incomplete {
                source: "the environment".to_owned(),
                missing: vec![missing],
            });
        }
    };
    Ok(Some(basic(
        ak,
        sk,
        env(ENV_PROJECT_ID),
        env(ENV_SECURITY_TOKEN),
    )))
}

fn basic(
    ak: String,
    sk: String,
    project_id: Option<String>,
    security_token: Option<String>,
) -> Credentials {
    let mut credentials = Credentials::basic(ak, sk);
    if let Some(project_id) = project_id {
        credentials = credentials.project_id(project_id);
    }
    if let Some(token) = security_token {
        credentials = credentials.security_token(token);
    }
    credentials.into()
}

/// The profile file's path, and whether it was named explicitly.
fn profile_path(env: &dyn Fn(&str) -> Option<String>) -> Option<(PathBuf, bool)> {
    if let Some(named) = env(ENV_CREDENTIALS_FILE) {
        return Some((PathBuf::from(named), true));
    }
    env("HOME").map(|home| (Path::new(&home).join(DEFAULT_FILE), false))
}

fn from_file(path: &Path, named: bool) -> Result<Option<Credentials>, CredentialsError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !named => return Ok(None),
        Err(e) => {
            return Err(CredentialsError::Unreadable {
                path: path.to_owned(),
                reason: e.to_string(),
            });
        }
    };
    let mut section = String::new();
    let (mut ak, mut sk, mut project_id, mut security_token) = (None, None, None, None);
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim().to_ascii_lowercase();
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(CredentialsError::Malformed {
                path: path.to_owned(),
                line: index + 1,
            });
        };
        if section != SECTION {
            continue;
        }
        let value = Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        match key.trim().to_ascii_lowercase().as_str() {
            "ak" => ak = value,
            "sk" => sk = value,
            "project_id" => project_id = value,
            "security_token" => security_token = value,
            _ => {}
        }
    }
    let source = || format!("[{SECTION}] of {}", path.display());
    match (ak, sk) {
        (Some(ak), Some(sk)) => Ok(Some(basic(ak, sk, project_id, security_token))),
        (None, None) => Err(CredentialsError::Incomplete {
            source: source(),
            missing: vec!["ak", "sk"],
        }),
        (ak, _) => {
            let missing = if ak.is_none() { "ak" } else { "sk" };
            Err(CredentialsError::Incomplete {
                source: source(),
                missing: vec![missing],
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// A fresh directory under the system's temporary directory.
    fn temp_home(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("sms-api-chain-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join(".huaweicloud")).unwrap();
        dir
    }

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn shown(result: Result<Credentials, CredentialsError>) -> String {
        match result {
            Ok(credentials) => format!("{credentials:?}"),
            Err(error) => format!("error: {error}"),
        }
    }

    #[test]
    fn the_environment_comes_first() {
        let home = temp_home("env-first");
        std::fs::write(
            home.join(DEFAULT_FILE),
            "[basic]\nak = FILEAK\nsk = FILESK\n",
        )
        .unwrap();
        let env = lookup(&[
            ("HOME", home.to_str().unwrap()),
            (ENV_AK, "ENVAK"),
            (ENV_SK, "ENVSK"),
            (ENV_PROJECT_ID, "p1"),
            (ENV_SECURITY_TOKEN, "st"),
        ]);
        assert_eq!(
            shown(chain_with(&env)),
            "Credentials::Basic { ak: \"ENVAK\", sk: <redacted>, project_id: Some(\"p1\"), security_token: Some(<redacted>) }"
        );
    }

    #[test]
    fn the_profile_file_comes_next() {
        let home = temp_home("file-next");
        let text =
            "# comment\n[other]\nak = NO\n\n[basic]\nak = FILEAK\nsk = FILESK\nproject_id = p2\n";
        std::fs::write(home.join(DEFAULT_FILE), text).unwrap();
        let env = lookup(&[("HOME", home.to_str().unwrap())]);
        assert_eq!(
            shown(chain_with(&env)),
            "Credentials::Basic { ak: \"FILEAK\", sk: <redacted>, project_id: Some(\"p2\"), security_token: None }"
        );
    }

    #[test]
    fn a_named_file_overrides_the_default_path() {
        let home = temp_home("named");
        let named = home.join("elsewhere.ini");
        std::fs::write(&named, "[basic]\nak=A\nsk=S\n").unwrap();
        let env = lookup(&[
            ("HOME", "/nonexistent"),
            (ENV_CREDENTIALS_FILE, named.to_str().unwrap()),
        ]);
        assert!(shown(chain_with(&env)).starts_with("Credentials::Basic { ak: \"A\""));
        let missing = lookup(&[(ENV_CREDENTIALS_FILE, "/nonexistent/credentials")]);
        let error = chain_with(&missing).unwrap_err();
        assert!(
            matches!(error, CredentialsError::Unreadable { ref path, .. } if path == Path::new("/nonexistent/credentials"))
        );
    }

    #[test]
    fn half_filled_sources_say_what_is_missing_and_where() {
        let env = lookup(&[(ENV_AK, "A")]);
        assert_eq!(
            shown(chain_with(&env)),
            "error: incomplete credentials in the environment: HUAWEICLOUD_SDK_SK is missing"
        );
        let home = temp_home("half");
        std::fs::write(home.join(DEFAULT_FILE), "[basic]\nsk = SECRETVALUE\n").unwrap();
        let env = lookup(&[("HOME", home.to_str().unwrap())]);
        let error = shown(chain_with(&env));
        assert_eq!(
            error,
            format!(
                "error: incomplete credentials in [basic] of {}: ak is missing",
                home.join(DEFAULT_FILE).display()
            )
        );
        assert!(!error.contains("SECRETVALUE"));
    }

    #[test]
    fn nothing_found_lists_where_it_looked() {
        let home = temp_home("nothing");
        let env = lookup(&[("HOME", home.to_str().unwrap())]);
        assert_eq!(
            shown(chain_with(&env)),
            format!(
                "error: no credentials found; looked in the environment (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK: not set), then {} (no such file)",
                home.join(DEFAULT_FILE).display()
            )
        );
        assert!(
            shown(chain_with(&lookup(&[]))).ends_with("then the profile file (HOME is not set)")
        );
    }

    #[test]
    fn a_malformed_file_names_the_line() {
        let home = temp_home("malformed");
        std::fs::write(
            home.join(DEFAULT_FILE),
            "[basic]\nak = A\nthis is not ini\n",
        )
        .unwrap();
        let env = lookup(&[("HOME", home.to_str().unwrap())]);
        assert!(matches!(
            chain_with(&env),
            Err(CredentialsError::Malformed { line: 3, .. })
        ));
    }
}
