//! The validate rules that mirror what the build script refuses, so that a spec `cargo xtask
//! validate` accepts also builds: enum variant names (by the build script's own code), `x-enum-*`
//! list lengths, bounds in order, and `x-pagination`.

use serde_json::Value;

use crate::finding::Finding;
use crate::spec::Spec;

#[path = "../../sms-api/build/paging/declared.rs"]
mod declared;
#[path = "../../sms-api/build/types/enum_names.rs"]
mod enum_names;
#[path = "../../sms-api/build/mock/filter_field.rs"]
mod filter_field;
#[path = "../../sms-api/build/client/region_ids.rs"]
mod region_ids;
#[path = "../../sms-api/build/wait/model.rs"]
#[allow(dead_code)] // validate reads the problems; the build script reads the waiters.
pub mod waiters;

use enum_names::{Wire, check_list_len, variant_names};

/// Every enum schema gets a Rust variant name per value, as the build script names them, and
/// each `x-enum-varnames`/`x-enum-descriptions` list has one entry per value.
pub fn enum_names(spec: &Spec) -> Vec<Finding> {
    let mut findings = Vec::new();
    let schemas = spec
        .raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten();
    for (name, schema) in schemas {
        let Some(values) = schema.get("enum").and_then(Value::as_array) else {
            continue;
        };
        let at = format!("#/components/schemas/{name}");
        let mut lists_ok = true;
        for key in ["x-enum-varnames", "x-enum-descriptions"] {
            let Some(list) = schema.get(key) else {
                continue;
            };
            let entries = list.as_array().map_or(0, Vec::len);
            if let Err(message) = check_list_len(key, entries, values.len()) {
                lists_ok = false;
                findings.push(Finding::error(
                    "enum-lists",
                    &format!("{at}/{key}"),
                    message,
                    "give one entry per enum value, in the order of `enum`",
                ));
            }
        }
        let wire: Option<Vec<Wire<'_>>> = values
            .iter()
            .map(|v| match v {
                Value::String(s) => Some(Wire::Text(s)),
                Value::Number(n) => n.as_i64().map(Wire::Integer),
                _ => None,
            })
            .collect();
        let Some(wire) = wire else {
            findings.push(Finding::error(
                "enum-names",
                &format!("{at}/enum"),
                "enum values must be strings or integers (`null` is not a value: mark the schema `nullable`)",
                "remove the other values",
            ));
            continue;
        };
        for key in ["x-enum-varnames", "x-enum-descriptions"] {
            let strings = schema
                .get(key)
                .is_none_or(|v| v.as_array().is_some_and(|a| a.iter().all(Value::is_string)));
            if !strings {
                lists_ok = false;
                findings.push(Finding::error(
                    "enum-lists",
                    &format!("{at}/{key}"),
                    format!("{key} must be an array of strings"),
                    "write one string per enum value",
                ));
            }
        }
        let varnames: Option<Vec<String>> = schema.get("x-enum-varnames").and_then(|v| {
            v.as_array()?
                .iter()
                .map(|n| n.as_str().map(str::to_owned))
                .collect()
        });
        if !lists_ok {
            continue;
        }
        if let Err(message) = variant_names(&wire, varnames.as_deref()) {
            findings.push(Finding::error(
                "enum-names",
                &format!("{at}/enum"),
                message,
                "give the values distinct Rust names with `x-enum-varnames` (one per value)",
            ));
        }
    }
    findings
}

/// Every server names its region with a distinct `x-region-id`, as the build script needs to
/// make the `Region` constants.
pub fn region_ids(spec: &Spec) -> Vec<Finding> {
    let mut findings = Vec::new();
    let servers = spec.raw.get("servers").and_then(Value::as_array);
    let mut earlier: Vec<&str> = Vec::new();
    for (index, server) in servers.into_iter().flatten().enumerate() {
        let id = server.get("x-region-id").and_then(Value::as_str);
        if let Some(problem) = region_ids::problem(id, &earlier) {
            findings.push(Finding::error(
                "region-id",
                &format!("#/servers/{index}"),
                problem,
                "give each server a distinct `x-region-id` such as `cn-north-4`",
            ));
        }
        earlier.extend(id);
    }
    findings
}

/// `minimum` ≤ `maximum` and `minLength` ≤ `maxLength` wherever both are given.
pub fn bounds_in_order(schemas: &[(&Value, String)]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (schema, at) in schemas {
        for (low, high) in [("minimum", "maximum"), ("minLength", "maxLength")] {
            let (Some(l), Some(h)) = (
                schema.get(low).and_then(Value::as_f64),
                schema.get(high).and_then(Value::as_f64),
            ) else {
                continue;
            };
            if l > h {
                findings.push(Finding::error(
                    "bounds-order",
                    at,
                    format!("`{low}` {l} is above `{high}` {h}: no value is allowed"),
                    format!("correct `{low}` or `{high}`"),
                ));
            }
        }
    }
    findings
}

/// `x-pagination` names integer limit and offset query parameters with a maximum (the page
/// size and the offset ceiling), and the count and items fields of the success response: the
/// build script's own rules (`sms-api/build/paging/declared.rs`), applied to the raw spec.
pub fn pagination(spec: &Spec) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (_, _, op, at) in spec.operations() {
        let Some(value) = op.get("x-pagination") else {
            continue;
        };
        let p_at = format!("{at}/x-pagination");
        let mut error = |message: String, fix: &str| {
            findings.push(Finding::error("pagination", &p_at, message, fix));
        };
        let declared = match declared::parse(value) {
            Ok(declared) => declared,
            Err(message) => {
                error(message, declared::SHAPE_FIX);
                continue;
            }
        };
        let parameters = spec.parameters(op, &at);
        for (role, name) in [("limit", &declared.limit), ("offset", &declared.offset)] {
            let facts = parameters
                .iter()
                .find(|(p, _)| p.get("name").and_then(Value::as_str) == Some(name))
                .map(|(p, p_at)| {
                    let schema = spec
                        .resolve(
                            p.get("schema").unwrap_or(&Value::Null),
                            &format!("{p_at}/schema"),
                        )
                        .map(|(s, _)| s);
                    declared::Parameter {
                        integer_query: p.get("in").and_then(Value::as_str) == Some("query")
                            && schema.and_then(|s| s.get("type")).and_then(Value::as_str)
                                == Some("integer"),
                        maximum: schema
                            .and_then(|s| s.get("maximum"))
                            .and_then(Value::as_i64),
                    }
                });
            if let Err(message) = declared::parameter_maximum(role, name, facts) {
                error(message, declared::PARAMETER_FIX);
            }
        }
        let success = spec
            .response_contents(op, &at)
            .into_iter()
            .find(|(_, c_at)| c_at.contains("/responses/2"))
            .and_then(|(content, c_at)| {
                spec.resolve(content.get("schema")?, &format!("{c_at}/schema"))
            });
        let Some((schema, _)) = success else {
            error(
                "the operation has no JSON success response to page through".into(),
                "add a 2xx response with an object schema",
            );
            continue;
        };
        let field = |name: &str| {
            let property = schema
                .pointer(&format!("/properties/{name}"))
                .and_then(|p| spec.resolve(p, "").map(|(s, _)| s))?;
            Some(match property.get("type").and_then(Value::as_str) {
                Some("integer") => declared::Field::Integer,
                Some("array") if property.get("items").is_some() => declared::Field::Array,
                _ => declared::Field::Other,
            })
        };
        for (message, fix) in
            declared::fields(&declared, field(&declared.count), field(&declared.items))
        {
            error(message, fix);
        }
    }
    findings
}

/// Each query parameter of a paginated operation (but its limit and offset) says with
/// `x-filter-field` which field of an item it selects on, a path the item schema has, so that
/// `FakeService` filters as the service does; one without it (a sort key, say) is answered by
/// the fake with a 400, hence a warning. Read as the build script reads it
/// (`sms-api/build/mock/filter_field.rs`).
pub fn filter_fields(spec: &Spec) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (_, _, op, at) in spec.operations() {
        let Some(Ok(declared)) = op.get("x-pagination").map(declared::parse) else {
            continue;
        };
        let parameters = spec.parameters(op, &at);
        let names: Vec<&str> = parameters
            .iter()
            .filter_map(|(p, _)| p.get("name").and_then(Value::as_str))
            .collect();
        // A declaration naming no such parameters is `pagination`'s finding, not this one's.
        if !names.contains(&declared.limit.as_str()) || !names.contains(&declared.offset.as_str()) {
            continue;
        }
        let item = spec
            .response_contents(op, &at)
            .into_iter()
            .find(|(_, c_at)| c_at.contains("/responses/2"))
            .and_then(|(content, c_at)| {
                spec.resolve(content.get("schema")?, &format!("{c_at}/schema"))
            })
            .and_then(|(schema, _)| schema.pointer(&format!("/properties/{}", declared.items)))
            .and_then(|items| spec.resolve(items, ""))
            .and_then(|(items, _)| items.get("items"))
            .and_then(|item| spec.resolve(item, ""))
            .map(|(item, _)| item);
        for (parameter, p_at) in parameters {
            let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
            if parameter.get("in").and_then(Value::as_str) != Some("query")
                || name == declared.limit
                || name == declared.offset
            {
                continue;
            }
            let Some(value) = parameter.get(filter_field::EXTENSION) else {
                findings.push(Finding::warning(
                    "filter-field",
                    &p_at,
                    format!(
                        "parameter `{name}` has no {}: sms_api::mock::FakeService answers 400 to a request that sends it",
                        filter_field::EXTENSION
                    ),
                    "if it selects items, name the item field it matches, e.g. \"x-filter-field\": \"source_server.id\"",
                ));
                continue;
            };
            let f_at = format!("{p_at}/{}", filter_field::EXTENSION);
            let path = match value.as_str().map(filter_field::path) {
                Some(Ok(path)) => path,
                Some(Err(message)) => {
                    findings.push(Finding::error(
                        "filter-field",
                        &f_at,
                        message,
                        "write field names joined by dots",
                    ));
                    continue;
                }
                None => {
                    findings.push(Finding::error(
                        "filter-field",
                        &f_at,
                        format!("{} must be a string", filter_field::EXTENSION),
                        "write field names joined by dots",
                    ));
                    continue;
                }
            };
            let found = item.and_then(|item| {
                path.iter().try_fold(item, |schema, field| {
                    let property = schema.pointer(&format!("/properties/{field}"))?;
                    spec.resolve_wrapped(property, "").map(|(s, _)| s)
                })
            });
            if found.is_none() {
                findings.push(Finding::error(
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
            }
        }
    }
    findings
}

/// `x-waiters` and `x-watch` as the build script reads them (`sms-api/build/wait/model.rs`):
/// names, delays, states, comparators, and every path naming fields of the success response
/// that fit its comparator; at least one success acceptor per waiter; a watch's key and fields
/// naming fields of a paginated operation's items.
pub fn waiter_declarations(spec: &Spec) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (_, _, op, at) in spec.operations() {
        let (_, mut problems) = waiters::collect(&spec.raw, op, &at);
        if let Err(problem) = waiters::watch(&spec.raw, op, &at) {
            problems.push(problem);
        }
        for problem in problems {
            findings.push(Finding::error(
                "waiters",
                &problem.at,
                problem.message,
                "see the x-waiters shape in sms-api/build/wait/model.rs (smithy's waiters)",
            ));
        }
    }
    findings
}
