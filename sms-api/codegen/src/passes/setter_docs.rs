//! Each builder setter documented from the spec: progenitor writes none, so `.state(..)` said
//! nothing of what it selects. The parameter's description (and, for a filter, which task
//! field it compares) becomes the setter's rustdoc.

use openapiv3::{OpenAPI, Parameter, ReferenceOr};
use syn::{ImplItem, Item, Type, parse_quote};

use crate::names::type_name;
use crate::syntax::module_items_mut;

/// One operation's parameters: the builder's name, and each parameter's name, where it goes
/// (`query`, `path`, `header`) and description.
struct Described {
    builder: String,
    parameters: Vec<(String, &'static str, String)>,
}

/// Documents every setter of the `builder` module whose operation's parameter has a
/// description; returns how many it documented.
pub fn add(client: &mut syn::File, spec: &OpenAPI) -> usize {
    let described = collect(spec);
    let mut added = 0;
    let Some(items) = module_items_mut(client, "builder") else {
        return 0;
    };
    for item in items {
        let Item::Impl(block) = item else { continue };
        let Type::Path(path) = &*block.self_ty else {
            continue;
        };
        let Some(name) = path.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        let Some(operation) = described.iter().find(|d| d.builder == name) else {
            continue;
        };
        for member in &mut block.items {
            let ImplItem::Fn(setter) = member else {
                continue;
            };
            let ident = setter.sig.ident.to_string();
            let Some((_, location, description)) =
                operation.parameters.iter().find(|(p, _, _)| *p == ident)
            else {
                continue;
            };
            let placed = match *location {
                "path" => format!(
                    "The `{ident}` path parameter: one segment of the URL, percent-encoded (a \
                     `/`, `?` or `%` in it stays in it; an empty value, `.` or `..` is refused)."
                ),
                other => format!("The `{ident}` {other} parameter."),
            };
            let text = format!(
                "{description}\n\n{placed} A value outside its documented bounds, or a string \
                 that is not one of its documented values, is refused by `fetch()` before \
                 anything is sent."
            );
            setter.attrs.insert(0, parse_quote!(#[doc = #text]));
            added += 1;
        }
    }
    added
}

fn collect(spec: &OpenAPI) -> Vec<Described> {
    let mut out = Vec::new();
    for (_, item) in spec.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (_, operation) in item.iter() {
            let Some(id) = &operation.operation_id else {
                continue;
            };
            let parameters = operation
                .parameters
                .iter()
                .chain(&item.parameters)
                .filter_map(|p| resolve(spec, p))
                .filter_map(|p| {
                    let location = match p {
                        Parameter::Query { .. } => "query",
                        Parameter::Path { .. } => "path",
                        Parameter::Header { .. } => "header",
                        Parameter::Cookie { .. } => "cookie",
                    };
                    let data = p.parameter_data_ref();
                    Some((data.name.clone(), location, data.description.clone()?))
                })
                .collect();
            out.push(Described {
                builder: type_name(id),
                parameters,
            });
        }
    }
    out
}

fn resolve<'a>(spec: &'a OpenAPI, parameter: &'a ReferenceOr<Parameter>) -> Option<&'a Parameter> {
    match parameter {
        ReferenceOr::Item(p) => Some(p),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            match spec.components.as_ref()?.parameters.get(name)? {
                ReferenceOr::Item(p) => Some(p),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}
