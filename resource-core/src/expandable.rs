//! Fields that hold an id, or the whole object when the request asked to `expand` them.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::resource::StripeResource;

/// An id (`"file_123"`), or the full object when the request expanded the field.
#[derive(Debug, Clone, PartialEq)]
pub enum Expandable<T> {
    /// Not expanded: the object's id.
    Id(String),
    /// Expanded: the object itself.
    Object(Box<T>),
}

impl<T> Expandable<T> {
    /// Whether the field was expanded.
    #[must_use]
    pub fn is_object(&self) -> bool {
        matches!(self, Expandable::Object(_))
    }

    /// The object, when expanded.
    #[must_use]
    pub fn as_object(&self) -> Option<&T> {
        match self {
            Expandable::Object(object) => Some(object),
            Expandable::Id(_) => None,
        }
    }

    /// The object, when expanded.
    #[must_use]
    pub fn into_object(self) -> Option<T> {
        match self {
            Expandable::Object(object) => Some(*object),
            Expandable::Id(_) => None,
        }
    }
}

impl<T: StripeResource> Expandable<T> {
    /// The id, whether or not the field was expanded.
    #[must_use]
    pub fn id(&self) -> &str {
        match self {
            Expandable::Id(id) => id,
            Expandable::Object(object) => object.id().as_ref(),
        }
    }
}

impl<T: Serialize> Serialize for Expandable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Expandable::Id(id) => serializer.serialize_str(id),
            Expandable::Object(object) => object.serialize(serializer),
        }
    }
}

// Decided by the JSON type, without buffering: a string is an id, an object is the object.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Expandable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ExpandableVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for ExpandableVisitor<T> {
            type Value = Expandable<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id string or an expanded object")
            }

            fn visit_str<E: de::Error>(self, id: &str) -> Result<Self::Value, E> {
                Ok(Expandable::Id(id.to_owned()))
            }

            fn visit_string<E: de::Error>(self, id: String) -> Result<Self::Value, E> {
                Ok(Expandable::Id(id))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|object| Expandable::Object(Box::new(object)))
            }
        }

        deserializer.deserialize_any(ExpandableVisitor(PhantomData))
    }
}
