//! A field a watch follows (`x-watch`'s `fields`): a field of the item (`state`), or a member of
//! each element of a list field, keyed by another member (`sub_tasks[name].progress`: each
//! subtask's progress, keyed by its name). The build script and validate check the spec's paths
//! against the item's schema (`codegen/src/model/waiters.rs`); this reads them from an item.

use std::borrow::Cow;

use serde_json::Value;

/// A watched value's label: a field of the item, or a member of a keyed list's element.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Label<'a> {
    /// `state`.
    Plain(&'a str),
    /// `sub_tasks[MIGRATE_LINUX_FILE].progress`: the list, the element's key, the member.
    Keyed {
        list: &'a str,
        key: Cow<'a, str>,
        member: &'a str,
    },
}

/// Each value an item has for `fields`, with its label: `state`, or
/// `sub_tasks[MIGRATE_LINUX_FILE].progress` for each element of a keyed list. A plain field
/// that is absent is `null`; a keyed list gives one value per element that has a key.
pub(crate) fn visit<'a>(
    item: &'a Value,
    fields: &[&'a str],
    mut each: impl FnMut(Label<'a>, &'a Value),
) {
    for field in fields {
        match keyed(field) {
            Some((list, key, member)) => {
                for element in item
                    .get(list)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let key = match element.get(key) {
                        Some(Value::String(s)) => Cow::Borrowed(s.as_str()),
                        Some(Value::Null) | None => continue,
                        Some(other) => Cow::Owned(other.to_string()),
                    };
                    let value = element.get(member).unwrap_or(&Value::Null);
                    each(Label::Keyed { list, key, member }, value);
                }
            }
            None => each(
                Label::Plain(field),
                item.get(*field).unwrap_or(&Value::Null),
            ),
        }
    }
}

/// `list[key].member` as its three parts; `None` for a plain field.
pub(crate) fn keyed(field: &str) -> Option<(&str, &str, &str)> {
    let (list, rest) = field.split_once('[')?;
    let (key, member) = rest.split_once("].")?;
    Some((list, key, member))
}

/// For a label of a keyed field (`sub_tasks[MIGRATE_LINUX_FILE].progress`), the element's key
/// and the member (`MIGRATE_LINUX_FILE`, `progress`).
///
/// ```
/// use sms_api::wait::element_of;
/// assert_eq!(element_of("sub_tasks[MIGRATE_LINUX_FILE].progress"), Some(("MIGRATE_LINUX_FILE", "progress")));
/// assert_eq!(element_of("state"), None);
/// ```
pub fn element_of(label: &str) -> Option<(&str, &str)> {
    let (_, rest) = label.split_once('[')?;
    rest.rsplit_once("].")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The labels and values `visit` gives, as text.
    fn values(item: &Value, fields: &[&str]) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        visit(item, fields, |label, value| {
            let label = match label {
                Label::Plain(field) => field.to_owned(),
                Label::Keyed { list, key, member } => format!("{list}[{key}].{member}"),
            };
            out.push((label, value.clone()));
        });
        out
    }

    #[test]
    fn plain_and_keyed_fields_are_labelled() {
        let item = json!({
            "state": "RUNNING",
            "sub_tasks": [
                {"name": "SSL_CONFIG", "progress": 100},
                {"name": "MIGRATE_LINUX_FILE", "progress": 40},
                {"progress": 7},
                {"name": 3, "progress": 1},
            ],
        });
        let found = values(
            &item,
            &["state", "sub_tasks[name].progress", "migrate_speed"],
        );
        assert_eq!(
            found,
            [
                ("state".to_owned(), json!("RUNNING")),
                ("sub_tasks[SSL_CONFIG].progress".to_owned(), json!(100)),
                (
                    "sub_tasks[MIGRATE_LINUX_FILE].progress".to_owned(),
                    json!(40)
                ),
                ("sub_tasks[3].progress".to_owned(), json!(1)),
                ("migrate_speed".to_owned(), Value::Null),
            ]
        );
        assert_eq!(
            keyed("sub_tasks[name].progress"),
            Some(("sub_tasks", "name", "progress"))
        );
        assert_eq!(keyed("state"), None);
        assert_eq!(values(&json!({}), &["sub_tasks[name].progress"]), []);
    }
}
