//! `documented_examples.rs`: the spec's response examples, as a table.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::examples::Example;

/// The table, as a `const` slice of `crate::types::DocumentedExample`.
pub fn render(examples: &[Example]) -> TokenStream {
    let rows = examples.iter().map(|e| {
        let Example {
            operation_id,
            status,
            name,
            summary,
            json,
        } = e;
        quote! {
            crate::types::DocumentedExample {
                operation_id: #operation_id,
                status: #status,
                name: #name,
                summary: #summary,
                json: #json,
            },
        }
    });
    quote! {
        /// Every response example documented in the spec, in document order.
        pub const DOCUMENTED_EXAMPLES: &[crate::types::DocumentedExample] = &[#(#rows)*];
    }
}
