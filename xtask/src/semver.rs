//! What a spec change does to the Rust API of sms-api, in semver terms, and the version it
//! implies. The crate is built so that additions are minor: generated structs and enums are
//! `#[non_exhaustive]`, builders gain methods, the client gains operations.

use serde::Serialize;

use crate::diff::Change;

/// A change's effect on code that compiles against the crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Semver {
    None,
    /// Documentation or behaviour inside the API (descriptions, formats, wider bounds).
    Patch,
    /// Additions: a field, an enum value, a parameter, an operation, a status.
    Minor,
    /// Code that compiles today may not compile, or clients may fail on the wire.
    Major,
}

impl Semver {
    /// The effect of one change.
    pub fn of(change: &Change) -> Semver {
        if change.breaking {
            Semver::Major
        } else if change.what.contains("added") {
            Semver::Minor
        } else {
            Semver::Patch
        }
    }

    /// The effect of all of them: the largest.
    pub fn overall(changes: &[Change]) -> Semver {
        changes.iter().map(Semver::of).max().unwrap_or(Semver::None)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Semver::None => "none",
            Semver::Patch => "patch",
            Semver::Minor => "minor",
            Semver::Major => "major",
        }
    }
}

/// The next version after `current` for a change of this size, as Cargo reads versions: below
/// 1.0, a breaking change bumps the minor number and anything else the patch number.
pub fn next_version(current: &str, change: Semver) -> Option<String> {
    let mut parts = current.split('.').map(|p| p.parse::<u64>().ok());
    let (major, minor, patch) = (parts.next()??, parts.next()??, parts.next()??);
    Some(match (major, change) {
        (_, Semver::None) => current.to_owned(),
        (0, Semver::Major) => format!("0.{}.0", minor + 1),
        (0, _) => format!("0.{minor}.{}", patch + 1),
        (_, Semver::Major) => format!("{}.0.0", major + 1),
        (_, Semver::Minor) => format!("{major}.{}.0", minor + 1),
        (_, Semver::Patch) => format!("{major}.{minor}.{}", patch + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(breaking: bool, what: &str) -> Change {
        Change {
            breaking,
            path: "p".into(),
            what: what.into(),
            old: None,
            new: None,
        }
    }

    #[test]
    fn additions_are_minor_removals_major_descriptions_patch() {
        assert_eq!(
            Semver::of(&change(false, "field added (optional)")),
            Semver::Minor
        );
        assert_eq!(Semver::of(&change(false, "operation added")), Semver::Minor);
        assert_eq!(
            Semver::of(&change(false, "optional parameter added")),
            Semver::Minor
        );
        assert_eq!(
            Semver::of(&change(false, "response enum value added: ...")),
            Semver::Minor
        );
        assert_eq!(
            Semver::of(&change(true, "response field removed")),
            Semver::Major
        );
        assert_eq!(
            Semver::of(&change(false, "description changed")),
            Semver::Patch
        );
        assert_eq!(Semver::overall(&[]), Semver::None);
        assert_eq!(
            Semver::overall(&[
                change(false, "description changed"),
                change(false, "operation added")
            ]),
            Semver::Minor
        );
    }

    #[test]
    fn next_versions_follow_cargo() {
        assert_eq!(
            next_version("0.1.0", Semver::Major).as_deref(),
            Some("0.2.0")
        );
        assert_eq!(
            next_version("0.1.0", Semver::Minor).as_deref(),
            Some("0.1.1")
        );
        assert_eq!(
            next_version("0.1.3", Semver::Patch).as_deref(),
            Some("0.1.4")
        );
        assert_eq!(
            next_version("1.4.2", Semver::Minor).as_deref(),
            Some("1.5.0")
        );
        assert_eq!(
            next_version("1.4.2", Semver::Major).as_deref(),
            Some("2.0.0")
        );
        assert_eq!(
            next_version("0.1.0", Semver::None).as_deref(),
            Some("0.1.0")
        );
        assert_eq!(next_version("x", Semver::Minor), None);
    }
}
