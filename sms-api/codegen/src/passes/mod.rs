//! The rewrites of progenitor's output, each a function over the parsed file that says how many
//! places it changed. [`apply`] runs a file's passes in order and fails, naming the pass, when
//! one the model expects to apply matched nothing: a progenitor upgrade that changes its output
//! stops the build instead of turning a pass into a silent no-op.

pub mod body_setters;
pub mod call_record;
pub mod client_access;
pub mod docs;
pub mod mock_responses;
pub mod non_exhaustive;
pub mod path_segments;
pub mod progenitor_surface;
pub mod required_fields;
pub mod sealed_mock;
pub mod setter_docs;
pub mod setters;
pub mod string_parameters;

#[cfg(test)]
mod tests;

use std::fmt;

/// One rewrite of a generated file.
pub struct Pass<'a> {
    /// Its name, as the error shows it: `passes::setters`.
    pub name: &'static str,
    /// Whether the spec gives it something to match (a pass over builder setters has nothing
    /// to do when no operation has a parameter).
    pub expected: bool,
    /// The rewrite: how many places it changed.
    pub run: Box<dyn FnMut(&mut syn::File) -> usize + 'a>,
}

impl<'a> Pass<'a> {
    /// A pass named `name`, expected to match when `expected`.
    pub fn new(
        name: &'static str,
        expected: bool,
        run: impl FnMut(&mut syn::File) -> usize + 'a,
    ) -> Self {
        Pass {
            name,
            expected,
            run: Box::new(run),
        }
    }
}

/// A pass the spec gave something to match changed nothing in `file`.
///
/// ```
/// use sms_api_codegen::passes::{Pass, apply};
/// let mut file: syn::File = syn::parse_quote!(fn unrelated() {});
/// let error = apply("client.rs", &mut file, vec![Pass::new("passes::docs", true, |_| 0)]).unwrap_err();
/// assert_eq!(error.pass, "passes::docs");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassMatchedNothing {
    /// The pass.
    pub pass: &'static str,
    /// The generated file it ran on.
    pub file: &'static str,
}

impl fmt::Display for PassMatchedNothing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the pass `{}` matched nothing in progenitor's {}: its output no longer has the shape the pass rewrites (a progenitor upgrade?); update sms-api/codegen/src/{}.rs",
            self.pass,
            self.file,
            self.pass.replace("::", "/")
        )
    }
}

impl std::error::Error for PassMatchedNothing {}

/// Runs `passes` over `file` in order; how many places each changed, or the first expected
/// pass that changed none.
pub fn apply(
    file_name: &'static str,
    file: &mut syn::File,
    passes: Vec<Pass<'_>>,
) -> Result<Vec<(&'static str, usize)>, PassMatchedNothing> {
    let mut counts = Vec::with_capacity(passes.len());
    for mut pass in passes {
        let changed = (pass.run)(file);
        if changed == 0 && pass.expected {
            return Err(PassMatchedNothing {
                pass: pass.name,
                file: file_name,
            });
        }
        counts.push((pass.name, changed));
    }
    Ok(counts)
}

#[cfg(test)]
mod apply_tests {
    use super::*;

    #[test]
    fn a_pass_that_matches_nothing_fails_with_its_name_and_file() {
        let mut file: syn::File = syn::parse_quote!(
            mod unrelated {}
        );
        let passes = vec![
            Pass::new("passes::non_exhaustive", false, non_exhaustive::mark),
            Pass::new("passes::client_access", true, client_access::add),
        ];
        let error = apply("client.rs", &mut file, passes).unwrap_err();
        assert_eq!(
            error,
            PassMatchedNothing {
                pass: "passes::client_access",
                file: "client.rs"
            }
        );
        let message = error.to_string();
        assert!(message.contains("`passes::client_access`"), "{message}");
        assert!(message.contains("passes/client_access.rs"), "{message}");
    }

    #[test]
    fn a_pass_with_nothing_to_match_may_match_nothing() {
        let mut file: syn::File = syn::parse_quote!(
            mod unrelated {}
        );
        let passes = vec![Pass::new("passes::string_parameters", false, |f| {
            string_parameters::plain(f, &[])
        })];
        assert_eq!(
            apply("client.rs", &mut file, passes).unwrap(),
            [("passes::string_parameters", 0)]
        );
    }

    #[test]
    fn passes_run_in_order_and_report_their_counts() {
        let mut file: syn::File = syn::parse_quote!(
            pub mod types {
                pub struct Task {
                    pub id: Option<String>,
                }
            }
        );
        let passes = vec![
            Pass::new("passes::non_exhaustive", true, non_exhaustive::mark),
            Pass::new(
                "passes::non_exhaustive (again)",
                false,
                non_exhaustive::mark,
            ),
        ];
        let counts = apply("client.rs", &mut file, passes).unwrap();
        assert_eq!(counts[0], ("passes::non_exhaustive", 1));
        let text = quote::ToTokens::to_token_stream(&file).to_string();
        assert!(text.contains("non_exhaustive"), "{text}");
    }
}
