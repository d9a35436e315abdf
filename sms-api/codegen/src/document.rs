//! The spec as a JSON tree, addressed by JSON pointers, with `$ref` resolution: how the model's
//! checks and `cargo xtask`'s repository rules walk the document.

use serde_json::Value;

/// HTTP methods an OpenAPI path item can hold.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A parsed spec document.
///
/// ```
/// use sms_api_codegen::document::Document;
/// let doc = Document::parse(r#"{"paths": {"/v3/tasks": {"get": {}}}}"#, "spec.json").unwrap();
/// let (method, path, _, pointer) = &doc.operations()[0];
/// assert_eq!((method.as_str(), *path, pointer.as_str()), ("GET", "/v3/tasks", "#/paths/~1v3~1tasks/get"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// The document as JSON.
    pub raw: Value,
}

impl Document {
    /// Parses `text`; `origin` names where it came from in the error.
    pub fn parse(text: &str, origin: &str) -> Result<Document, String> {
        let raw =
            serde_json::from_str(text).map_err(|e| format!("{origin}: not valid JSON: {e}"))?;
        Ok(Document { raw })
    }

    /// Every `$ref` in the document: `(pointer of the object holding it, target)`.
    pub fn references(&self) -> Vec<(String, String)> {
        fn walk(value: &Value, at: &str, found: &mut Vec<(String, String)>) {
            match value {
                Value::Object(map) => {
                    if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                        found.push((at.to_owned(), target.to_owned()));
                    }
                    for (key, nested) in map {
                        walk(nested, &format!("{at}/{}", escape(key)), found);
                    }
                }
                Value::Array(items) => {
                    for (i, nested) in items.iter().enumerate() {
                        walk(nested, &format!("{at}/{i}"), found);
                    }
                }
                _ => {}
            }
        }
        let mut found = Vec::new();
        walk(&self.raw, "#", &mut found);
        found
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

    /// The parameters of an operation, resolved: `(parameter, pointer)`: those its path item
    /// declares for all its operations, then its own, an operation's parameter replacing the
    /// path item's of the same name and location (as OpenAPI says).
    ///
    /// ```
    /// use sms_api_codegen::document::Document;
    /// let doc = Document::parse(r#"{"paths": {"/v3/tasks/{task_id}": {
    ///     "parameters": [{"name": "task_id", "in": "path"}],
    ///     "get": {"parameters": [{"name": "x", "in": "query"}]}}}}"#, "spec.json").unwrap();
    /// let at = "#/paths/~1v3~1tasks~1{task_id}/get";
    /// let found: Vec<String> = doc.parameters(doc.at(at).unwrap(), at).into_iter().map(|(_, p)| p).collect();
    /// assert_eq!(found, ["#/paths/~1v3~1tasks~1{task_id}/parameters/0", "#/paths/~1v3~1tasks~1{task_id}/get/parameters/0"]);
    /// ```
    pub fn parameters<'a>(&'a self, operation: &'a Value, at: &str) -> Vec<(&'a Value, String)> {
        let declared = |holder: &'a Value, holder_at: &str| -> Vec<(&'a Value, String)> {
            holder
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .filter_map(|(i, p)| self.resolve(p, &format!("{holder_at}/parameters/{i}")))
                .collect()
        };
        let key = |p: &Value| (p.get("in").cloned(), p.get("name").cloned());
        let own = declared(operation, at);
        let mut found: Vec<(&'a Value, String)> = match at.rsplit_once('/') {
            Some((item_at, _)) => self
                .at(item_at)
                .map(|item| declared(item, item_at))
                .unwrap_or_default()
                .into_iter()
                .filter(|(p, _)| !own.iter().any(|(o, _)| key(o) == key(p)))
                .collect(),
            None => Vec::new(),
        };
        found.extend(own);
        found
    }
}

impl Document {
    /// The component schemas, by name, in document order.
    ///
    /// ```
    /// use sms_api_codegen::document::Document;
    /// let doc = Document::parse(r#"{"components": {"schemas": {"Task": {"type": "object"}}}}"#, "spec.json").unwrap();
    /// let names: Vec<&str> = doc.component_schemas().map(|(name, _)| name.as_str()).collect();
    /// assert_eq!(names, ["Task"]);
    /// assert!(doc.component_schema("Task").is_some());
    /// ```
    pub fn component_schemas(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.raw
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
    }

    /// The component schema `name`, if the document has one.
    pub fn component_schema(&self, name: &str) -> Option<&Value> {
        self.raw.get("components")?.get("schemas")?.get(name)
    }

    /// Every schema in the document: component schemas and the schemas of parameters and media
    /// types, with the schemas nested in them.
    pub fn every_schema(&self) -> Vec<(&Value, String)> {
        let mut roots: Vec<(&Value, String)> = self
            .component_schemas()
            .map(|(name, schema)| {
                let at = format!("#/components/schemas/{}", escape(name));
                (schema, at)
            })
            .collect();
        for (_, _, op, at) in self.operations() {
            if let Some(list) = op.get("parameters").and_then(Value::as_array) {
                for (i, p) in list.iter().enumerate() {
                    if let Some(schema) = p.get("schema") {
                        roots.push((schema, format!("{at}/parameters/{i}/schema")));
                    }
                }
            }
            for (content, c_at) in self.response_contents(op, &at) {
                if let Some(schema) = content.get("schema") {
                    roots.push((schema, format!("{c_at}/schema")));
                }
            }
        }
        let mut all = Vec::new();
        for (root, at) in roots {
            walk_schema(root, &at, &mut |schema, s_at| {
                all.push((schema, s_at.to_owned()))
            });
        }
        all
    }

    /// The schema of an operation's success (2xx) response, resolved, with its pointer.
    pub fn success_schema<'a>(
        &'a self,
        operation: &'a Value,
        at: &str,
    ) -> Option<(&'a Value, String)> {
        self.response_contents(operation, at)
            .into_iter()
            .find(|(_, c_at)| c_at.contains("/responses/2"))
            .and_then(|(content, c_at)| {
                self.resolve(content.get("schema")?, &format!("{c_at}/schema"))
            })
    }

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
        let spec = Document {
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
