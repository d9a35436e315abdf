//! What a waiter's path may read from a typed response, as text or as a number: the open enums
//! implement these (`open_enum.rs`), and `wait` compares through them. They live with the types
//! so that the types need nothing of waiting.

/// A value read as text: strings and the open string enums.
pub trait Text {
    /// The value as text.
    fn text(&self) -> &str;
}

impl Text for String {
    fn text(&self) -> &str {
        self
    }
}

/// A value read as a number: the integer and float types, and the open integer enums.
pub trait Number {
    /// The value as a number.
    fn number(&self) -> f64;
}

macro_rules! number {
    ($($t:ty),*) => {$(
        impl Number for $t {
            fn number(&self) -> f64 {
                *self as f64
            }
        }
    )*};
}
number!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);
