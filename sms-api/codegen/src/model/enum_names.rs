//! The Rust names of open-enum variants, and the rules they must follow: the model checks an
//! enum schema (`enums.rs`) with the same function that names its variants.

use crate::names::variant_name;

/// One enum value as the spec writes it.
pub enum Wire<'a> {
    Text(&'a str),
    Integer(i64),
}

/// The variant name of each value: from `x-enum-varnames` when the spec gives them, else from
/// the text (`MIGRATE_SUCCESS` → `MigrateSuccess`). An error says which value cannot be named,
/// or which two collide.
pub fn variant_names(
    values: &[Wire<'_>],
    varnames: Option<&[String]>,
) -> Result<Vec<String>, String> {
    let mut names: Vec<String> = Vec::with_capacity(values.len());
    for (index, wire) in values.iter().enumerate() {
        let name = match (varnames, wire) {
            (Some(given), _) => given[index].clone(),
            (None, Wire::Text(text)) => variant_name(text),
            (None, Wire::Integer(n)) => {
                return Err(format!(
                    "integer value {n} needs a variant name: add `x-enum-varnames`"
                ));
            }
        };
        if !is_variant_name(&name) {
            return Err(format!("`{name}` cannot name an enum variant"));
        }
        if let Some(first) = names.iter().position(|n| *n == name) {
            return Err(format!(
                "values {} and {} both map to the variant `{name}`",
                shown(&values[first]),
                shown(wire)
            ));
        }
        names.push(name);
    }
    Ok(names)
}

/// An `x-enum-*` list must give one entry for each value.
pub fn check_list_len(key: &str, entries: usize, values: usize) -> Result<(), String> {
    if entries == values {
        Ok(())
    } else {
        Err(format!("{key}: {entries} entries for {values} enum values"))
    }
}

/// A Rust identifier that is no keyword, and not `UnknownValue` (the open enums' own variant).
fn is_variant_name(name: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
        "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
        "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv",
        "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "try",
        "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
    ];
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
        && name != "UnknownValue"
        && !KEYWORDS.contains(&name)
}

fn shown(wire: &Wire<'_>) -> String {
    match wire {
        Wire::Text(text) => format!("{text:?}"),
        Wire::Integer(n) => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_values_or_from_x_enum_varnames() {
        let values = [Wire::Text("RUNNING"), Wire::Text("MIGRATE_FAIL")];
        assert_eq!(
            variant_names(&values, None).unwrap(),
            ["Running", "MigrateFail"]
        );
        let given = ["Go".to_owned(), "Stop".to_owned()];
        assert_eq!(
            variant_names(&values, Some(&given)).unwrap(),
            ["Go", "Stop"]
        );
    }

    #[test]
    fn colliding_keyword_and_reserved_names_are_refused() {
        let collide = [Wire::Text("RUNNING"), Wire::Text("running")];
        let message = variant_names(&collide, None).unwrap_err();
        assert!(message.contains("\"RUNNING\" and \"running\""), "{message}");
        let keyword = ["type".to_owned()];
        assert!(variant_names(&[Wire::Text("x")], Some(&keyword)).is_err());
        assert!(variant_names(&[Wire::Text("UNKNOWN_VALUE")], None).is_err());
        assert!(
            variant_names(&[Wire::Integer(1)], None)
                .unwrap_err()
                .contains("x-enum-varnames")
        );
    }

    #[test]
    fn lists_need_one_entry_per_value() {
        assert!(check_list_len("x-enum-descriptions", 2, 2).is_ok());
        assert_eq!(
            check_list_len("x-enum-descriptions", 1, 2).unwrap_err(),
            "x-enum-descriptions: 1 entries for 2 enum values"
        );
    }
}
