//! The enum schemas of the spec, with their values' Rust names and meanings
//! (`x-enum-varnames`, `x-enum-descriptions`), read and checked in one pass over the document.
//!
//! typify only emits closed enums, which reject any value the spec does not list; the service
//! sends such values (the documented example has a source-server state `AVAILABLE`). So every
//! enum schema becomes an open enum (`render/open_enums.rs`), and progenitor is told to use
//! those types instead of its own.

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

/// Every enum schema of the components, read once: each gets a Rust variant name per value, and
/// each `x-enum-varnames`/`x-enum-descriptions` list has one entry per value. The enums of the
/// schemas that break no rule, and the problems of those that do.
pub fn read(doc: &Document) -> (Vec<OpenEnum>, Vec<Problem>) {
    let mut found = Vec::new();
    let mut findings = Vec::new();
    for (name, schema) in doc.component_schemas() {
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
        let variants = match variant_names(&wire, varnames.as_deref()) {
            Ok(variants) => variants,
            Err(message) => {
                findings.push(Problem::error(
                    "enum-names",
                    &format!("{at}/enum"),
                    message,
                    "give the values distinct Rust names with `x-enum-varnames` (one per value)",
                ));
                continue;
            }
        };
        // An enum of another type (or of none) is left to typify, as progenitor reads it.
        if !matches!(
            schema.get("type").and_then(Value::as_str),
            Some("string" | "integer")
        ) {
            continue;
        }
        let meanings = schema.get("x-enum-descriptions").and_then(Value::as_array);
        let values = wire
            .iter()
            .zip(variants)
            .enumerate()
            .map(|(index, (wire, variant))| EnumValue {
                variant,
                wire: match wire {
                    Wire::Text(text) => WireValue::Text((*text).to_owned()),
                    Wire::Integer(n) => WireValue::Integer(*n),
                },
                description: meanings
                    .and_then(|m| m.get(index))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
            })
            .collect();
        found.push(OpenEnum {
            name: name.clone(),
            description: schema
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            values,
        });
    }
    (found, findings)
}
