//! The enum schemas of the spec, with their values' Rust names and meanings
//! (`x-enum-varnames`, `x-enum-descriptions`): checked on the document, then read.
//!
//! typify only emits closed enums, which reject any value the spec does not list; the service
//! sends such values (the documented example has a source-server state `AVAILABLE`). So every
//! enum schema becomes an open enum (`render/open_enums.rs`), and progenitor is told to use
//! those types instead of its own.

use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};
use serde_json::Value;

use super::enum_names::{Wire, check_list_len, variant_names};
use crate::document::Document;
use crate::problem::Problem;

/// One enum schema of the spec.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenEnum {
    /// The schema's name, which the Rust type takes.
    pub name: String,
    /// The schema's description.
    pub description: String,
    /// Its values, in the spec's order.
    pub values: Vec<EnumValue>,
}

/// One value of an enum schema.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumValue {
    /// Its Rust variant name.
    pub variant: String,
    /// The value on the wire.
    pub wire: WireValue,
    /// Its meaning, from `x-enum-descriptions` ("" without one).
    pub description: String,
}

/// An enum value as the service sends it.
#[derive(Clone, Debug, PartialEq)]
pub enum WireValue {
    /// A string value.
    Text(String),
    /// An integer value.
    Integer(i64),
}

/// Reads every enum among the component schemas (after [`check`] found no error).
pub fn collect(spec: &OpenAPI) -> Result<Vec<OpenEnum>, String> {
    let mut found = Vec::new();
    let Some(components) = &spec.components else {
        return Ok(found);
    };
    for (name, schema) in &components.schemas {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let at = format!("#/components/schemas/{name}");
        let wire: Vec<WireValue> = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => s
                .enumeration
                .iter()
                .map(|v| {
                    v.clone()
                        .map(WireValue::Text)
                        .ok_or_else(|| null_value(&at))
                })
                .collect::<Result<_, _>>()?,
            SchemaKind::Type(Type::Integer(i)) if !i.enumeration.is_empty() => i
                .enumeration
                .iter()
                .map(|v| v.map(WireValue::Integer).ok_or_else(|| null_value(&at)))
                .collect::<Result<_, _>>()?,
            _ => continue,
        };
        let data = &schema.schema_data;
        let list = |key: &str| string_list(data.extensions.get(key), key, &at, wire.len());
        let names = list("x-enum-varnames")?;
        let descriptions = list("x-enum-descriptions")?;
        let borrowed: Vec<Wire<'_>> = wire
            .iter()
            .map(|w| match w {
                WireValue::Text(text) => Wire::Text(text),
                WireValue::Integer(n) => Wire::Integer(*n),
            })
            .collect();
        let variants =
            variant_names(&borrowed, names.as_deref()).map_err(|e| format!("{at}: {e}"))?;
        let values = wire
            .into_iter()
            .zip(variants)
            .enumerate()
            .map(|(index, (wire, variant))| EnumValue {
                variant,
                wire,
                description: descriptions
                    .as_ref()
                    .map(|d| d[index].clone())
                    .unwrap_or_default(),
            })
            .collect();
        found.push(OpenEnum {
            name: name.clone(),
            description: data.description.clone().unwrap_or_default(),
            values,
        });
    }
    Ok(found)
}

fn null_value(at: &str) -> String {
    format!("{at}: `null` is not an enum value; mark the schema `nullable` instead")
}

/// An extension that lists one string for each enum value, if the schema has it.
fn string_list(
    value: Option<&serde_json::Value>,
    key: &str,
    at: &str,
    len: usize,
) -> Result<Option<Vec<String>>, String> {
    let Some(value) = value else { return Ok(None) };
    let list: Vec<String> = value
        .as_array()
        .and_then(|items| {
            items
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .ok_or_else(|| format!("{at}/{key}: expected an array of strings"))?;
    check_list_len(key, list.len(), len).map_err(|e| format!("{at}/{e}"))?;
    Ok(Some(list))
}

/// Every enum schema gets a Rust variant name per value, as the build script names them, and
/// each `x-enum-varnames`/`x-enum-descriptions` list has one entry per value.
pub fn check(doc: &Document) -> Vec<Problem> {
    let mut findings = Vec::new();
    let schemas = doc
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
                findings.push(Problem::error(
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
            findings.push(Problem::error(
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
                findings.push(Problem::error(
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
            findings.push(Problem::error(
                "enum-names",
                &format!("{at}/enum"),
                message,
                "give the values distinct Rust names with `x-enum-varnames` (one per value)",
            ));
        }
    }
    findings
}
