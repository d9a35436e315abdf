//! What the first page tells about the rest: how many pages follow, what each must hold, and
//! what lies beyond the service's offset ceiling.

use crate::error::{Error, ErrorKind};

/// The pages after the first, planned from the first page's `count`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Plan {
    pub(crate) limit: i64,
    pub(crate) base: i64,
    pub(crate) count: i64,
    /// The number of pages after the first.
    pub(crate) later_pages: i64,
    pub(crate) max_offset: i64,
}

impl Plan {
    /// The plan for pages of `limit` items from offset `base`, when `count` items match and the
    /// service pages no further than `max_offset`.
    pub(crate) fn new(limit: i64, base: i64, count: i64, max_offset: i64) -> Plan {
        let last_offset = (count - 1).min(max_offset);
        let later_pages = if last_offset < base + limit {
            0
        } else {
            (last_offset - base) / limit
        };
        Plan {
            limit,
            base,
            count,
            later_pages,
            max_offset,
        }
    }

    /// The offset of page `k` after the first.
    pub(crate) fn offset_of(&self, k: i64) -> i64 {
        self.base + k * self.limit
    }

    /// The page at `offset`, reporting `count` matching items and holding `received`, must
    /// agree with the first page's count.
    pub(crate) fn check(
        &self,
        count: Option<i64>,
        received: i64,
        offset: i64,
    ) -> Result<(), Error> {
        let count = count.unwrap_or(self.count);
        if count != self.count {
            return Err(Error::new(
                ErrorKind::Incomplete,
                format!(
                    "the number of matching items changed from {} to {count} while listing (at offset {offset}), \
                     so items may have been missed or repeated: list again",
                    self.count
                ),
            ));
        }
        let expected = self.limit.min(self.count - offset).max(0);
        if received != expected {
            return Err(Error::new(
                ErrorKind::Incomplete,
                format!(
                    "the page at offset {offset} has {received} items where a count of {} implies {expected}, \
                     so items may have been missed or repeated: list again",
                    self.count
                ),
            ));
        }
        Ok(())
    }

    /// The error that ends the stream when items lie beyond the offset ceiling.
    pub(crate) fn unreachable(&self) -> Option<Error> {
        let reachable_end = (self.base + (self.later_pages + 1) * self.limit).min(self.count);
        let unreachable = self.count - reachable_end;
        (unreachable > 0).then(|| {
            Error::new(
                ErrorKind::Incomplete,
                format!(
                    "{unreachable} of the {} matching items lie beyond offset {}, the furthest the service pages to, \
                     and were not listed: narrow the filters to reach them",
                    self.count, self.max_offset
                ),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_count_the_pages_and_the_unreachable_items() {
        assert_eq!(Plan::new(200, 0, 1000, 65_535).later_pages, 4);
        assert_eq!(Plan::new(200, 0, 1001, 65_535).later_pages, 5);
        assert_eq!(Plan::new(200, 0, 200, 65_535).later_pages, 0);
        assert_eq!(Plan::new(200, 0, 0, 65_535).later_pages, 0);
        let odd = Plan::new(7, 3, 20, 65_535);
        assert_eq!(odd.later_pages, 2, "offsets 3, 10, 17");
        assert_eq!((odd.offset_of(1), odd.offset_of(2)), (10, 17));
        // Pages of 200: the last offset is 65400, whose page ends at 65599.
        assert!(Plan::new(200, 0, 65_600, 65_535).unreachable().is_none());
        let one_over = Plan::new(200, 0, 65_601, 65_535).unreachable().unwrap();
        assert!(
            one_over
                .to_string()
                .contains("1 of the 65601 matching items lie beyond offset 65535"),
            "{one_over}"
        );
        let far = Plan::new(100, 0, 70_000, 65_535);
        assert_eq!(far.later_pages, 655, "the last offset is 65500");
        let error = far.unreachable().unwrap();
        assert!(
            error
                .to_string()
                .contains("4400 of the 70000 matching items lie beyond offset 65535"),
            "{error}"
        );
    }

    #[test]
    fn pages_must_agree_with_the_count() {
        let plan = Plan::new(10, 0, 25, 65_535);
        assert!(plan.check(Some(25), 10, 10).is_ok());
        assert!(
            plan.check(None, 5, 20).is_ok(),
            "the last page holds the rest"
        );
        let changed = plan.check(Some(26), 10, 10).unwrap_err();
        assert_eq!(changed.kind(), ErrorKind::Incomplete);
        assert!(
            changed.to_string().contains("changed from 25 to 26"),
            "{changed}"
        );
        let short = plan.check(Some(25), 9, 10).unwrap_err();
        assert!(
            short
                .to_string()
                .contains("has 9 items where a count of 25 implies 10"),
            "{short}"
        );
    }
}
