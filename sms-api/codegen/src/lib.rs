//! The code generator of [sms-api](https://crates.io/crates/sms-api): its OpenAPI spec, read
//! once into a checked [`Model`](model::Model), rendered into the Rust the crate includes.
//!
//! - [`model`]: the spec read once (operations, parameters and their bounds, enums and their
//!   meanings, regions, pagination, filters, waiters with their paths type-checked, watch,
//!   documented examples), every problem found reported as a [`Problem`](problem::Problem) at
//!   a JSON pointer;
//! - [`passes`]: the rewrites of progenitor's output, each failing with its name when it
//!   matched nothing;
//! - [`render`]: one module per generated file.
//!
//! `sms-api`'s build script calls [`generate`]; `cargo xtask validate` reads the spec with
//! [`Model::from_document`](model::Model::from_document), reports its problems and renders what
//! it accepts, so a spec it accepts builds.
//!
//! ```
//! let spec = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/sms.json"))
//!     .or_else(|_| std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/spec/sms.json")));
//! # let Ok(spec) = spec else { return };
//! let files = sms_api_codegen::generate(&spec).unwrap();
//! assert!(files.iter().any(|f| f.name == "client.rs"));
//! ```

pub mod document;
#[cfg(test)]
mod fixture;
pub mod model;
pub mod names;
pub mod passes;
pub mod pieces;
pub mod problem;
pub mod render;
pub mod syntax;

use std::fmt;

pub use render::GeneratedFile;

/// Why the crate could not be generated.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// The spec breaks a rule of the model (warnings found beside the errors included).
    Spec(Vec<problem::Problem>),
    /// progenitor refused the spec.
    Progenitor {
        /// The file it was generating.
        file: &'static str,
        /// What it said.
        message: String,
    },
    /// A pass over progenitor's output matched nothing.
    Pass(passes::PassMatchedNothing),
    /// A renderer could not find in progenitor's output what the model declares.
    Render {
        /// The file it was rendering.
        file: &'static str,
        /// What it could not find.
        message: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Spec(problems) => {
                let errors: Vec<String> = problems
                    .iter()
                    .filter(|p| p.is_error())
                    .map(ToString::to_string)
                    .collect();
                write!(
                    f,
                    "the spec breaks {} rule(s):\n{}",
                    errors.len(),
                    errors.join("\n")
                )
            }
            Error::Progenitor { file, message } => write!(f, "progenitor ({file}): {message}"),
            Error::Pass(pass) => pass.fmt(f),
            Error::Render { file, message } => write!(f, "{file}: {message}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<passes::PassMatchedNothing> for Error {
    fn from(pass: passes::PassMatchedNothing) -> Self {
        Error::Pass(pass)
    }
}

/// Every generated file of `sms-api`, from the spec's text.
pub fn generate(spec: &str) -> Result<Vec<GeneratedFile>, Error> {
    let model = model::Model::read(spec).map_err(Error::Spec)?;
    render::render(&model)
}
