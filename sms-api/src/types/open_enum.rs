//! Open enums: a typed variant for every value the spec documents, and
//! [`UnknownValue`](crate::types::UnknownValue) for any other value the service sends.
//!
//! Open for what the service sends (decoding never fails on a new value), strict for what the
//! caller sends: a string converts (`TryFrom`, `FromStr`, and so every builder setter) only to
//! a documented value, so that a typo is an error naming the closest documented value, not a
//! filter that quietly matches nothing. `from_wire` is the deliberate way to an undocumented
//! value.
//!
//! `codegen/src/render/open_enums.rs` invokes the macros below once for each enum schema of the spec;
//! the values come from the spec alone.

use std::fmt;

/// A value the service sent that the spec does not document, kept exactly as it was sent.
///
/// It cannot be built by hand: convert from the wire value instead
/// (`TaskState::from_wire("X")`), which gives the documented variant whenever there is one.
///
/// ```
/// use sms_api::types::SourceServerState;
///
/// // A made-up state (the service really sends some the spec does not document).
/// let state: SourceServerState = serde_json::from_str("\"MADE_UP_STATE\"").unwrap();
/// let SourceServerState::UnknownValue(unknown) = &state else { panic!("documented?") };
/// assert_eq!(unknown.value(), "MADE_UP_STATE");
/// assert_eq!(serde_json::to_string(&state).unwrap(), "\"MADE_UP_STATE\"");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue<T>(pub(crate) T);

impl<T> UnknownValue<T> {
    /// The value as the service sent it.
    ///
    /// ```
    /// use sms_api::types::TaskPriority;
    ///
    /// // A made-up priority.
    /// let TaskPriority::UnknownValue(unknown) = TaskPriority::from(99) else { unreachable!() };
    /// assert_eq!(*unknown.value(), 99);
    /// ```
    pub fn value(&self) -> &T {
        &self.0
    }
}

impl<T: fmt::Display> fmt::Display for UnknownValue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A string that is not a documented value of an enum: the error of converting it (with
/// `TryFrom`, `parse()`, or a builder setter such as `.state("...")`).
///
/// ```
/// use sms_api::types::TaskState;
///
/// let error = "MIGRATE_FAILED".parse::<TaskState>().unwrap_err();
/// assert_eq!(error.value(), "MIGRATE_FAILED");
/// assert_eq!(error.closest(), Some("MIGRATE_FAIL"));
/// assert!(error.to_string().starts_with(
///     "\"MIGRATE_FAILED\" is not a documented TaskState (did you mean MIGRATE_FAIL?)"
/// ));
/// // Sending an undocumented value is possible, deliberately:
/// let new_state = TaskState::from_wire("MIGRATE_FAILED");
/// assert!(matches!(new_state, TaskState::UnknownValue(_)));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndocumentedValue {
    type_name: &'static str,
    value: String,
    documented: &'static [&'static str],
}

impl UndocumentedValue {
    #[doc(hidden)]
    pub fn new(type_name: &'static str, value: &str, documented: &'static [&'static str]) -> Self {
        UndocumentedValue {
            type_name,
            value: value.to_owned(),
            documented,
        }
    }

    /// The value as given.
    ///
    /// ```
    /// let error = "nope".parse::<sms_api::types::TaskState>().unwrap_err();
    /// assert_eq!(error.value(), "nope");
    /// ```
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Every documented value, in the order of the spec.
    ///
    /// ```
    /// let error = "nope".parse::<sms_api::types::TaskState>().unwrap_err();
    /// assert!(error.documented().contains(&"MIGRATE_FAIL"));
    /// ```
    pub fn documented(&self) -> &'static [&'static str] {
        self.documented
    }

    /// The documented value closest to the one given (ignoring case, at most a third of its
    /// letters away), if one is that close.
    ///
    /// ```
    /// use sms_api::types::TaskState;
    ///
    /// assert_eq!("running".parse::<TaskState>().unwrap_err().closest(), Some("RUNNING"));
    /// assert_eq!("SYNCNG".parse::<TaskState>().unwrap_err().closest(), Some("SYNCING"));
    /// assert_eq!("BANANA".parse::<TaskState>().unwrap_err().closest(), None);
    /// ```
    pub fn closest(&self) -> Option<&'static str> {
        let given = self.value.to_ascii_uppercase();
        let (distance, closest) = self
            .documented
            .iter()
            .map(|d| (edit_distance(&given, &d.to_ascii_uppercase()), *d))
            .min_by_key(|(distance, _)| *distance)?;
        (distance <= (given.chars().count() / 3).max(1)).then_some(closest)
    }
}

impl fmt::Display for UndocumentedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a documented {}", self.value, self.type_name)?;
        if let Some(closest) = self.closest() {
            write!(f, " (did you mean {closest}?)")?;
        }
        write!(
            f,
            "; documented values: {}; to send it anyway, convert it with {}::from_wire",
            self.documented.join(", "),
            self.type_name
        )
    }
}

impl std::error::Error for UndocumentedValue {}

/// Edit distance by characters, counting a swap of two adjacent characters as one edit (the
/// optimal string alignment distance): `strat` is one edit from `start`, as a reader sees it.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // Three rows: two back (for a swap), the previous, the current.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut current = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            current[j] = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                current[j] = current[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut previous, current);
    }
    previous[b.len()]
}

/// Defines an open enum over strings. Used by the code the build script derives from the spec.
macro_rules! open_string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)* }) => {
        $(#[$meta])*
        ///
        /// Open: a value the spec does not document decodes into `UnknownValue`, which keeps the
        /// text and serializes back to exactly that text. Strict for callers: a string converts
        #[doc = concat!("(`\"...\".parse()`, `", stringify!($name), "::try_from(..)`, a builder setter) only to a")]
        /// documented value, else to an [`UndocumentedValue`]($crate::types::UndocumentedValue)
        /// error that names the closest one; `from_wire` is the deliberate way to send another.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value the spec does not document, kept as sent.
            UnknownValue($crate::types::UnknownValue<::std::string::String>),
        }

        impl $name {
            /// Every documented value, in the order of the spec.
            pub const DOCUMENTED: &'static [$name] = &[$($name::$variant,)*];

            /// Every documented value as it appears on the wire, in the order of the spec.
            pub const DOCUMENTED_WIRE: &'static [&'static str] = &[$($wire,)*];

            /// The documented variant for `text`, or `UnknownValue` when there is none, exactly
            /// as decoding does: the deliberate way to send a value the spec does not document
            /// (the service may know values the spec does not).
            ///
            /// ```
            #[doc = concat!("let value = sms_api::types::", stringify!($name), "::from_wire(\"A_NEW_VALUE\");")]
            /// assert_eq!(value.as_str(), "A_NEW_VALUE");
            /// ```
            pub fn from_wire(text: &str) -> Self {
                Self::from_cow(::std::borrow::Cow::Borrowed(text))
            }

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::UnknownValue(unknown) => unknown.value().as_str(),
                }
            }

            /// The documented variant for `text`, or `UnknownValue` when there is none.
            fn from_cow(text: ::std::borrow::Cow<'_, str>) -> Self {
                match text.as_ref() {
                    $($wire => $name::$variant,)*
                    _ => $name::UnknownValue($crate::types::UnknownValue(text.into_owned())),
                }
            }

            /// The documented variant for `text`, or the error that says it is none.
            fn documented(text: &str) -> ::std::result::Result<Self, $crate::types::UndocumentedValue> {
                match Self::from_wire(text) {
                    $name::UnknownValue(_) => Err($crate::types::UndocumentedValue::new(
                        stringify!($name),
                        text,
                        Self::DOCUMENTED_WIRE,
                    )),
                    value => Ok(value),
                }
            }
        }

        impl ::std::convert::TryFrom<&str> for $name {
            type Error = $crate::types::UndocumentedValue;

            fn try_from(text: &str) -> ::std::result::Result<Self, $crate::types::UndocumentedValue> {
                Self::documented(text)
            }
        }

        impl ::std::convert::TryFrom<&::std::string::String> for $name {
            type Error = $crate::types::UndocumentedValue;

            fn try_from(text: &::std::string::String) -> ::std::result::Result<Self, $crate::types::UndocumentedValue> {
                Self::documented(text)
            }
        }

        impl ::std::convert::TryFrom<::std::string::String> for $name {
            type Error = $crate::types::UndocumentedValue;

            fn try_from(text: ::std::string::String) -> ::std::result::Result<Self, $crate::types::UndocumentedValue> {
                Self::documented(&text)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::types::UndocumentedValue;

            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                Self::documented(text)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::types::Text for $name {
            fn text(&self) -> &str {
                self.as_str()
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;

                impl ::serde::de::Visitor<'_> for Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a string (", stringify!($name), ")"))
                    }

                    fn visit_str<E: ::serde::de::Error>(self, text: &str) -> ::std::result::Result<$name, E> {
                        Ok($name::from_wire(text))
                    }

                    fn visit_string<E: ::serde::de::Error>(self, text: ::std::string::String) -> ::std::result::Result<$name, E> {
                        Ok($name::from_cow(::std::borrow::Cow::Owned(text)))
                    }
                }

                deserializer.deserialize_str(Visitor)
            }
        }
    };
}

/// Defines an open enum over integers. Used by the code the build script derives from the spec.
macro_rules! open_int_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)* }) => {
        $(#[$meta])*
        ///
        /// Open: a value the spec does not document decodes into `UnknownValue`, which keeps the
        /// number and serializes back to exactly that number.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value the spec does not document, kept as sent.
            UnknownValue($crate::types::UnknownValue<i64>),
        }

        impl $name {
            /// Every documented value, in the order of the spec.
            pub const DOCUMENTED: &'static [$name] = &[$($name::$variant,)*];

            /// The value as it appears on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    $($name::$variant => $wire,)*
                    $name::UnknownValue(unknown) => *unknown.value(),
                }
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(value: i64) -> Self {
                match value {
                    $($wire => $name::$variant,)*
                    _ => $name::UnknownValue($crate::types::UnknownValue(value)),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::num::ParseIntError;

            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                text.parse::<i64>().map(Self::from)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }

        impl $crate::types::Number for $name {
            fn number(&self) -> f64 {
                self.value() as f64
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                <i64 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    };
}

pub(crate) use {open_int_enum, open_string_enum};

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn edit_distance_counts_insertions_deletions_substitutions_and_swaps() {
        for (a, b, expected) in [
            ("", "", 0),
            ("abc", "abc", 0),
            ("MIGRATE_FAILED", "MIGRATE_FAIL", 2),
            ("SYNCNG", "SYNCING", 1),
            ("RUNING", "RUNNING", 1),
            // Two letters swapped is one slip of the fingers.
            ("READY", "RAEDY", 1),
            ("STRAT", "START", 1),
            ("", "ABC", 3),
            ("ABC", "", 3),
            ("CA", "ABC", 3),
        ] {
            assert_eq!(edit_distance(a, b), expected, "{a} -> {b}");
        }
    }
}
