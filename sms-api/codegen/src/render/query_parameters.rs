//! `query_parameters.rs`: what `FakeService` does with each query parameter of a paginated
//! operation, each paginated operation's path and the names `x-pagination` gives, and how it
//! answers every operation (`sms-api/src/mock/`): an operation the spec declares is served with
//! no Rust written.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Operation;
use crate::model::fake_answers::{Answer, FakeAnswer};
use crate::model::query_parameters::QueryParameter;

/// The tables, as `const` slices of `crate::mock::QueryParameter`, `crate::mock::Listing` and
/// `crate::mock::FakeAnswer`.
pub fn render(
    parameters: &[QueryParameter],
    operations: &[Operation],
    answers: &[FakeAnswer],
) -> TokenStream {
    let parameters = parameter_table(parameters);
    let answers = answer_table(answers);
    let listings = operations.iter().filter_map(|operation| {
        let declared = operation.pagination.as_ref()?;
        let operation_id = &operation.id;
        let (limit, offset, count, items) = (
            &declared.limit,
            &declared.offset,
            &declared.count,
            &declared.items,
        );
        Some(quote! {
            crate::mock::Listing {
                operation_id: #operation_id,
                limit: #limit, offset: #offset, count: #count, items: #items,
            }
        })
    });
    quote! {
        #parameters
        #answers
        /// Every paginated operation of the spec: the names of its limit and offset parameters
        /// and of its count and items fields.
        pub(crate) const LISTINGS: &[crate::mock::Listing] = &[#(#listings),*];
    }
}

/// The parameters' table.
fn parameter_table(parameters: &[QueryParameter]) -> TokenStream {
    let rows = parameters.iter().map(|p| {
        let (operation_id, name) = (&p.operation_id, &p.name);
        let role = match (&p.field, p.paging) {
            (_, true) => quote! { crate::mock::ParameterRole::Paging },
            (Some(field), false) => quote! { crate::mock::ParameterRole::Filter(&[#(#field),*]) },
            (None, false) => quote! { crate::mock::ParameterRole::Undeclared },
        };
        quote! {
            crate::mock::QueryParameter { operation_id: #operation_id, name: #name, role: #role }
        }
    });
    quote! {
        /// The query parameters of every paginated operation of the spec.
        pub(crate) const QUERY_PARAMETERS: &[crate::mock::QueryParameter] = &[#(#rows),*];
    }
}

/// The answers' table.
fn answer_table(answers: &[FakeAnswer]) -> TokenStream {
    let rows = answers.iter().map(|a| {
        let operation_id = &a.operation_id;
        let answer = match &a.answer {
            Answer::List => quote! { crate::mock::FakeAnswer::List },
            Answer::Show { listing } => {
                quote! { crate::mock::FakeAnswer::Show { listing: #listing } }
            }
            Answer::Remove { listing, status } => {
                quote! { crate::mock::FakeAnswer::Remove { listing: #listing, status: #status } }
            }
            Answer::Example => quote! { crate::mock::FakeAnswer::Example },
            Answer::Empty { status } => {
                quote! { crate::mock::FakeAnswer::Empty { status: #status } }
            }
        };
        quote! { (#operation_id, #answer) }
    });
    quote! {
        /// How the fake answers each operation the spec says enough about, by operationId.
        pub(crate) const FAKE_ANSWERS: &[(&str, crate::mock::FakeAnswer)] = &[#(#rows),*];
    }
}
