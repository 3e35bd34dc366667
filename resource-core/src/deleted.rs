//! Deleted objects: the answer to a delete, and an answer that may be an object or its deleted
//! form.

use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::{Deserialize, Serialize};

use crate::resource::StripeResource;

/// The answer to a delete: `{"id": ..., "object": ..., "deleted": true}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub struct Deleted<Id> {
    /// The id of the deleted object.
    pub id: Id,
    /// The object type of the deleted object, such as `"customer"`.
    pub object: String,
    /// Always `true` in a successful answer.
    pub deleted: bool,
}

/// An object, or its deleted form when it has been deleted: `GET /v1/customers/{id}` answers
/// `{"id": "cus_...", "object": "customer", "deleted": true}` for a deleted customer.
///
/// Declared as the answer of an operation with `returns`:
/// `retrieve(returns = resource_core::OrDeleted<Self>)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum OrDeleted<T: StripeResource> {
    /// The object.
    Object(T),
    /// What is left of a deleted object.
    Deleted(Deleted<T::Id>),
}

impl<T: StripeResource> OrDeleted<T> {
    /// The object, unless it was deleted.
    #[must_use]
    pub fn object(self) -> Option<T> {
        match self {
            OrDeleted::Object(object) => Some(object),
            OrDeleted::Deleted(_) => None,
        }
    }

    /// Whether the answer is the deleted form.
    #[must_use]
    pub fn is_deleted(&self) -> bool {
        matches!(self, OrDeleted::Deleted(_))
    }
}

/// `"deleted": true` reads as the deleted form; anything else as `T`, with `T`'s own errors.
impl<'de, T: StripeResource> Deserialize<'de> for OrDeleted<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        let deleted = value.get("deleted").and_then(serde_json::Value::as_bool) == Some(true);
        if deleted {
            from_value(value).map(OrDeleted::Deleted)
        } else {
            from_value(value).map(OrDeleted::Object)
        }
        .map_err(D::Error::custom)
    }
}

fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, serde_json::Error> {
    serde_json::from_value(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::__define_id! {
        struct ThingId, prefix = ["thing"]
    }

    #[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
    struct Thing {
        id: ThingId,
        name: String,
    }

    impl StripeResource for Thing {
        type Id = ThingId;
        const OBJECT: &'static str = "thing";
        const PATH: &'static str = "/v1/things";
        fn id(&self) -> &Self::Id {
            &self.id
        }
    }

    #[test]
    fn reads_the_object_or_its_deleted_form() {
        let object: OrDeleted<Thing> =
            serde_json::from_str(r#"{"id": "thing_1", "name": "a", "deleted": false}"#).unwrap();
        assert!(!object.is_deleted());
        assert_eq!(
            object.object().map(|thing| thing.name),
            Some("a".to_owned())
        );
        let deleted: OrDeleted<Thing> =
            serde_json::from_str(r#"{"id": "thing_1", "object": "thing", "deleted": true}"#)
                .unwrap();
        assert!(deleted.is_deleted());
        if let OrDeleted::Deleted(gone) = &deleted {
            assert_eq!(gone.id.as_str(), "thing_1");
        }
        assert_eq!(
            serde_json::to_string(&deleted).unwrap(),
            r#"{"id":"thing_1","object":"thing","deleted":true}"#
        );
        // The object's own error, not a vague "no variant matched".
        let error = serde_json::from_str::<OrDeleted<Thing>>(r#"{"id": "thing_1"}"#).unwrap_err();
        assert!(
            error.to_string().contains("missing field `name`"),
            "{error}"
        );
    }
}
