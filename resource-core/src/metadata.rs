//! Metadata: string keys and values, in the order they were set.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// Key-value metadata attached to an object, kept in insertion order (which is also the order
/// they are sent in). Equality ignores order, as for a map.
///
/// Lookups and inserts take constant time whatever the number of entries (past a few, the keys
/// are indexed), so decoding metadata with many keys takes time linear in its size.
#[derive(Clone, Default)]
pub struct Metadata {
    entries: Vec<(String, String)>,
    /// Each key's position in `entries`, kept once there are more than [`INDEX_FROM`] entries
    /// (below that a scan is cheaper than hashing).
    index: Option<HashMap<String, usize>>,
}

/// How many entries are scanned before keys are indexed.
const INDEX_FROM: usize = 16;

impl Metadata {
    /// No entries.
    #[must_use]
    pub fn new() -> Self {
        Metadata::default()
    }

    /// No entries, with room for `capacity`.
    fn with_capacity(capacity: usize) -> Self {
        Metadata {
            entries: Vec::with_capacity(capacity),
            index: None,
        }
    }

    /// Where `key` is in `entries`.
    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| k == key),
        }
    }

    /// Sets `key` to `value`; a key already present keeps its position. Returns the old value.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<String>) -> Option<String> {
        let (key, value) = (key.into(), value.into());
        let position = self.entries.len();
        if let Some(index) = &mut self.index {
            // One hash per insert.
            match index.entry(key) {
                Entry::Occupied(found) => {
                    let entry = self.entries.get_mut(*found.get())?;
                    return Some(std::mem::replace(&mut entry.1, value));
                }
                Entry::Vacant(vacant) => {
                    let key = vacant.key().clone();
                    vacant.insert(position);
                    self.entries.push((key, value));
                    return None;
                }
            }
        }
        if let Some(entry) = self.entries.iter_mut().find(|(k, _)| *k == key) {
            return Some(std::mem::replace(&mut entry.1, value));
        }
        if position >= INDEX_FROM {
            let mut index = HashMap::with_capacity(self.entries.capacity().max(position + 1));
            for (at, (k, _)) in self.entries.iter().enumerate() {
                index.insert(k.clone(), at);
            }
            index.insert(key.clone(), position);
            self.index = Some(index);
        }
        self.entries.push((key, value));
        None
    }

    /// The value of `key`.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&str> {
        let position = self.position(key)?;
        self.entries.get(position).map(|(_, v)| v.as_str())
    }

    /// Removes `key`, returning its value. The entries after it move up one place (time linear
    /// in the number of entries).
    pub fn remove(&mut self, key: &str) -> Option<String> {
        let position = self.position(key)?;
        if position >= self.entries.len() {
            return None;
        }
        let (_, value) = self.entries.remove(position);
        if let Some(index) = &mut self.index {
            index.remove(key);
            for at in index.values_mut() {
                if *at > position {
                    *at -= 1;
                }
            }
        }
        Some(value)
    }

    /// The number of entries.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// The entries in order, as `Metadata([("key", "value"), ...])`.
impl fmt::Debug for Metadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Metadata").field(&self.entries).finish()
    }
}

impl PartialEq for Metadata {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl Eq for Metadata {}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Metadata {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut metadata = Metadata::new();
        for (key, value) in entries {
            metadata.insert(key, value);
        }
        metadata
    }
}

impl IntoIterator for Metadata {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl Serialize for Metadata {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (key, value) in &self.entries {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

struct MetadataVisitor;

impl<'de> Visitor<'de> for MetadataVisitor {
    type Value = Metadata;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of strings to strings")
    }

    // A repeated key keeps its first position and its last value, as JSON readers do, so a
    // decoded `Metadata` always equals itself.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Metadata, A::Error> {
        let mut metadata = Metadata::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some((key, value)) = map.next_entry::<String, String>()? {
            metadata.insert(key, value);
        }
        Ok(metadata)
    }

    // `null` reads as no metadata.
    fn visit_unit<E: serde::de::Error>(self) -> Result<Metadata, E> {
        Ok(Metadata::new())
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Metadata, E> {
        Ok(Metadata::new())
    }
}

impl<'de> Deserialize<'de> for Metadata {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MetadataVisitor)
    }
}

/// Metadata as a create or update parameter: set or unset keys, or clear everything.
///
/// - [`set`](Self::set) sends `metadata[key]=value`;
/// - [`unset`](Self::unset) sends `metadata[key]=` (removes that key);
/// - [`clear`](Self::clear) sends `metadata=` (removes every key). Stripe cannot clear and set in
///   one request, so a later `set` or `unset` starts a new set of entries instead.
///
/// An untouched parameter (`MetadataParam::default()`) sends nothing. The setters chain, and
/// a parameter can be collected from pairs:
///
/// ```
/// use resource_core::MetadataParam;
///
/// let mut metadata = MetadataParam::new();
/// metadata.set("order_id", "6735").set("tier", "gold").unset("stale");
/// let same: MetadataParam = [("order_id", "6735"), ("tier", "gold"), ("stale", "")].into_iter().collect();
/// assert_eq!(metadata, same);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetadataParam(Change);

#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Change {
    #[default]
    Nothing,
    Entries(Metadata),
    Clear,
}

impl MetadataParam {
    /// Nothing to send.
    #[must_use]
    pub fn new() -> Self {
        MetadataParam::default()
    }

    /// Sets `key` to `value`.
    pub fn set(&mut self, key: impl Into<String>, value: impl Into<String>) -> &mut Self {
        if let Change::Entries(entries) = &mut self.0 {
            entries.insert(key, value);
        } else {
            self.0 = Change::Entries(std::iter::once((key, value)).collect());
        }
        self
    }

    /// Removes `key` (sends an empty value for it).
    pub fn unset(&mut self, key: impl Into<String>) -> &mut Self {
        self.set(key, "")
    }

    /// Removes every key (sends `metadata=`), dropping entries set so far.
    pub fn clear(&mut self) -> &mut Self {
        self.0 = Change::Clear;
        self
    }

    /// Whether nothing will be sent.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0 == Change::Nothing
    }
}

/// Sets every pair, in order; an empty value unsets its key.
impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for MetadataParam {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut param = MetadataParam::new();
        param.extend(entries);
        param
    }
}

impl<K: Into<String>, V: Into<String>> Extend<(K, V)> for MetadataParam {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, entries: I) {
        for (key, value) in entries {
            self.set(key, value);
        }
    }
}

/// Sets every entry of `metadata`.
impl From<Metadata> for MetadataParam {
    fn from(metadata: Metadata) -> Self {
        metadata.into_iter().collect()
    }
}

impl Serialize for MetadataParam {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Change::Nothing => serializer.serialize_none(),
            Change::Entries(entries) => entries.serialize(serializer),
            Change::Clear => serializer.serialize_str(""),
        }
    }
}

/// Reads a map (keys to set, `""` values to unset) or `""` (clear everything).
impl<'de> Deserialize<'de> for MetadataParam {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ParamVisitor;

        impl<'de> Visitor<'de> for ParamVisitor {
            type Value = MetadataParam;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of strings, or an empty string")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<MetadataParam, A::Error> {
                let entries = MetadataVisitor.visit_map(map)?;
                Ok(MetadataParam(Change::Entries(entries)))
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<MetadataParam, E> {
                if value.is_empty() {
                    Ok(MetadataParam(Change::Clear))
                } else {
                    Err(E::invalid_value(serde::de::Unexpected::Str(value), &self))
                }
            }

            fn visit_unit<E: serde::de::Error>(self) -> Result<MetadataParam, E> {
                Ok(MetadataParam::new())
            }

            fn visit_none<E: serde::de::Error>(self) -> Result<MetadataParam, E> {
                Ok(MetadataParam::new())
            }
        }

        deserializer.deserialize_any(ParamVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_params_round_trip_through_json() {
        let mut set = MetadataParam::new();
        set.set("a", "1");
        set.unset("b");
        let mut clear = MetadataParam::new();
        clear.clear();
        for param in [set, clear, MetadataParam::new()] {
            let json = serde_json::to_string(&param).unwrap();
            assert_eq!(
                serde_json::from_str::<MetadataParam>(&json).unwrap(),
                param,
                "{json}"
            );
        }
        assert!(serde_json::from_str::<MetadataParam>("\"x\"").is_err());
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value_and_metadata_equals_itself() {
        let metadata: Metadata = serde_json::from_str(r#"{"a": "1", "b": "2", "a": "3"}"#).unwrap();
        assert_eq!(
            metadata.iter().collect::<Vec<_>>(),
            [("a", "3"), ("b", "2")]
        );
        assert_eq!(metadata, metadata.clone());
        assert_eq!(
            serde_json::to_string(&metadata).unwrap(),
            r#"{"a":"3","b":"2"}"#
        );
    }

    #[test]
    fn many_keys_keep_order_lookups_and_removal_past_the_index_threshold() {
        let mut metadata = Metadata::new();
        for i in 0..100 {
            assert_eq!(metadata.insert(format!("k{i}"), format!("v{i}")), None);
        }
        assert_eq!(metadata.insert("k3", "again"), Some("v3".to_owned()));
        assert_eq!(metadata.len(), 100);
        assert_eq!(metadata.get("k3"), Some("again"));
        assert_eq!(metadata.get("k99"), Some("v99"));
        assert_eq!(metadata.get("k100"), None);

        assert_eq!(metadata.remove("k0"), Some("v0".to_owned()));
        assert_eq!(metadata.remove("k0"), None);
        assert_eq!(metadata.remove("k50"), Some("v50".to_owned()));
        assert_eq!(metadata.get("k51"), Some("v51"));
        assert_eq!(metadata.get("k99"), Some("v99"));
        assert_eq!(metadata.insert("k0", "back"), None);
        let keys: Vec<&str> = metadata.iter().map(|(k, _)| k).collect();
        assert_eq!(keys.len(), 99);
        assert_eq!(keys.first().copied(), Some("k1"));
        assert_eq!(keys.get(2).copied(), Some("k3"));
        assert_eq!(keys.last().copied(), Some("k0"));
        for (key, value) in metadata.iter() {
            assert_eq!(metadata.get(key), Some(value));
        }

        let reversed: Metadata = metadata.clone().into_iter().rev().collect();
        assert_eq!(reversed, metadata);
        let small: Metadata = [("a", "1"), ("b", "2")].into_iter().collect();
        assert_ne!(small, metadata);
        assert_eq!(
            format!("{small:?}"),
            r#"Metadata([("a", "1"), ("b", "2")])"#
        );
    }
}
