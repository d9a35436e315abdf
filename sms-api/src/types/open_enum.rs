//! Open enums: a typed variant for every value the spec documents, and
//! [`UnknownValue`](crate::types::UnknownValue) for any other value the service sends.
//!
//! `build/types/open_enums.rs` invokes the macros below once for each enum schema of the spec;
//! the values come from the spec alone.

use std::fmt;

/// A value the service sent that the spec does not document, kept exactly as it was sent.
///
/// It cannot be built by hand: convert from the wire value instead (`TaskState::from("X")`),
/// which gives the documented variant whenever there is one.
///
/// ```
/// use sms_api::types::SourceServerState;
///
/// let state: SourceServerState = serde_json::from_str("\"AVAILABLE\"").unwrap();
/// let SourceServerState::UnknownValue(unknown) = &state else { panic!("documented?") };
/// assert_eq!(unknown.value(), "AVAILABLE");
/// assert_eq!(serde_json::to_string(&state).unwrap(), "\"AVAILABLE\"");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue<T>(pub(crate) T);

impl<T> UnknownValue<T> {
    /// The value as the service sent it.
    ///
    /// ```
    /// use sms_api::types::TaskPriority;
    ///
    /// let TaskPriority::UnknownValue(unknown) = TaskPriority::from(7) else { unreachable!() };
    /// assert_eq!(*unknown.value(), 7);
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

/// Defines an open enum over strings. Used by the code the build script derives from the spec.
macro_rules! open_string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal,)* }) => {
        $(#[$meta])*
        ///
        /// Open: a value the spec does not document decodes into `UnknownValue`, which keeps the
        /// text and serializes back to exactly that text.
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

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::UnknownValue(unknown) => unknown.value().as_str(),
                }
            }

            /// The documented variant for `text`, or `UnknownValue` when there is none.
            fn from_wire(text: ::std::borrow::Cow<'_, str>) -> Self {
                match text.as_ref() {
                    $($wire => $name::$variant,)*
                    _ => $name::UnknownValue($crate::types::UnknownValue(text.into_owned())),
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(text: &str) -> Self {
                Self::from_wire(::std::borrow::Cow::Borrowed(text))
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(text: ::std::string::String) -> Self {
                Self::from_wire(::std::borrow::Cow::Owned(text))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(text: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(text))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
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
                        Ok($name::from(text))
                    }

                    fn visit_string<E: ::serde::de::Error>(self, text: ::std::string::String) -> ::std::result::Result<$name, E> {
                        Ok($name::from(text))
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
