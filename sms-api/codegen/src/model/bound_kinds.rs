//! Which documented bounds a query parameter has, by its JSON type: the one rule the build
//! script (`parameter_bounds.rs`, which reads them for the client's check) and
//! `cargo xtask validate` (`request-bounds`, which requires them; it includes this file) share.
//! Plain std.

/// The bound keywords a request parameter of `json_type` documents (an enum's values are its
/// bound, checked by the open enums).
pub fn bound_keywords(json_type: &str, is_enum: bool) -> &'static [&'static str] {
    match json_type {
        "integer" | "number" => &["minimum", "maximum"],
        "string" if !is_enum => &["maxLength"],
        _ => &[],
    }
}
