//! `query_parameters.rs`: what `FakeService` does with each query parameter of a paginated
//! operation, and each paginated operation's path and the names `x-pagination` gives
//! (`sms-api/src/mock/`): a listing the spec declares is served with no Rust written.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Operation;
use crate::model::query_parameters::QueryParameter;

/// The tables, as `const` slices of `crate::mock::QueryParameter` and `crate::mock::Listing`.
pub fn render(parameters: &[QueryParameter], operations: &[Operation]) -> TokenStream {
    let parameters = parameter_table(parameters);
    let listings = operations.iter().filter_map(|operation| {
        let declared = operation.pagination.as_ref()?;
        let (operation_id, path) = (&operation.id, &operation.path);
        let (limit, offset, count, items) = (
            &declared.limit,
            &declared.offset,
            &declared.count,
            &declared.items,
        );
        Some(quote! {
            crate::mock::Listing {
                operation_id: #operation_id, path: #path,
                limit: #limit, offset: #offset, count: #count, items: #items,
            }
        })
    });
    quote! {
        #parameters
        /// Every paginated operation of the spec: its path, and the names of its limit and
        /// offset parameters and of its count and items fields.
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
