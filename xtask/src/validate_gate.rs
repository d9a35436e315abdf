//! The validate rules that mirror what the build script refuses, so that a spec `cargo xtask
//! validate` accepts also builds: enum variant names (by the build script's own code), `x-enum-*`
//! list lengths, bounds in order, and `x-pagination`.

use serde_json::Value;

use crate::finding::Finding;
use crate::spec::Spec;

#[path = "../../sms-api/build/types/enum_names.rs"]
mod enum_names;
#[path = "../../sms-api/build/client/region_ids.rs"]
mod region_ids;

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
/// size and the offset ceiling), and the count and items fields of the success response.
pub fn pagination(spec: &Spec) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (_, _, op, at) in spec.operations() {
        let Some(declared) = op.get("x-pagination") else {
            continue;
        };
        let p_at = format!("{at}/x-pagination");
        let mut error = |message: String, fix: &str| {
            findings.push(Finding::error("pagination", &p_at, message, fix));
        };
        let names: Option<Vec<&str>> = ["limit", "offset", "count", "items"]
            .iter()
            .map(|k| declared.get(*k).and_then(Value::as_str))
            .collect();
        let extra = declared.as_object().map_or(0, |o| {
            o.keys()
                .filter(|k| !matches!(k.as_str(), "limit" | "offset" | "count" | "items"))
                .count()
        });
        let (Some(names), 0) = (names, extra) else {
            error(
                "x-pagination must name exactly `limit`, `offset`, `count` and `items`".into(),
                "write {\"limit\": <param>, \"offset\": <param>, \"count\": <field>, \"items\": <field>}",
            );
            continue;
        };
        let parameters = spec.parameters(op, &at);
        for (role, name) in [("limit", names[0]), ("offset", names[1])] {
            let found = parameters.iter().find(|(p, _)| {
                p.get("name").and_then(Value::as_str) == Some(name)
                    && p.get("in").and_then(Value::as_str) == Some("query")
            });
            let schema = found
                .and_then(|(p, p_at)| spec.resolve(p.get("schema")?, &format!("{p_at}/schema")))
                .map(|(s, _)| s);
            let usable = schema.is_some_and(|s| {
                s.get("type").and_then(Value::as_str) == Some("integer")
                    && s.get("maximum")
                        .and_then(Value::as_i64)
                        .is_some_and(|m| role == "offset" || m >= 1)
            });
            if !usable {
                error(
                    format!(
                        "the {role} parameter `{name}` is not an integer query parameter of this operation with a `maximum`{}",
                        if role == "limit" {
                            " of at least 1"
                        } else {
                            ""
                        }
                    ),
                    "name a query parameter with \"type\": \"integer\" and a \"maximum\"",
                );
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
        let property = |name: &str| {
            schema
                .pointer(&format!("/properties/{name}"))
                .and_then(|p| spec.resolve(p, "").map(|(s, _)| s))
        };
        if property(names[2])
            .and_then(|p| p.get("type"))
            .and_then(Value::as_str)
            != Some("integer")
        {
            error(
                format!(
                    "the count field `{}` is not an integer property of the success response",
                    names[2]
                ),
                "name the integer property that holds the number of matching items",
            );
        }
        match property(names[3]) {
            Some(items)
                if items.get("type").and_then(Value::as_str) == Some("array")
                    && items.get("items").is_some() => {}
            _ => error(
                format!(
                    "the items field `{}` is not an array property of the success response",
                    names[3]
                ),
                "name the array property that holds the page's items",
            ),
        }
    }
    findings
}
