//! Collects the documented bounds of every query parameter, so that the client rejects an
//! out-of-range value before sending it (progenitor sends whatever it is given).

use openapiv3::{OpenAPI, ParameterSchemaOrContent, ReferenceOr, SchemaKind, Type};
use proc_macro2::TokenStream;
use quote::quote;

use super::bound_kinds::bound_keywords;

/// One parameter's bounds.
pub struct Bounds {
    pub operation_id: String,
    pub name: String,
    minimum: Option<i64>,
    pub maximum: Option<i64>,
    max_length: Option<usize>,
    default: Option<i64>,
}

/// Every query parameter with a range or a length limit.
pub fn collect(spec: &OpenAPI) -> Result<Vec<Bounds>, String> {
    let mut found = Vec::new();
    for (path, method, operation) in spec.operations() {
        let at = format!("{} {path}", method.to_uppercase());
        let operation_id = operation
            .operation_id
            .clone()
            .ok_or_else(|| format!("{at}: no operationId"))?;
        for parameter in &operation.parameters {
            let ReferenceOr::Item(parameter) = parameter else {
                continue;
            };
            let data = parameter.parameter_data_ref();
            let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &data.format else {
                continue;
            };
            let (keywords, minimum, maximum, max_length) = match &schema.schema_kind {
                SchemaKind::Type(Type::Integer(i)) => {
                    (bound_keywords("integer", false), i.minimum, i.maximum, None)
                }
                SchemaKind::Type(Type::String(s)) => (
                    bound_keywords("string", !s.enumeration.is_empty()),
                    None,
                    None,
                    s.max_length,
                ),
                _ => continue,
            };
            let has = |keyword: &str| keywords.contains(&keyword);
            let (minimum, maximum, max_length) = (
                minimum.filter(|_| has("minimum")),
                maximum.filter(|_| has("maximum")),
                max_length.filter(|_| has("maxLength")),
            );
            let default = schema
                .schema_data
                .default
                .as_ref()
                .and_then(serde_json::Value::as_i64);
            if minimum.is_some() || maximum.is_some() || max_length.is_some() {
                found.push(Bounds {
                    operation_id: operation_id.clone(),
                    name: data.name.clone(),
                    minimum,
                    maximum,
                    max_length,
                    default,
                });
            }
        }
    }
    Ok(found)
}

impl Bounds {
    /// The name typify gives the newtype it makes of a length-limited string parameter
    /// (`ListTasksName` for `list_tasks`'s `name`), if this is one (`string_parameters.rs`
    /// makes it a plain `String`).
    pub fn string_newtype(&self) -> Option<String> {
        self.max_length?;
        Some(format!(
            "{}{}",
            upper_camel(&self.operation_id),
            upper_camel(&self.name)
        ))
    }
}

/// `list_tasks` as `ListTasks`, as progenitor and typify name what they derive from an
/// operation id (newtypes here, waiter traits in `wait/waiters.rs`).
pub fn upper_camel(snake: &str) -> String {
    snake
        .split(['_', '-'])
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// The table, as a `const` slice of `crate::send::bounds::ParameterBounds`.
pub fn render(bounds: &[Bounds]) -> TokenStream {
    let option = |v: Option<i64>| match v {
        Some(v) => quote! { Some(#v) },
        None => quote! { None },
    };
    let rows = bounds.iter().map(|b| {
        let (operation_id, name) = (&b.operation_id, &b.name);
        let (minimum, maximum, default) = (option(b.minimum), option(b.maximum), option(b.default));
        let max_length = match b.max_length {
            Some(v) => quote! { Some(#v) },
            None => quote! { None },
        };
        quote! {
            crate::send::bounds::ParameterBounds {
                operation_id: #operation_id,
                name: #name,
                minimum: #minimum,
                maximum: #maximum,
                max_length: #max_length,
                default: #default,
            },
        }
    });
    quote! {
        /// The documented bounds of every query parameter, from the spec.
        pub(crate) const PARAMETER_BOUNDS: &[crate::send::bounds::ParameterBounds] = &[#(#rows)*];
    }
}
