//! The rule every server's `x-region-id` follows. Shared, by path, by the build script
//! (`client/regions.rs`) and `cargo xtask validate`. Only the standard library is used here.

/// What is wrong with a server's region id, given the ids of the servers before it.
pub fn problem(id: Option<&str>, earlier: &[&str]) -> Option<String> {
    let Some(id) = id else {
        return Some("no `x-region-id` naming the server's region".to_owned());
    };
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Some(format!("{id:?} is not a region id like `cn-north-4`"));
    }
    earlier
        .contains(&id)
        .then(|| format!("region {id} is listed twice"))
}
