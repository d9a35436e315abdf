//! `cargo xtask build-reuse`: checks that the README's test command reuses what its main job
//! built. Cargo builds a package again when its features differ, and everything above it with
//! it: one feature that only a test dependency turns on (tokio's `test-util`, serde's `alloc`
//! through httpmock) rebuilds the whole HTTP stack and sms-api. The `sms` command therefore
//! asks for the test build's features; this check builds both (as the README runs them) and
//! names every artifact of the first that the second does not reuse, but sms-api's own.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde::Deserialize;

/// Where the features that keep the two builds alike are asked for.
const CLI_MANIFEST: &str = "sms-api/cli/Cargo.toml";

/// One `compiler-artifact` message of `cargo --message-format json`.
#[derive(Debug, Deserialize)]
pub struct Artifact {
    package_id: String,
    target: Target,
    profile: Profile,
    features: Vec<String>,
    filenames: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Profile {
    test: bool,
}

impl Artifact {
    /// The package's name and version: `…#name@1.0.0`, or `…/name#1.0.0` for a path package
    /// named like its folder.
    fn package(&self) -> String {
        let (source, version) = self
            .package_id
            .rsplit_once('#')
            .unwrap_or(("", &self.package_id));
        if version.contains('@') {
            version.to_owned()
        } else {
            let folder = source.rsplit('/').next().unwrap_or_default();
            format!("{folder}@{version}")
        }
    }

    /// What the artifact is a build of: a package's target, for tests or not.
    fn unit(&self) -> (String, String, String, bool) {
        (
            self.package(),
            self.target.name.clone(),
            self.target.kind.join(","),
            self.profile.test,
        )
    }
}

/// sms-api's package: the one the test build compiles again on purpose, with `mock` (httpmock's
/// typed helpers), which the `sms` command does not use and must not make its users build.
const SMS_API: &str = "sms-api@";

/// Builds the main job, then the test build, and compares them.
pub fn run(root: &Path) -> Result<String, String> {
    let main_job = build(root, &["build", "--bin", "sms"])?;
    let main_sms_api = main_job.iter().find(|a| a.package().starts_with(SMS_API));
    if main_sms_api.is_some_and(|a| a.features.iter().any(|f| f == "mock")) {
        return Err(
            "the main job builds sms-api with `mock` (and so httpmock): a workspace member asks \
             for it in [dependencies]; ask in [dev-dependencies]"
                .into(),
        );
    }
    let tests = build(root, &["test", "--workspace", "--no-run"])?;
    let (on_purpose, rebuilt): (Vec<Rebuilt>, Vec<Rebuilt>) = compare(&main_job, &tests)
        .into_iter()
        .partition(|r| r.package.starts_with(SMS_API));
    let lines = |list: &[Rebuilt]| list.iter().map(|r| format!("{r}\n")).collect::<String>();
    if rebuilt.is_empty() {
        return Ok(format!(
            "the test build (`cargo test --workspace`) reuses the {} artifacts of the main job's build (`cargo run --bin sms`) but sms-api's own, built again with `mock` on purpose:\n{}",
            main_job.len() - on_purpose.len(),
            lines(&on_purpose)
        ));
    }
    Err(format!(
        "the test build (`cargo test --workspace`) builds these artifacts of the main job again; \
         ask for the test build's features in {CLI_MANIFEST} (a package listed with the same \
         features is rebuilt because one below it is):\n{}",
        lines(&rebuilt)
    ))
}

/// Runs one build and returns its artifacts (the compiler's diagnostics go to standard error,
/// rendered, so that a failure reads as cargo's own).
fn build(root: &Path, args: &[&str]) -> Result<Vec<Artifact>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(root).args(args).args([
        "--locked",
        "--message-format",
        "json-render-diagnostics",
    ]);
    let stdout = crate::command::run(&mut command, &format!("cargo {}", args.join(" ")))?;
    parse_artifacts(&stdout)
}

/// The `compiler-artifact` messages of one build's JSON output.
pub fn parse_artifacts(json_lines: &str) -> Result<Vec<Artifact>, String> {
    json_lines
        .lines()
        .filter(|line| line.contains(r#""reason":"compiler-artifact""#))
        .map(|line| {
            serde_json::from_str(line)
                .map_err(|e| format!("unreadable cargo message ({e}): {line}"))
        })
        .collect()
}

/// An artifact of the main job that the test build compiles again.
#[derive(Debug)]
pub struct Rebuilt {
    /// `name@version`.
    pub package: String,
    /// The target's kind and name: ``lib `bytes` ``.
    pub target: String,
    /// Its features in the main job.
    pub main_job: Vec<String>,
    /// Its features in the test build (one set a build, as a rule).
    pub tests: Vec<Vec<String>>,
}

impl std::fmt::Display for Rebuilt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tests: Vec<String> = self.tests.iter().map(|set| set.join(",")).collect();
        write!(
            f,
            "  {} ({}): features [{}] in the main job, [{}] in the test build",
            self.package,
            self.target,
            self.main_job.join(","),
            tests.join("] and [")
        )
    }
}

/// Every artifact of `main_job` that `tests` builds again from other files.
pub fn compare(main_job: &[Artifact], tests: &[Artifact]) -> Vec<Rebuilt> {
    let mut by_unit: BTreeMap<_, Vec<&Artifact>> = BTreeMap::new();
    for artifact in tests {
        by_unit.entry(artifact.unit()).or_default().push(artifact);
    }
    main_job
        .iter()
        .filter_map(|built| {
            let again = by_unit.get(&built.unit())?;
            if again.iter().any(|a| a.filenames == built.filenames) {
                return None;
            }
            Some(Rebuilt {
                package: built.package(),
                target: format!("{} `{}`", built.target.kind.join(","), built.target.name),
                main_job: built.features.clone(),
                tests: again.iter().map(|a| a.features.clone()).collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn artifact(package: &str, features: &str, file: &str) -> String {
        format!(
            r#"{{"reason":"compiler-artifact","package_id":"registry+https://x#{package}@1.0.0","target":{{"kind":["lib"],"name":"{package}"}},"profile":{{"test":false}},"features":[{features}],"filenames":["{file}"],"fresh":true}}"#
        )
    }

    #[test]
    fn a_package_built_again_with_other_features_is_named_with_both() {
        let main_job = [
            artifact("bytes", r#""std""#, "/t/libbytes-1.rlib"),
            artifact("http", "", "/t/libhttp-1.rlib"),
        ]
        .join("\n");
        let tests = [
            artifact("bytes", r#""serde","std""#, "/t/libbytes-2.rlib"),
            artifact("http", "", "/t/libhttp-1.rlib"),
            artifact("insta", "", "/t/libinsta-1.rlib"),
        ]
        .join("\n");
        let main_job = parse_artifacts(&main_job).unwrap();
        let tests = parse_artifacts(&tests).unwrap();
        let rebuilt: Vec<String> = compare(&main_job, &tests)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            rebuilt,
            [
                "  bytes@1.0.0 (lib `bytes`): features [std] in the main job, [serde,std] in the test build"
            ]
        );
        assert!(compare(&main_job, &main_job).is_empty());
    }

    #[test]
    fn packages_are_named_from_registry_and_path_ids() {
        let line = artifact("bytes", "", "/t/a.rlib");
        let registry = &parse_artifacts(&line).unwrap()[0];
        assert_eq!(registry.package(), "bytes@1.0.0");
        let path = line.replace(
            "registry+https://x#bytes@1.0.0",
            "path+file:///w/sms-api#0.7.0",
        );
        assert_eq!(
            parse_artifacts(&path).unwrap()[0].package(),
            "sms-api@0.7.0"
        );
    }

    #[test]
    fn other_messages_are_skipped_and_a_broken_artifact_message_is_an_error() {
        let lines = r#"{"reason":"build-finished","success":true}"#;
        assert!(parse_artifacts(lines).unwrap().is_empty());
        let error = parse_artifacts(r#"{"reason":"compiler-artifact"}"#).unwrap_err();
        assert!(error.contains("unreadable cargo message"), "{error}");
    }
}
