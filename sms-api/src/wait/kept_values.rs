//! What a watch keeps of each item between looks, compactly: every label once for the whole
//! watch (20,000 tasks share the few names of their subtasks), each value in 24 bytes (numbers
//! and booleans inline, texts shared while there are few distinct ones, as states and
//! `subtask_info` are), so that a watch of 20,000 tasks keeps a few hundred bytes a task.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::sync::Arc;

use serde_json::Value;

use super::watched_field::Label;

/// Distinct texts shared at most; past them, each text is kept on its own (a field whose values
/// are all different, such as an error message, must not grow the table without bound).
const MAX_SHARED_TEXTS: usize = 4096;

/// A watched value as kept between looks.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Kept {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(Arc<str>),
    /// Anything else (an object, a list, a number beyond `i64`), as received.
    Json(Box<Value>),
}

impl Kept {
    /// The value as JSON again, for a [`FieldChange`](super::FieldChange).
    pub(crate) fn to_value(&self) -> Value {
        match self {
            Kept::Null => Value::Null,
            Kept::Bool(b) => Value::Bool(*b),
            Kept::Int(n) => Value::from(*n),
            Kept::Float(x) => Value::from(*x),
            Kept::Text(text) => Value::String(text.to_string()),
            Kept::Json(value) => (**value).clone(),
        }
    }
}

/// An item's watched fields: each label's id and value, in the order of `Watched::FIELDS`.
pub(crate) type Fields = Box<[(u32, Kept)]>;

/// The labels and the texts of a watch, each kept once.
#[derive(Debug, Default)]
pub(crate) struct Interned {
    labels: Vec<Arc<str>>,
    label_ids: HashMap<Arc<str>, u32>,
    texts: HashSet<Arc<str>>,
    /// Where a keyed label is written to be looked up (no allocation for a known one).
    scratch: String,
}

impl Interned {
    /// The id of `label`.
    pub(crate) fn label(&mut self, label: &Label<'_>) -> u32 {
        self.scratch.clear();
        match label {
            Label::Plain(field) => self.scratch.push_str(field),
            Label::Keyed { list, key, member } => {
                let _ = write!(self.scratch, "{list}[{key}].{member}");
            }
        }
        if let Some(id) = self.label_ids.get(self.scratch.as_str()) {
            return *id;
        }
        let id = u32::try_from(self.labels.len()).unwrap_or(u32::MAX);
        let text: Arc<str> = Arc::from(self.scratch.as_str());
        self.labels.push(text.clone());
        self.label_ids.insert(text, id);
        id
    }

    /// The text of the label `id`.
    pub(crate) fn label_text(&self, id: u32) -> &str {
        self.labels.get(id as usize).map_or("", |l| l)
    }

    /// `value`, as kept.
    pub(crate) fn keep(&mut self, value: &Value) -> Kept {
        match value {
            Value::Null => Kept::Null,
            Value::Bool(b) => Kept::Bool(*b),
            Value::Number(n) => match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => Kept::Int(i),
                (None, Some(x)) if n.is_f64() => Kept::Float(x),
                _ => Kept::Json(Box::new(value.clone())),
            },
            Value::String(s) => Kept::Text(self.text(s)),
            other => Kept::Json(Box::new(other.clone())),
        }
    }

    fn text(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.texts.get(text) {
            return shared.clone();
        }
        let owned: Arc<str> = Arc::from(text);
        if self.texts.len() < MAX_SHARED_TEXTS {
            self.texts.insert(owned.clone());
        }
        owned
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn labels_and_texts_are_kept_once() {
        let mut interned = Interned::default();
        let keyed = Label::Keyed {
            list: "sub_tasks",
            key: "SSL_CONFIG".into(),
            member: "progress",
        };
        let a = interned.label(&keyed);
        assert_eq!(interned.label(&keyed), a);
        assert_ne!(interned.label(&Label::Plain("state")), a);
        assert_eq!(interned.label_text(a), "sub_tasks[SSL_CONFIG].progress");
        let (Kept::Text(x), Kept::Text(y)) = (
            interned.keep(&json!("RUNNING")),
            interned.keep(&json!("RUNNING")),
        ) else {
            panic!("texts");
        };
        assert!(Arc::ptr_eq(&x, &y));
        assert_eq!(std::mem::size_of::<Kept>(), 24);
    }

    #[test]
    fn values_come_back_as_received() {
        let mut interned = Interned::default();
        for value in [
            json!(null),
            json!(true),
            json!(-3),
            json!(40),
            json!(2.5),
            json!(u64::MAX),
            json!("x"),
            json!({"a": [1]}),
        ] {
            assert_eq!(interned.keep(&value).to_value(), value);
        }
        // 5 and 5.0 are different values, as JSON has them.
        assert_ne!(interned.keep(&json!(5)), interned.keep(&json!(5.0)));
    }
}
