//! A collection's objects by the value of one of their fields (a file link's `file`, a
//! subscription's `customer`), so that a hook asking for the objects whose field holds a value
//! ([`Context::objects_where`](crate::Context::objects_where)) pays for those objects only.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::emulate::Object;
use crate::order::Position;

/// The keys of the objects whose `field` is each text value, newest first.
pub(crate) struct FieldIndex {
    field: &'static str,
    by_value: HashMap<String, BTreeMap<Position, String>>,
}

impl FieldIndex {
    pub(crate) fn new(field: &'static str) -> Self {
        FieldIndex {
            field,
            by_value: HashMap::new(),
        }
    }

    pub(crate) fn field(&self) -> &'static str {
        self.field
    }

    /// Counts `object`, stored at `key` and `position`.
    pub(crate) fn insert(&mut self, object: &Object, position: Position, key: &str) {
        if let Some(value) = object.get(self.field).and_then(Value::as_str) {
            self.by_value
                .entry(value.to_owned())
                .or_default()
                .insert(position, key.to_owned());
        }
    }

    /// Forgets `object`, stored at `position`.
    pub(crate) fn remove(&mut self, object: &Object, position: &Position) {
        let Some(value) = object.get(self.field).and_then(Value::as_str) else {
            return;
        };
        if let Some(keys) = self.by_value.get_mut(value) {
            keys.remove(position);
            if keys.is_empty() {
                self.by_value.remove(value);
            }
        }
    }

    /// The keys of the objects whose field is `value`, newest first.
    pub(crate) fn keys(&self, value: &str) -> impl Iterator<Item = &String> {
        self.by_value
            .get(value)
            .into_iter()
            .flat_map(BTreeMap::values)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::object;
    use std::cmp::Reverse;

    use serde_json::json;

    use super::*;

    #[test]
    fn objects_are_found_by_their_field_newest_first_until_removed() {
        let mut index = FieldIndex::new("file");
        let (a, b, c) = (
            object(json!({"file": "file_1"})),
            object(json!({"file": "file_1"})),
            object(json!({"file": "file_2", "other": 1})),
        );
        let at = |n: u64| (Reverse(0), Reverse(n));
        index.insert(&a, at(1), "link_a");
        index.insert(&b, at(2), "link_b");
        index.insert(&c, at(3), "link_c");
        index.insert(&object(json!({"file": null})), at(4), "link_none");
        let keys = |index: &FieldIndex, value| index.keys(value).cloned().collect::<Vec<_>>();
        assert_eq!(keys(&index, "file_1"), ["link_b", "link_a"]);
        assert_eq!(keys(&index, "file_2"), ["link_c"]);
        index.remove(&b, &at(2));
        index.remove(&c, &at(3));
        assert_eq!(keys(&index, "file_1"), ["link_a"]);
        assert!(keys(&index, "file_2").is_empty());
        assert_eq!(index.by_value.len(), 1);
    }
}
