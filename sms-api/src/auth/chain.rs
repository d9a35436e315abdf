//! Finding credentials where Huawei Cloud users keep them, in the order of the official SDKs'
//! default chain: OIDC through STS, the environment (an AK/SK pair, or an IdP's ID token for
//! IAM federation), the profile file (the same two), then, at the first request since they
//! need the network, the ECS metadata service and CCE pod identity
//! (`sources/lazy_chain.rs`).

use std::path::{Path, PathBuf};

use super::Credentials;
use super::sources::ecs_metadata::EcsMetadata;
use super::sources::id_token::{DEFAULT_IAM_ENDPOINT, IAM_ENDPOINT_ENV, IdToken};
use super::sources::lazy_chain::LazyChain;
use super::sources::oidc::Oidc;
use super::sources::pod_identity::PodIdentity;
use crate::error::CredentialsError;

const ENV_AK: &str = "HUAWEICLOUD_SDK_AK";
const ENV_SK: &str = "HUAWEICLOUD_SDK_SK";
const ENV_PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
const ENV_CREDENTIALS_FILE: &str = "HUAWEICLOUD_SDK_CREDENTIALS_FILE";
const ENV_IDP_ID: &str = "HUAWEICLOUD_SDK_IDP_ID";
const ENV_ID_TOKEN_FILE: &str = "HUAWEICLOUD_SDK_ID_TOKEN_FILE";
/// The profile file, relative to the home directory.
const DEFAULT_FILE: &str = ".huaweicloud/credentials";
const SECTION: &str = "basic";

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

    /// The chain the official SDKs use: OIDC through STS (`HUAWEICLOUD_OIDC_*`), the
    /// environment (`HUAWEICLOUD_SDK_AK`/`_SK`, or `HUAWEICLOUD_SDK_IDP_ID` with
    /// `HUAWEICLOUD_SDK_ID_TOKEN_FILE`), the profile file, then CCE pod identity (when its
    /// variables are set: before the metadata service, which in a pod answers with the node's
    /// agency; the official SDKs ask the metadata service first) and the ECS metadata service.
    /// The last two are tried at the first request
    /// (they need the network); when neither gives credentials, that request fails with an
    /// error of kind [`Credentials`](crate::ErrorKind::Credentials) that says what every source
    /// said. An error here is a source that is half filled or unreadable.
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

impl Credentials {
    /// Temporary credentials from the ECS metadata service (the agency of the instance the
    /// program runs on), at `http://169.254.169.254` unless `HUAWEICLOUD_SDK_METADATA_ENDPOINT`
    /// names another address.
    ///
    /// ```
    /// let credentials = sms_api::Credentials::from_ecs_metadata();
    /// assert_eq!(credentials.source(), "the ECS metadata service");
    /// ```
    pub fn from_ecs_metadata() -> Credentials {
        Credentials::from_provider(EcsMetadata::from_env(&env))
    }

    /// Temporary credentials from CCE pod identity: `HC_CONTAINER_CREDENTIALS_FULL_URI` and
    /// `HC_CONTAINER_AUTHORIZATION_TOKEN_FILE` must be set.
    ///
    /// ```no_run
    /// let credentials = sms_api::Credentials::from_pod_identity()?;
    /// # Ok::<(), sms_api::CredentialsError>(())
    /// ```
    pub fn from_pod_identity() -> Result<Credentials, CredentialsError> {
        PodIdentity::from_env(&env)
            .map(Credentials::from_provider)
            .ok_or_else(|| CredentialsError::Incomplete {
                source: "the environment (CCE pod identity)".to_owned(),
                missing: vec![
                    super::sources::pod_identity::URI_ENV,
                    super::sources::pod_identity::TOKEN_FILE_ENV,
                ],
            })
    }

    /// Temporary credentials from IAM for an identity provider's ID token (IAM federation):
    /// the IdP's id, and the file that holds the ID token (read at each refresh, as it is
    /// rotated). IAM's endpoint: `HUAWEICLOUD_SDK_IAM_ENDPOINT`, else the global one.
    ///
    /// ```
    /// let credentials = sms_api::Credentials::from_id_token("my-idp", "/var/run/secrets/id-token");
    /// assert_eq!(credentials.source(), "IAM federation (an ID token)");
    /// ```
    pub fn from_id_token(
        idp_id: impl Into<String>,
        id_token_file: impl Into<String>,
    ) -> Credentials {
        federated(
            idp_id.into(),
            id_token_file.into(),
            env(IAM_ENDPOINT_ENV),
            None,
        )
    }

    /// Temporary credentials from STS for an OIDC ID token, configured as the official SDKs
    /// read it: `HUAWEICLOUD_OIDC_PROVIDER_URN`, `HUAWEICLOUD_OIDC_AGENCY_URN`, and
    /// `HUAWEICLOUD_OIDC_ID_TOKEN` or `HUAWEICLOUD_OIDC_TOKEN_FILE` (optional:
    /// `HUAWEICLOUD_OIDC_SESSION_NAME`, `HUAWEICLOUD_OIDC_DURATION_SECONDS`,
    /// `HUAWEICLOUD_SDK_STS_ENDPOINT`). `Ok(None)` when none is set.
    ///
    /// ```no_run
    /// let credentials = sms_api::Credentials::from_oidc()?;
    /// # Ok::<(), sms_api::CredentialsError>(())
    /// ```
    pub fn from_oidc() -> Result<Option<Credentials>, CredentialsError> {
        Ok(Oidc::from_env(&env)?.map(Credentials::from_provider))
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
    if let Some(oidc) = Oidc::from_env(env)? {
        return Ok(with_project(
            Credentials::from_provider(oidc),
            env(ENV_PROJECT_ID),
        ));
    }
    looked.push(
        "OIDC (HUAWEICLOUD_OIDC_PROVIDER_URN, HUAWEICLOUD_OIDC_AGENCY_URN: not set)".to_owned(),
    );
    if let Some(found) = from_env_with(env)? {
        return Ok(found);
    }
    looked.push(format!(
        "the environment ({ENV_AK}, {ENV_SK}, {ENV_IDP_ID}: not set)"
    ));
    match profile_path(env) {
        None => looked.push("the profile file (HOME is not set)".to_owned()),
        Some((path, named)) => {
            if let Some(found) = from_file_with(&path, named, env)? {
                return Ok(found);
            }
            looked.push(format!("{} (no such file)", path.display()));
        }
    }
    let rest = LazyChain::new(
        EcsMetadata::from_env(env),
        PodIdentity::from_env(env),
        looked,
    );
    Ok(with_project(
        Credentials::from_provider(rest),
        env(ENV_PROJECT_ID),
    ))
}

fn with_project(credentials: Credentials, project_id: Option<String>) -> Credentials {
    match project_id {
        Some(id) => credentials.with_project_id(id),
        None => credentials,
    }
}

/// IAM federation with an ID token, its endpoint from `HUAWEICLOUD_SDK_IAM_ENDPOINT` (or the
/// profile's `iam_endpoint`), else IAM's global one.
fn federated(
    idp_id: String,
    id_token_file: String,
    iam_endpoint: Option<String>,
    project_id: Option<String>,
) -> Credentials {
    let provider = IdToken {
        iam_endpoint: iam_endpoint.unwrap_or_else(|| DEFAULT_IAM_ENDPOINT.to_owned()),
        idp_id,
        id_token_file,
    };
    with_project(Credentials::from_provider(provider), project_id)
}

fn from_env_with(
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Credentials>, CredentialsError> {
    let (ak, sk) = (env(ENV_AK), env(ENV_SK));
    let (ak, sk) = match (ak, sk) {
        (None, None) => {
            return match (env(ENV_IDP_ID), env(ENV_ID_TOKEN_FILE)) {
                (None, None) => Ok(None),
                (Some(idp), Some(file)) => Ok(Some(federated(
                    idp,
                    file,
                    env(IAM_ENDPOINT_ENV),
                    env(ENV_PROJECT_ID),
                ))),
                (idp, _) => Err(CredentialsError::Incomplete {
                    source: "the environment".to_owned(),
                    missing: vec![if idp.is_none() {
                        ENV_IDP_ID
                    } else {
                        ENV_ID_TOKEN_FILE
                    }],
                }),
            };
        }
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
    from_file_with(path, named, &env)
}

fn from_file_with(
    path: &Path,
    named: bool,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Credentials>, CredentialsError> {
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
    from_text(&text, path, env)
}

/// The credentials of the `[basic]` section of a profile file's `text` read from `path` (for
/// messages), if it has them.
pub(crate) fn from_text(
    text: &str,
    path: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<Credentials>, CredentialsError> {
    let mut section = String::new();
    let (mut ak, mut sk, mut project_id, mut security_token) = (None, None, None, None);
    let (mut idp_id, mut id_token_file, mut iam_endpoint) = (None, None, None);
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
            "idp_id" => idp_id = value,
            "id_token_file" => id_token_file = value,
            "iam_endpoint" => iam_endpoint = value,
            _ => {}
        }
    }
    let source = || format!("[{SECTION}] of {}", path.display());
    match (ak, sk) {
        (Some(ak), Some(sk)) => Ok(Some(basic(ak, sk, project_id, security_token))),
        (None, None) => match (idp_id, id_token_file) {
            (Some(idp), Some(file)) => Ok(Some(federated(
                idp,
                file,
                env(IAM_ENDPOINT_ENV).or(iam_endpoint),
                project_id,
            ))),
            (None, None) => Err(CredentialsError::Incomplete {
                source: source(),
                missing: vec!["ak", "sk"],
            }),
            (idp, _) => Err(CredentialsError::Incomplete {
                source: source(),
                missing: vec![if idp.is_none() {
                    "idp_id"
                } else {
                    "id_token_file"
                }],
            }),
        },
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

    /// A fresh directory under the system's temporary directory, removed when dropped.
    struct TempHome(PathBuf);

    impl std::ops::Deref for TempHome {
        type Target = Path;

        fn deref(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempHome {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn temp_home(name: &str) -> TempHome {
        let dir = std::env::temp_dir().join(format!("sms-api-chain-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join(".huaweicloud")).unwrap();
        TempHome(dir)
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
    fn the_profile_file_may_hold_an_idp_and_its_id_token_file() {
        let home = temp_home("idp");
        std::fs::write(
            home.join(DEFAULT_FILE),
            "[basic]\nidp_id = my-idp\nid_token_file = /run/id-token\nproject_id = p1\n",
        )
        .unwrap();
        let env = lookup(&[("HOME", home.to_str().unwrap())]);
        let found = chain_with(&env).unwrap();
        assert_eq!(found.source(), "IAM federation (an ID token)");
        std::fs::write(home.join(DEFAULT_FILE), "[basic]\nidp_id = my-idp\n").unwrap();
        assert!(shown(chain_with(&env)).ends_with("id_token_file is missing"));
    }

    #[test]
    fn nothing_found_leaves_the_network_sources_for_the_first_request() {
        let home = temp_home("nothing");
        let env = lookup(&[("HOME", home.to_str().unwrap())]);
        // What the first request then tries, and what it reports, is tested against fakes in
        // tests/tests/credential_chain_env.rs.
        assert_eq!(
            shown(chain_with(&env)),
            "Credentials::Provider { source: \"the ECS metadata service or CCE pod identity\", refresh_before: 2400s, .. }"
        );
        let half = lookup(&[("HUAWEICLOUD_OIDC_PROVIDER_URN", "urn")]);
        assert_eq!(
            shown(chain_with(&half)),
            "error: incomplete credentials in the environment (OIDC): HUAWEICLOUD_OIDC_AGENCY_URN and HUAWEICLOUD_OIDC_ID_TOKEN are missing"
        );
        let idp = lookup(&[("HUAWEICLOUD_SDK_IDP_ID", "idp")]);
        assert_eq!(
            shown(chain_with(&idp)),
            "error: incomplete credentials in the environment: HUAWEICLOUD_SDK_ID_TOKEN_FILE is missing"
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
