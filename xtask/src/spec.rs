//! The spec as a JSON tree, addressed by JSON pointers, with `$ref` resolution.

use std::path::Path;

use serde_json::Value;

/// Where the spec lives, relative to the workspace root.
pub const SPEC_PATH: &str = "spec/sms-list-tasks.json";

/// HTTP methods an OpenAPI path item can hold.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A parsed spec document.
pub struct Spec {
    pub raw: Value,
}

impl Spec {
    /// Parses `text`; `origin` names where it came from in the error.
    pub fn parse(text: &str, origin: &str) -> Result<Spec, String> {
        let raw =
            serde_json::from_str(text).map_err(|e| format!("{origin}: not valid JSON: {e}"))?;
        Ok(Spec { raw })
    }

    /// Reads and parses the spec file at `path`.
    pub fn load(path: &Path) -> Result<Spec, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Spec::parse(&text, &path.display().to_string())
    }

    /// The value at a `#/a/b` pointer.
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        self.raw.pointer(pointer.strip_prefix('#')?)
    }

    /// Follows `$ref`s from `value` (found at `pointer`) to the schema they name, returning it
    /// and its pointer; `None` when a reference does not resolve or loops.
    pub fn resolve<'a>(&'a self, value: &'a Value, pointer: &str) -> Option<(&'a Value, String)> {
        let mut current = (value, pointer.to_owned());
        for _ in 0..32 {
            match current.0.get("$ref").and_then(Value::as_str) {
                Some(target) => current = (self.at(target)?, target.to_owned()),
                None => return Some(current),
            }
        }
        None
    }

    /// [`resolve`](Self::resolve), through a single-`allOf` wrapper too (how a `$ref` is made
    /// nullable or given a description).
    pub fn resolve_wrapped<'a>(
        &'a self,
        value: &'a Value,
        pointer: &str,
    ) -> Option<(&'a Value, String)> {
        let inner = match value
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            Some([only]) => only,
            _ => value,
        };
        self.resolve(inner, pointer)
    }

    /// Every operation: `(METHOD, path, operation, pointer)`.
    pub fn operations(&self) -> Vec<(String, &str, &Value, String)> {
        let mut found = Vec::new();
        if let Some(paths) = self.raw.get("paths").and_then(Value::as_object) {
            for (path, item) in paths {
                for method in METHODS {
                    if let Some(operation) = item.get(method) {
                        let pointer = format!("#/paths/{}/{method}", escape(path));
                        found.push((method.to_uppercase(), path.as_str(), operation, pointer));
                    }
                }
            }
        }
        found
    }

    /// The parameters of an operation, resolved: `(parameter, pointer)`.
    pub fn parameters<'a>(&'a self, operation: &'a Value, at: &str) -> Vec<(&'a Value, String)> {
        let Some(list) = operation.get("parameters").and_then(Value::as_array) else {
            return Vec::new();
        };
        list.iter()
            .enumerate()
            .filter_map(|(i, p)| self.resolve(p, &format!("{at}/parameters/{i}")))
            .collect()
    }
}

impl Spec {
    /// The media-type objects of an operation's responses, `$ref`s resolved:
    /// `(content, pointer)`, e.g. `#/paths/~1v3~1tasks/get/responses/200/content/application~1json`.
    pub fn response_contents<'a>(
        &'a self,
        operation: &'a Value,
        at: &str,
    ) -> Vec<(&'a Value, String)> {
        let mut found = Vec::new();
        let responses = operation.get("responses").and_then(Value::as_object);
        for (status, response) in responses.into_iter().flatten() {
            let Some((response, r_at)) =
                self.resolve(response, &format!("{at}/responses/{status}"))
            else {
                continue;
            };
            let contents = response.get("content").and_then(Value::as_object);
            for (media, content) in contents.into_iter().flatten() {
                found.push((content, format!("{r_at}/content/{}", escape(media))));
            }
        }
        found
    }
}

/// Escapes one JSON-pointer segment (`/` -> `~1`, `~` -> `~0`).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The schema's `type`, if it has one.
pub fn type_of(schema: &Value) -> Option<&str> {
    schema.get("type").and_then(Value::as_str)
}

/// Whether the schema allows `null`.
pub fn nullable(schema: &Value) -> bool {
    schema
        .get("nullable")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// The schema's `description`, or "".
pub fn description(schema: &Value) -> &str {
    schema
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// Calls `visit(schema, pointer)` for `schema` and every schema nested in it (properties, items,
/// additionalProperties, allOf/oneOf/anyOf/not), without following `$ref`s.
pub fn walk_schema<'a>(schema: &'a Value, at: &str, visit: &mut dyn FnMut(&'a Value, &str)) {
    visit(schema, at);
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            walk_schema(
                property,
                &format!("{at}/properties/{}", escape(name)),
                visit,
            );
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(nested) = schema.get(key).filter(|n| n.is_object()) {
            walk_schema(nested, &format!("{at}/{key}"), visit);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(list) = schema.get(key).and_then(Value::as_array) {
            for (i, nested) in list.iter().enumerate() {
                walk_schema(nested, &format!("{at}/{key}/{i}"), visit);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn resolves_references_and_reports_broken_ones() {
        let spec = Spec {
            raw: json!({"components": {"schemas": {
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"type": "string"},
                "Loop": {"$ref": "#/components/schemas/Loop"}
            }}}),
        };
        let a = spec.at("#/components/schemas/A").unwrap();
        let (b, at) = spec.resolve(a, "#/components/schemas/A").unwrap();
        assert_eq!(b, &json!({"type": "string"}));
        assert_eq!(at, "#/components/schemas/B");
        assert!(spec.resolve(&json!({"$ref": "#/nowhere"}), "#").is_none());
        let looped = spec.at("#/components/schemas/Loop").unwrap();
        assert!(spec.resolve(looped, "#").is_none());
    }

    #[test]
    fn escapes_pointer_segments() {
        assert_eq!(escape("/v3/tasks"), "~1v3~1tasks");
        assert_eq!(escape("a~b"), "a~0b");
    }
}
