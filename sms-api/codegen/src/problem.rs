//! What the model finds wrong in a spec: a rule broken at a JSON pointer, and what to do.
//!
//! Every check of the generator reports this one type, and `cargo xtask validate` adds its
//! repository rules in the same shape, so a reader sees one format whoever found the problem.

use std::fmt;

/// How serious a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The spec cannot be generated (or breaks a rule of the repository): it must be fixed.
    Error,
    /// Worth knowing; generation and `validate` still pass.
    Warning,
}

/// One broken rule.
///
/// ```
/// use sms_api_codegen::problem::Problem;
/// let p = Problem::error("pagination", "#/paths/~1v3~1tasks/get", "no limit", "add one");
/// assert_eq!(p.to_string(), "error[pagination] #/paths/~1v3~1tasks/get: no limit\n    fix: add one");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Whether it stops generation.
    pub severity: Severity,
    /// The rule's short name, e.g. `pagination`.
    pub rule: &'static str,
    /// JSON pointer of the offending place, e.g. `#/components/schemas/Task/properties/id`.
    pub pointer: String,
    /// What is wrong there.
    pub message: String,
    /// What to do.
    pub fix: String,
}

impl Problem {
    /// A problem that stops generation.
    pub fn error(
        rule: &'static str,
        pointer: &str,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Problem::new(Severity::Error, rule, pointer, message.into(), fix.into())
    }

    /// A problem worth knowing that does not stop generation.
    pub fn warning(
        rule: &'static str,
        pointer: &str,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Problem::new(Severity::Warning, rule, pointer, message.into(), fix.into())
    }

    fn new(
        severity: Severity,
        rule: &'static str,
        pointer: &str,
        message: String,
        fix: String,
    ) -> Self {
        Problem {
            severity,
            rule,
            pointer: pointer.to_owned(),
            message,
            fix,
        }
    }

    /// Whether it stops generation.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{level}[{}] {}: {}\n    fix: {}",
            self.rule, self.pointer, self.message, self.fix
        )
    }
}
