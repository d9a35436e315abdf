//! The rule every server's `x-region-id` follows, applied by `regions.rs` as it reads them.

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

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn region_ids_are_present_well_formed_and_distinct() {
        assert_eq!(problem(Some("cn-north-4"), &["ap-southeast-1"]), None);
        assert!(problem(None, &[]).unwrap().contains("no `x-region-id`"));
        assert!(
            problem(Some("CN North"), &[])
                .unwrap()
                .contains("not a region id")
        );
        assert!(problem(Some(""), &[]).is_some());
        assert_eq!(
            problem(Some("cn-north-4"), &["cn-north-4"]).unwrap(),
            "region cn-north-4 is listed twice"
        );
    }
}
