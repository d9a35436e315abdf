//! `documented_examples.rs`: the spec's response examples, as a table.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::examples::Example;
use crate::names::type_name;

/// The table, as a `const` slice of `crate::types::DocumentedExample`: each example with the
/// function that decodes it into its operation's type for its status (the success response
/// for a 2xx, the error body otherwise).
pub fn render(examples: &[Example]) -> TokenStream {
    let rows = examples.iter().map(|e| {
        let Example {
            operation_id,
            status,
            name,
            summary,
            json,
        } = e;
        let builder = format_ident!("{}", type_name(operation_id));
        let decoded = if (200..300).contains(status) {
            quote! { <crate::builder::#builder<'static> as crate::send::Operation>::Response }
        } else {
            quote! { <crate::builder::#builder<'static> as crate::send::Operation>::ErrorBody }
        };
        quote! {
            crate::types::DocumentedExample {
                operation_id: #operation_id,
                status: #status,
                name: #name,
                summary: #summary,
                json: #json,
                decoded: |json| {
                    serde_json::from_str::<#decoded>(json)
                        .map(|value| ::std::format!("{value:#?}"))
                        .map_err(|e| e.to_string())
                },
            },
        }
    });
    quote! {
        /// Every response example documented in the spec, in document order.
        pub const DOCUMENTED_EXAMPLES: &[crate::types::DocumentedExample] = &[#(#rows)*];
    }
}
