//! Every query parameter of each paginated operation, and what `FakeService` does with it:
//! page (`x-pagination`'s limit and offset), filter on an item field (`x-filter-field`), or
//! answer 400 because the spec gives it no field. A parameter the spec does not declare is
//! refused by the fake with the service's 400.

use serde_json::Value;

use super::{Operation, filter_field};
use crate::document::Document;
use crate::problem::Problem;

/// One query parameter of a paginated operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryParameter {
    /// The operation it belongs to.
    pub operation_id: String,
    /// The parameter's name.
    pub name: String,
    /// The item field it selects on; `None` for the paging parameters and for one without
    /// `x-filter-field`.
    pub field: Option<Vec<String>>,
    /// `x-pagination`'s limit or offset.
    pub paging: bool,
}

/// How to give parameter `name` an `x-filter-field`, with a field of this operation's `item`
/// schema as the example: the one of the parameter's name, else its first.
fn filter_hint(item: Option<&Value>, name: &str) -> String {
    let properties = item
        .and_then(|item| item.get("properties"))
        .and_then(Value::as_object);
    let example = properties.and_then(|fields| {
        fields
            .keys()
            .find(|field| *field == name)
            .or_else(|| fields.keys().next())
    });
    match example {
        Some(field) => format!(
            "if it selects items, name the item field it matches, e.g. \"x-filter-field\": \"{field}\" (a dotted path for a nested one)"
        ),
        None => {
            "if it selects items, name the item field it matches, as a dotted path from the item"
                .to_owned()
        }
    }
}

/// Each query parameter of a paginated operation (but its limit and offset) says with
/// `x-filter-field` which field of an item it selects on, a path the item schema has, so that
/// `FakeService` filters as the service does; one without it (a sort key, say) is answered by
/// the fake with a 400, hence a warning. The query parameters of every operation whose
/// `x-pagination` reads (`operations`, as the model read them), and the problems found.
pub fn read(doc: &Document, operations: &[Operation]) -> (Vec<QueryParameter>, Vec<Problem>) {
    let mut found = Vec::new();
    let mut findings = Vec::new();
    for operation in operations {
        let Some(declared) = &operation.pagination else {
            continue;
        };
        let at = &operation.pointer;
        let Some(op) = doc.at(at) else { continue };
        let parameters = doc.parameters(op, at);
        let names: Vec<&str> = parameters
            .iter()
            .filter_map(|(p, _)| p.get("name").and_then(Value::as_str))
            .collect();
        // A declaration naming no such parameters is `pagination`'s finding, not this one's.
        if !names.contains(&declared.limit.as_str()) || !names.contains(&declared.offset.as_str()) {
            continue;
        }
        let item = doc
            .success_schema(op, at)
            .and_then(|(schema, _)| schema.pointer(&format!("/properties/{}", declared.items)))
            .and_then(|items| doc.resolve(items, ""))
            .and_then(|(items, _)| items.get("items"))
            .and_then(|item| doc.resolve(item, ""))
            .map(|(item, _)| item);
        for (parameter, p_at) in parameters {
            let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
            if parameter.get("in").and_then(Value::as_str) != Some("query") {
                continue;
            }
            let mut read = QueryParameter {
                operation_id: operation.id.clone(),
                name: name.to_owned(),
                field: None,
                paging: name == declared.limit || name == declared.offset,
            };
            if read.paging {
                found.push(read);
                continue;
            }
            let Some(value) = parameter.get(filter_field::EXTENSION) else {
                found.push(read);
                findings.push(Problem::warning(
                    "filter-field",
                    &p_at,
                    format!(
                        "parameter `{name}` has no {}: sms_api::mock::FakeService answers 400 to a request that sends it",
                        filter_field::EXTENSION
                    ),
                    filter_hint(item, name),
                ));
                continue;
            };
            let f_at = format!("{p_at}/{}", filter_field::EXTENSION);
            let path = match value.as_str().map(filter_field::path) {
                Some(Ok(path)) => path,
                Some(Err(message)) => {
                    findings.push(Problem::error(
                        "filter-field",
                        &f_at,
                        message,
                        "write field names joined by dots",
                    ));
                    continue;
                }
                None => {
                    findings.push(Problem::error(
                        "filter-field",
                        &f_at,
                        format!("{} must be a string", filter_field::EXTENSION),
                        "write field names joined by dots",
                    ));
                    continue;
                }
            };
            let named = item.and_then(|item| {
                path.iter().try_fold(item, |schema, field| {
                    let property = schema.pointer(&format!("/properties/{field}"))?;
                    doc.resolve_wrapped(property, "").map(|(s, _)| s)
                })
            });
            if named.is_none() {
                findings.push(Problem::error(
                    "filter-field",
                    &f_at,
                    format!(
                        "{} {:?} names no field of the items of `{}`",
                        filter_field::EXTENSION,
                        path.join("."),
                        declared.items
                    ),
                    "name a property of the item schema, nested properties joined by dots",
                ));
                continue;
            }
            read.field = Some(path.into_iter().map(str::to_owned).collect());
            found.push(read);
        }
    }
    (found, findings)
}
