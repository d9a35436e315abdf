//! `parameter_bounds.rs`: the documented bounds of every query and path parameter, as a table the
//! client checks before sending (`sms-api/src/send/bounds.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::bounds::Bounds;

/// The table, as a `const` slice of `crate::send::bounds::ParameterBounds`.
pub fn render(bounds: &[Bounds]) -> TokenStream {
    let option = |v: Option<i64>| match v {
        Some(v) => quote! { Some(#v) },
        None => quote! { None },
    };
    let rows = bounds.iter().map(|b| {
        let (operation_id, name) = (&b.operation_id, &b.name);
        let (minimum, maximum, default) = (option(b.minimum), option(b.maximum), option(b.default));
        let length = |v: Option<usize>| match v {
            Some(v) => quote! { Some(#v) },
            None => quote! { None },
        };
        let (max_length, min_length) = (length(b.max_length), length(b.min_length));
        let location = match b.location.as_str() {
            "path" => quote! { crate::send::bounds::Location::Path },
            _ => quote! { crate::send::bounds::Location::Query },
        };
        quote! {
            crate::send::bounds::ParameterBounds {
                operation_id: #operation_id,
                name: #name,
                location: #location,
                minimum: #minimum,
                maximum: #maximum,
                max_length: #max_length,
                min_length: #min_length,
                default: #default,
            },
        }
    });
    quote! {
        /// The documented bounds of every query and path parameter, from the spec.
        pub(crate) const PARAMETER_BOUNDS: &[crate::send::bounds::ParameterBounds] = &[#(#rows)*];
    }
}
