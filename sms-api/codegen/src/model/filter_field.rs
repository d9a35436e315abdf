//! `x-filter-field`, in one place: `query_parameters.rs` checks and reads it with this.
//!
//! A query parameter of a paginated operation that selects items declares which field of an
//! item it matches, as a dotted path from the item (`"source_server.id"`), so that
//! `sms_api::mock::FakeService` filters on it as the service does:
//!
//! ```json
//! { "name": "source_server_id", "in": "query", "x-filter-field": "source_server.id", ... }
//! ```

/// The extension's name.
pub const EXTENSION: &str = "x-filter-field";

/// The path's fields, from the item down; an empty path or an empty field is refused.
pub fn path(text: &str) -> Result<Vec<&str>, String> {
    let fields: Vec<&str> = text.split('.').collect();
    if fields.iter().any(|f| f.is_empty()) {
        return Err(format!(
            "{EXTENSION} {text:?} is not a dotted path of field names such as \"source_server.id\""
        ));
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::path;

    #[test]
    fn a_filter_field_is_a_dotted_path_of_names() {
        assert_eq!(path("source_server.id").unwrap(), ["source_server", "id"]);
        assert_eq!(path("name").unwrap(), ["name"]);
        for bad in ["", "a..b", ".a", "a."] {
            assert!(path(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
