//! `mock.rs`: progenitor's typed httpmock helpers (feature `mock`), from the same generator as
//! the client, rewritten by the mock passes.

use progenitor::Generator;

use crate::Error;
use crate::model::Model;
use crate::passes::{self, Pass};

/// progenitor's typed httpmock helpers for the model, with every mock pass applied.
pub fn mock(model: &Model, generator: &mut Generator) -> Result<syn::File, Error> {
    let tokens = generator
        .httpmock(&model.openapi, "crate")
        .map_err(|e| Error::Progenitor {
            file: "mock.rs",
            message: e.to_string(),
        })?;
    let mut file = super::parse("mock.rs", tokens)?;
    let newtypes = model.string_newtypes();
    let passes = vec![
        Pass::new(
            "passes::mock_responses",
            !model.operations.is_empty(),
            passes::mock_responses::extend,
        ),
        Pass::new(
            "passes::sealed_mock",
            !model.operations.is_empty(),
            passes::sealed_mock::seal,
        ),
        Pass::new("passes::string_parameters", !newtypes.is_empty(), |file| {
            passes::string_parameters::plain_in_mock(file, &newtypes)
        }),
    ];
    passes::apply("mock.rs", &mut file, passes)?;
    Ok(file)
}
