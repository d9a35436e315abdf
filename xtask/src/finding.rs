//! What `validate` reports: a rule broken at a place in the spec, and what to do about it.

use std::fmt;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The spec must be fixed; `validate` fails.
    Error,
    /// Worth knowing; `validate` still passes.
    Warning,
}

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// The rule's short name, e.g. `response-constraint`.
    pub rule: &'static str,
    /// JSON pointer of the offending place, e.g. `#/components/schemas/Task/properties/id`.
    pub at: String,
    pub message: String,
    /// What to do.
    pub fix: String,
}

impl Finding {
    pub fn error(
        rule: &'static str,
        at: &str,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Finding::new(Severity::Error, rule, at, message.into(), fix.into())
    }

    pub fn warning(
        rule: &'static str,
        at: &str,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Finding::new(Severity::Warning, rule, at, message.into(), fix.into())
    }

    fn new(severity: Severity, rule: &'static str, at: &str, message: String, fix: String) -> Self {
        Finding {
            severity,
            rule,
            at: at.to_owned(),
            message,
            fix,
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{level}[{}] {}: {}\n    fix: {}",
            self.rule, self.at, self.message, self.fix
        )
    }
}
