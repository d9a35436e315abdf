//! The Rust names of open-enum variants, and the rules they must follow. Shared, by path, by the
//! build script (`types/open_enums.rs`) and `cargo xtask validate`, so that validate refuses
//! exactly the enums the build could not name. Only the standard library is used here.

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
            (None, Wire::Text(text)) => upper_camel(text),
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

/// `MIGRATE_SUCCESS` -> `MigrateSuccess`, `clearfailed` -> `Clearfailed`, `1a` -> `V1a`.
pub fn upper_camel(text: &str) -> String {
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
