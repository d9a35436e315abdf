//! Derives open enums from the enum schemas of the spec.
//!
//! typify only emits closed enums, which reject any value the spec does not list; the service
//! sends such values (the documented example has a source-server state `AVAILABLE`). So every
//! enum schema becomes an invocation of the hand-written `open_string_enum!`/`open_int_enum!`
//! macros (src/open_enum.rs), and progenitor is told to use those types instead of its own.

use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};
use proc_macro2::Ident;

/// One enum schema of the spec.
pub struct OpenEnum {
    pub name: String,
    description: String,
    values: Vec<EnumValue>,
}

struct EnumValue {
    variant: String,
    wire: WireValue,
    description: String,
}

enum WireValue {
    Text(String),
    Integer(i64),
}

/// Finds every enum among the component schemas.
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
        let mut values = Vec::new();
        for (index, wire) in wire.into_iter().enumerate() {
            let variant = match (&names, &wire) {
                (Some(names), _) => names[index].clone(),
                (None, WireValue::Text(text)) => upper_camel(text),
                (None, WireValue::Integer(n)) => {
                    return Err(format!(
                        "{at}: integer value {n} needs a variant name: add `x-enum-varnames`"
                    ));
                }
            };
            if syn::parse_str::<Ident>(&variant).is_err() || variant == "UnknownValue" {
                return Err(format!("{at}: `{variant}` cannot name an enum variant"));
            }
            if values.iter().any(|v: &EnumValue| v.variant == variant) {
                return Err(format!("{at}: two values map to the variant `{variant}`"));
            }
            let description = descriptions
                .as_ref()
                .map(|d| d[index].clone())
                .unwrap_or_default();
            values.push(EnumValue {
                variant,
                wire,
                description,
            });
        }
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
    if list.len() != len {
        return Err(format!(
            "{at}/{key}: {} entries for {len} enum values",
            list.len()
        ));
    }
    Ok(Some(list))
}

/// `MIGRATE_SUCCESS` -> `MigrateSuccess`, `clearfailed` -> `Clearfailed`.
fn upper_camel(text: &str) -> String {
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

/// The macro invocations that define every open enum, formatted for a reader (prettyplease
/// would put a whole invocation on a few long lines).
pub fn render(enums: &[OpenEnum]) -> String {
    let mut out = String::from(
        "// Generated by sms-api/build/types/open_enums.rs from the enum schemas of the spec. Do not edit.\n",
    );
    for e in enums {
        let integer = matches!(
            e.values.first().map(|v| &v.wire),
            Some(WireValue::Integer(_))
        );
        let kind = if integer { "int" } else { "string" };
        out.push_str(&format!("\nopen_{kind}_enum! {{\n"));
        push_doc(&mut out, "    ", &e.description);
        out.push_str(&format!("    {} {{\n", e.name));
        for v in &e.values {
            let wire = match &v.wire {
                WireValue::Text(t) => format!("{t:?}"),
                WireValue::Integer(n) => n.to_string(),
            };
            let shown = wire.trim_matches('"');
            push_doc(
                &mut out,
                "        ",
                &format!("`{shown}`: {}", v.description),
            );
            out.push_str(&format!("        {} = {wire},\n", v.variant));
        }
        out.push_str("    }\n}\n");
    }
    out
}

fn push_doc(out: &mut String, indent: &str, text: &str) {
    for line in text.lines() {
        if line.is_empty() {
            out.push_str(&format!("{indent}///\n"));
        } else {
            out.push_str(&format!("{indent}/// {line}\n"));
        }
    }
}
