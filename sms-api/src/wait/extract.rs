//! What a waiter's path reads from a response. The build script compiles each path of the
//! spec into a function from the typed response to an [`Extracted`] value
//! (`codegen/src/render/waiters.rs`); the comparators then work on that.

/// One value a path reached.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar<'a> {
    /// A string, or an enum's wire value.
    Str(&'a str),
    /// A boolean.
    Bool(bool),
    /// A number (or a list's length).
    Num(f64),
}

/// What a path gives: one value (absent when a field on the way is), or one per element of a
/// projected list, with the element's index.
#[derive(Clone, Debug, PartialEq)]
pub enum Extracted<'a> {
    /// A single value, absent when a field on the way is.
    One(Option<Scalar<'a>>),
    /// One value per element of a projected list, with the element's index.
    Many(Vec<(usize, Option<Scalar<'a>>)>),
}

/// A comparison in a path (`length(tasks) == \`0\``).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// `left op right`, as a boolean; an absent left side compares as false.
pub fn compare<'a>(left: Extracted<'a>, op: Op, right: Scalar<'static>) -> Extracted<'a> {
    let result = match left {
        Extracted::One(Some(left)) => match (left, right) {
            (Scalar::Num(a), Scalar::Num(b)) => match op {
                Op::Eq => a == b,
                Op::Ne => a != b,
                Op::Lt => a < b,
                Op::Le => a <= b,
                Op::Gt => a > b,
                Op::Ge => a >= b,
            },
            (a, b) => match op {
                Op::Eq => a == b,
                Op::Ne => a != b,
                _ => false,
            },
        },
        _ => false,
    };
    Extracted::One(Some(Scalar::Bool(result)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparisons_follow_their_operator() {
        let n = |x| Extracted::One(Some(Scalar::Num(x)));
        let yes = Extracted::One(Some(Scalar::Bool(true)));
        let no = Extracted::One(Some(Scalar::Bool(false)));
        assert_eq!(compare(n(0.0), Op::Eq, Scalar::Num(0.0)), yes);
        assert_eq!(compare(n(3.0), Op::Eq, Scalar::Num(0.0)), no);
        assert_eq!(compare(n(3.0), Op::Gt, Scalar::Num(2.0)), yes);
        assert_eq!(compare(n(2.0), Op::Le, Scalar::Num(2.0)), yes);
        assert_eq!(compare(n(2.0), Op::Ne, Scalar::Num(2.0)), no);
        let s = Extracted::One(Some(Scalar::Str("READY")));
        assert_eq!(compare(s.clone(), Op::Eq, Scalar::Str("READY")), yes);
        assert_eq!(compare(s, Op::Lt, Scalar::Str("Z")), no);
        assert_eq!(compare(Extracted::One(None), Op::Eq, Scalar::Num(0.0)), no);
    }
}
