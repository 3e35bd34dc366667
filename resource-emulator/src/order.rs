//! List order: a collection's objects newest first, kept per scope (the parents' ids of a
//! nested collection), so that a page of one customer's balance transactions costs the page,
//! not a walk over every customer's.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;

/// Position in newest-first order: newer `created` first, then later insertion first.
pub(crate) type Position = (Reverse<i64>, Reverse<u64>);

/// The keys of a collection's objects in list order, per scope.
#[derive(Default)]
pub(crate) struct Order {
    scopes: HashMap<Vec<String>, BTreeMap<Position, String>>,
}

impl Order {
    pub(crate) fn insert(&mut self, scope: &[String], position: Position, key: String) {
        match self.scopes.get_mut(scope) {
            Some(keys) => {
                keys.insert(position, key);
            }
            None => {
                self.scopes
                    .insert(scope.to_vec(), BTreeMap::from([(position, key)]));
            }
        }
    }

    pub(crate) fn remove(&mut self, scope: &[String], position: &Position) {
        if let Some(keys) = self.scopes.get_mut(scope) {
            keys.remove(position);
            if keys.is_empty() {
                self.scopes.remove(scope);
            }
        }
    }

    /// The keys in `scope`, newest first: after `after` when given, before `before` (nearest
    /// first) when given.
    pub(crate) fn keys<'a>(
        &'a self,
        scope: &[String],
        after: Option<&Position>,
        before: Option<&Position>,
    ) -> Box<dyn Iterator<Item = &'a String> + 'a> {
        let Some(keys) = self.scopes.get(scope) else {
            return Box::new(std::iter::empty());
        };
        match (after, before) {
            (Some(after), _) => Box::new(
                keys.range((Bound::Excluded(after), Bound::Unbounded))
                    .map(|(_, key)| key),
            ),
            (None, Some(before)) => Box::new(keys.range(..before).rev().map(|(_, key)| key)),
            (None, None) => Box::new(keys.values()),
        }
    }

    /// The keys in `scope` in list order: newest first, or oldest first when `oldest_first`;
    /// after `after` and before `before` (nearest first) in that order.
    pub(crate) fn listed<'a>(
        &'a self,
        scope: &[String],
        after: Option<&Position>,
        before: Option<&Position>,
        oldest_first: bool,
    ) -> Box<dyn Iterator<Item = &'a String> + 'a> {
        match (oldest_first, after, before) {
            (false, ..) => self.keys(scope, after, before),
            (true, None, None) => match self.scopes.get(scope) {
                Some(keys) => Box::new(keys.values().rev()),
                None => Box::new(std::iter::empty()),
            },
            // Oldest first, what follows a key is what is newer: the mirror of newest first.
            (true, after, before) => self.keys(scope, before, after),
        }
    }

    /// Every key, newest first within each scope.
    pub(crate) fn all(&self) -> impl Iterator<Item = &String> {
        self.scopes.values().flat_map(BTreeMap::values)
    }

    /// The scopes that are `owner` or lie under it (its children's, its grandchildren's).
    pub(crate) fn scopes_under(&self, owner: &[String]) -> Vec<Vec<String>> {
        self.scopes
            .keys()
            .filter(|scope| scope.starts_with(owner))
            .cloned()
            .collect()
    }

    /// The oldest key of the top-level scope.
    pub(crate) fn oldest(&self) -> Option<&String> {
        self.scopes
            .get(&[][..])
            .and_then(|keys| keys.last_key_value())
            .map(|(_, key)| key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(created: i64, sequence: u64) -> Position {
        (Reverse(created), Reverse(sequence))
    }

    fn scope(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|id| (*id).to_owned()).collect()
    }

    #[test]
    fn keys_are_newest_first_within_their_scope_only() {
        let mut order = Order::default();
        let (a, b) = (scope(&["cus_a"]), scope(&["cus_b"]));
        order.insert(&a, at(1, 1), "a1".into());
        order.insert(&b, at(2, 2), "b1".into());
        order.insert(&a, at(3, 3), "a2".into());
        order.insert(&a, at(3, 4), "a3".into());
        let listed = |after: Option<Position>, before: Option<Position>| -> Vec<String> {
            order
                .keys(&a, after.as_ref(), before.as_ref())
                .cloned()
                .collect()
        };
        assert_eq!(listed(None, None), ["a3", "a2", "a1"]);
        assert_eq!(listed(Some(at(3, 4)), None), ["a2", "a1"]);
        assert_eq!(listed(None, Some(at(1, 1))), ["a2", "a3"]);
        assert_eq!(order.keys(&scope(&["cus_c"]), None, None).count(), 0);
        assert_eq!(order.all().count(), 4);
    }

    #[test]
    fn oldest_first_mirrors_newest_first() {
        let mut order = Order::default();
        for (sequence, key) in ["a", "b", "c", "d"].iter().enumerate() {
            order.insert(&[], at(1, sequence as u64), (*key).into());
        }
        let listed = |after: Option<Position>, before: Option<Position>, oldest: bool| {
            let keys = order.listed(&[], after.as_ref(), before.as_ref(), oldest);
            keys.cloned().collect::<Vec<String>>()
        };
        assert_eq!(listed(None, None, false), ["d", "c", "b", "a"]);
        assert_eq!(listed(None, None, true), ["a", "b", "c", "d"]);
        // After `b` (position 1): oldest first, `c` and `d`; before `c`, `b` then `a` (nearest
        // first: the caller puts the page back in order).
        assert_eq!(listed(Some(at(1, 1)), None, true), ["c", "d"]);
        assert_eq!(listed(None, Some(at(1, 2)), true), ["b", "a"]);
    }

    #[test]
    fn an_emptied_scope_is_forgotten_and_scopes_under_an_owner_are_found() {
        let mut order = Order::default();
        order.insert(&scope(&["acct_1"]), at(1, 1), "x".into());
        order.insert(&scope(&["acct_1", "ba_1"]), at(1, 2), "y".into());
        order.insert(&scope(&["acct_2"]), at(1, 3), "z".into());
        order.remove(&scope(&["acct_2"]), &at(1, 3));
        assert_eq!(order.scopes.len(), 2);
        let mut under = order.scopes_under(&scope(&["acct_1"]));
        under.sort();
        assert_eq!(under, [scope(&["acct_1"]), scope(&["acct_1", "ba_1"])]);
        assert_eq!(
            order
                .keys(&scope(&["acct_1"]), None, None)
                .collect::<Vec<_>>(),
            ["x"]
        );
        order.remove(&scope(&["acct_1"]), &at(1, 1));
        assert_eq!(order.oldest(), None);
        order.insert(&[], at(5, 4), "new".into());
        order.insert(&[], at(4, 5), "old".into());
        assert_eq!(order.oldest().map(String::as_str), Some("old"));
    }
}
