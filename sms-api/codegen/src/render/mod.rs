//! The generated files, one module each, rendered from the model (and, for those that extend
//! progenitor's client, from the client it generated).

pub mod client;
pub mod derived;
pub mod documented_examples;
pub mod invoke;
pub mod mock;
pub mod open_enums;
pub mod operations;
pub mod pagination;
pub mod parameter_bounds;
pub mod query_parameters;
pub mod regions;
pub mod waiters;

#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;

use crate::Error;
use crate::model::Model;

/// One generated file: its name in `OUT_DIR` and its Rust.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// `client.rs`
    pub name: &'static str,
    /// The code, formatted for a reader.
    pub code: String,
}

/// Every generated file of the crate, rendered from `model`.
pub fn render(model: &Model) -> Result<Vec<GeneratedFile>, Error> {
    let mut files = vec![
        tokens(
            "query_parameters.rs",
            query_parameters::render(
                &model.query_parameters,
                &model.operations,
                &model.fake_answers,
            ),
        )?,
        tokens(
            "parameter_bounds.rs",
            parameter_bounds::render(&model.bounds),
        )?,
        text("regions.rs", regions::render(&model.regions)),
        text("open_enums.rs", open_enums::render(&model.enums)),
    ];
    let mut generator = client::generator(model);
    let client = client::client(model, &mut generator)?;
    let operations = operations::collect(&client).map_err(|message| Error::Render {
        file: "operations.rs",
        message,
    })?;
    let rendered = operations::render(model, &operations).map_err(|message| Error::Render {
        file: "operations.rs",
        message,
    })?;
    files.push(tokens("operations.rs", rendered)?);
    let invoke = invoke::render(model, &operations).map_err(|message| Error::Render {
        file: "invoke.rs",
        message,
    })?;
    files.push(tokens("invoke.rs", invoke)?);
    files.push(tokens("derived.rs", derived::render(&model.derived))?);
    let paginated =
        pagination::collect(model, &client, &operations).map_err(|message| Error::Render {
            file: "pagination.rs",
            message,
        })?;
    files.push(tokens("pagination.rs", pagination::render(&paginated))?);
    let waiters =
        waiters::render(model, &client, &operations).map_err(|message| Error::Render {
            file: "waiters.rs",
            message,
        })?;
    files.push(tokens("waiters.rs", waiters)?);
    files.push(text("client.rs", prettyplease::unparse(&client)));
    let mock = mock::mock(model, &mut generator)?;
    files.push(text("mock.rs", prettyplease::unparse(&mock)));
    files.push(tokens(
        "documented_examples.rs",
        documented_examples::render(&model.examples),
    )?);
    Ok(files)
}

/// Parses `tokens` as the file `name`.
pub(crate) fn parse(name: &'static str, tokens: TokenStream) -> Result<syn::File, Error> {
    syn::parse2(tokens).map_err(|e| Error::Render {
        file: name,
        message: format!("not valid Rust: {e}"),
    })
}

/// `tokens`, pretty-printed, so that a reader (and the snapshot tests) see ordinary Rust.
fn tokens(name: &'static str, tokens: TokenStream) -> Result<GeneratedFile, Error> {
    Ok(text(name, prettyplease::unparse(&parse(name, tokens)?)))
}

fn text(name: &'static str, code: String) -> GeneratedFile {
    GeneratedFile { name, code }
}
