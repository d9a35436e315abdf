//! Every query parameter of each paginated operation, and what `FakeService` does with it:
//! page (`x-pagination`'s limit and offset), filter on an item field (`x-filter-field`), or
//! answer 400 because the spec gives it no field. A parameter the spec does not declare is
//! refused by the fake with the service's 400.

use openapiv3::{OpenAPI, ReferenceOr};
use proc_macro2::TokenStream;
use quote::quote;

use super::filter_field;

/// One query parameter of a paginated operation.
pub struct QueryParameter {
    operation_id: String,
    name: String,
    /// `None` for the paging parameters and for one without `x-filter-field`.
    field: Option<Vec<String>>,
    paging: bool,
}

/// The query parameters of every operation with `x-pagination`.
pub fn collect(spec: &OpenAPI) -> Result<Vec<QueryParameter>, String> {
    let mut found = Vec::new();
    for (path, method, operation) in spec.operations() {
        let Some(pagination) = operation.extensions.get("x-pagination") else {
            continue;
        };
        let paging: Vec<&str> = ["limit", "offset"]
            .iter()
            .filter_map(|k| pagination.get(*k).and_then(serde_json::Value::as_str))
            .collect();
        let operation_id = operation.operation_id.clone().unwrap_or_default();
        for parameter in &operation.parameters {
            let ReferenceOr::Item(parameter) = parameter else {
                continue;
            };
            let openapiv3::Parameter::Query { parameter_data, .. } = parameter else {
                continue;
            };
            let at = format!(
                "{} {path} parameter `{}`",
                method.to_uppercase(),
                parameter_data.name
            );
            let field = match parameter_data.extensions.get(filter_field::EXTENSION) {
                Some(value) => {
                    let text = value.as_str().ok_or_else(|| {
                        format!("{at}: {} must be a string", filter_field::EXTENSION)
                    })?;
                    let fields = filter_field::path(text).map_err(|e| format!("{at}: {e}"))?;
                    Some(fields.into_iter().map(str::to_owned).collect())
                }
                None => None,
            };
            found.push(QueryParameter {
                operation_id: operation_id.clone(),
                name: parameter_data.name.clone(),
                paging: paging.contains(&parameter_data.name.as_str()),
                field,
            });
        }
    }
    Ok(found)
}

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
