//! How the generator names Rust items after the spec's names: the one place each rule lives.

/// The type name progenitor and typify derive from an operation id or a parameter name:
/// `list_tasks` as `ListTasks`. The rest of each word is kept as written.
///
/// ```
/// assert_eq!(sms_api_codegen::names::type_name("list_tasks"), "ListTasks");
/// ```
pub fn type_name(snake: &str) -> String {
    snake
        .split(['_', '-'])
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// The variant name of an enum value with no `x-enum-varnames`: `MIGRATE_SUCCESS` as
/// `MigrateSuccess`, `clearfailed` as `Clearfailed`, `1a` as `V1a` (each word lower-cased after
/// its first letter, unlike [`type_name`]).
///
/// ```
/// assert_eq!(sms_api_codegen::names::variant_name("MIGRATE_SUCCESS"), "MigrateSuccess");
/// ```
pub fn variant_name(text: &str) -> String {
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

/// `TaskMigrated` as `task_migrated`.
///
/// ```
/// assert_eq!(sms_api_codegen::names::snake_case("TaskMigrated"), "task_migrated");
/// ```
pub fn snake_case(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The builder method a waiter becomes: `TaskMigrated` as `wait_until_task_migrated`. The
/// generator names it so, and `cargo xtask diff` reports it so.
///
/// ```
/// assert_eq!(sms_api_codegen::names::waiter_method("TaskMigrated"), "wait_until_task_migrated");
/// ```
pub fn waiter_method(waiter: &str) -> String {
    format!("wait_until_{}", snake_case(waiter))
}

/// The constant a region id becomes: `cn-north-4` as `CN_NORTH_4`.
///
/// ```
/// assert_eq!(sms_api_codegen::names::region_constant("cn-north-4"), "CN_NORTH_4");
/// ```
pub fn region_constant(id: &str) -> String {
    id.to_ascii_uppercase().replace('-', "_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_keep_the_case_of_later_letters() {
        assert_eq!(type_name("list_tasks"), "ListTasks");
        assert_eq!(type_name("name"), "Name");
        assert_eq!(type_name("show-task"), "ShowTask");
        assert_eq!(type_name("get_URL"), "GetURL");
    }

    #[test]
    fn variant_names_lower_the_rest_of_each_word_and_never_start_with_a_digit() {
        assert_eq!(variant_name("MIGRATE_SUCCESS"), "MigrateSuccess");
        assert_eq!(variant_name("clearfailed"), "Clearfailed");
        assert_eq!(variant_name("1a"), "V1a");
        assert_eq!(variant_name("a--b"), "AB");
    }

    #[test]
    fn waiters_become_snake_case_methods() {
        assert_eq!(snake_case("TaskMigrated"), "task_migrated");
        assert_eq!(waiter_method("AllDone"), "wait_until_all_done");
        assert_eq!(region_constant("ap-southeast-1"), "AP_SOUTHEAST_1");
    }
}
