//! `query_parameters.rs`: what `FakeService` does with each query parameter of a paginated
//! operation (`sms-api/src/mock/`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::query_parameters::QueryParameter;

/// The table, as a `const` slice of `crate::mock::QueryParameter`.
pub fn render(parameters: &[QueryParameter]) -> TokenStream {
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
