//! What a spec change does: on the wire, and to the Rust API of sms-api in semver terms, and
//! the version it implies. Each change's [`Effect`] is set by the differ where it finds the
//! change. The crate is built so that additions are minor: generated structs and enums are
//! `#[non_exhaustive]`, builders gain methods, the client gains operations.

use serde::Serialize;

/// What a change does between the client and the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Wire {
    /// Nothing sent or received changes (documentation, the client's own waiting).
    Unchanged,
    /// Something new may be sent or received; what worked still works.
    Compatible,
    /// A request that worked may be refused, or a response no longer holds what it held.
    Breaking,
}

impl Wire {
    /// `unchanged`, `compatible` or `breaking`.
    pub fn as_str(self) -> &'static str {
        match self {
            Wire::Unchanged => "unchanged",
            Wire::Compatible => "compatible",
            Wire::Breaking => "breaking",
        }
    }
}

/// A change's effect on the wire and on the Rust API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Effect {
    /// On the wire.
    pub wire: Wire,
    /// On code that compiles against the crate.
    pub rust: Semver,
}

impl Effect {
    /// An effect.
    pub const fn new(wire: Wire, rust: Semver) -> Effect {
        Effect { wire, rust }
    }

    /// Breaking for users: on the wire, or for code that compiles today.
    pub fn is_breaking(self) -> bool {
        self.wire == Wire::Breaking || self.rust == Semver::Major
    }
}

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
    /// The effect of several changes together: the largest (`None` for no change).
    pub fn largest(effects: impl IntoIterator<Item = Semver>) -> Semver {
        effects.into_iter().max().unwrap_or(Semver::None)
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

    #[test]
    fn several_changes_take_the_largest_effect() {
        use Semver::*;
        assert_eq!(Semver::largest([]), None);
        assert_eq!(Semver::largest([Patch]), Patch);
        assert_eq!(Semver::largest([Patch, Minor]), Minor);
        assert_eq!(Semver::largest([Minor, Major, Patch]), Major);
    }

    #[test]
    fn a_change_is_breaking_on_the_wire_or_for_rust() {
        assert!(Effect::new(Wire::Breaking, Semver::Patch).is_breaking());
        assert!(Effect::new(Wire::Unchanged, Semver::Major).is_breaking());
        assert!(!Effect::new(Wire::Compatible, Semver::Minor).is_breaking());
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
