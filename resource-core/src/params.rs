//! Parameter types shared by many resources.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Query parameters of a plain retrieve: only `expand`.
///
/// ```
/// let params = resource_core::RetrieveParams::new().expand("file");
/// assert_eq!(resource_core::form::to_string(&params).unwrap(), "expand[0]=file");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetrieveParams {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    expand: Vec<String>,
}

impl RetrieveParams {
    /// No parameters.
    #[must_use]
    pub fn new() -> Self {
        RetrieveParams::default()
    }

    /// Expands a field into its full object (repeatable), such as `file`.
    #[must_use]
    pub fn expand(mut self, field: impl Into<String>) -> Self {
        self.expand.push(field.into());
        self
    }
}

/// A filter on a timestamp or integer: an exact value, or bounds (`gt`, `gte`, `lt`, `lte`).
///
/// ```
/// use resource_core::RangeQuery;
///
/// let range = RangeQuery::new().gte(1_680_000_000).lt(1_690_000_000); // created[gte]=..&created[lt]=..
/// let exact = RangeQuery::exact(1_680_000_000);                       // created=1680000000
/// # let _ = (range, exact);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct RangeQuery(Range);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Range {
    Exact(i64),
    Bounds {
        gt: Option<i64>,
        gte: Option<i64>,
        lt: Option<i64>,
        lte: Option<i64>,
    },
}

impl Default for Range {
    fn default() -> Self {
        Range::Bounds {
            gt: None,
            gte: None,
            lt: None,
            lte: None,
        }
    }
}

impl RangeQuery {
    /// No bounds yet; add them with [`gt`](Self::gt), [`gte`](Self::gte), [`lt`](Self::lt), [`lte`](Self::lte).
    #[must_use]
    pub fn new() -> Self {
        RangeQuery::default()
    }

    /// Exactly `value`.
    #[must_use]
    pub fn exact(value: i64) -> Self {
        RangeQuery(Range::Exact(value))
    }

    /// Greater than `value`. Adding a bound to an exact query replaces the exact value.
    #[must_use]
    pub fn gt(self, value: i64) -> Self {
        self.bound(|b| b.0 = Some(value))
    }

    /// Greater than or equal to `value`.
    #[must_use]
    pub fn gte(self, value: i64) -> Self {
        self.bound(|b| b.1 = Some(value))
    }

    /// Less than `value`.
    #[must_use]
    pub fn lt(self, value: i64) -> Self {
        self.bound(|b| b.2 = Some(value))
    }

    /// Less than or equal to `value`.
    #[must_use]
    pub fn lte(self, value: i64) -> Self {
        self.bound(|b| b.3 = Some(value))
    }

    fn bound(
        self,
        set: impl FnOnce(&mut (Option<i64>, Option<i64>, Option<i64>, Option<i64>)),
    ) -> Self {
        let mut bounds = match self.0 {
            Range::Bounds { gt, gte, lt, lte } => (gt, gte, lt, lte),
            Range::Exact(_) => (None, None, None, None),
        };
        set(&mut bounds);
        let (gt, gte, lt, lte) = bounds;
        RangeQuery(Range::Bounds { gt, gte, lt, lte })
    }
}

impl From<i64> for RangeQuery {
    fn from(value: i64) -> Self {
        RangeQuery::exact(value)
    }
}

impl Serialize for RangeQuery {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Bounds {
            #[serde(skip_serializing_if = "Option::is_none")]
            gt: Option<i64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            gte: Option<i64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            lt: Option<i64>,
            #[serde(skip_serializing_if = "Option::is_none")]
            lte: Option<i64>,
        }
        match self.0 {
            Range::Exact(value) => serializer.serialize_i64(value),
            Range::Bounds { gt, gte, lt, lte } => Bounds { gt, gte, lt, lte }.serialize(serializer),
        }
    }
}

/// Reads an integer (`created=1680000000`, from a form as a string) or bounds
/// (`created[gte]=...`), as Stripe's API accepts them.
impl<'de> Deserialize<'de> for RangeQuery {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RangeVisitor;

        impl<'de> Visitor<'de> for RangeVisitor {
            type Value = RangeQuery;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer, or a map of `gt`, `gte`, `lt`, `lte` to integers")
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<RangeQuery, E> {
                Ok(RangeQuery::exact(value))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<RangeQuery, E> {
                i64::try_from(value)
                    .map(RangeQuery::exact)
                    .map_err(E::custom)
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<RangeQuery, E> {
                value
                    .parse()
                    .map(RangeQuery::exact)
                    .map_err(|_| E::custom(format!("invalid integer: {value}")))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RangeQuery, A::Error> {
                let mut range = RangeQuery::new();
                while let Some(bound) = map.next_key::<String>()? {
                    let value: RangeBound = map.next_value()?;
                    range = match bound.as_str() {
                        "gt" => range.gt(value.0),
                        "gte" => range.gte(value.0),
                        "lt" => range.lt(value.0),
                        "lte" => range.lte(value.0),
                        other => {
                            return Err(de::Error::unknown_field(
                                other,
                                &["gt", "gte", "lt", "lte"],
                            ));
                        }
                    };
                }
                Ok(range)
            }
        }

        deserializer.deserialize_any(RangeVisitor)
    }
}

/// One bound of a range: an integer, or a string holding one (as forms carry it).
struct RangeBound(i64);

impl<'de> Deserialize<'de> for RangeBound {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        RangeQuery::deserialize(deserializer).and_then(|range| match range.0 {
            Range::Exact(value) => Ok(RangeBound(value)),
            Range::Bounds { .. } => Err(de::Error::custom("expected an integer bound")),
        })
    }
}

impl RangeQuery {
    /// The exact value, when this is an exact query.
    #[must_use]
    pub fn as_exact(&self) -> Option<i64> {
        match self.0 {
            Range::Exact(value) => Some(value),
            Range::Bounds { .. } => None,
        }
    }

    /// Whether `value` satisfies this query.
    #[must_use]
    pub fn contains(&self, value: i64) -> bool {
        match self.0 {
            Range::Exact(exact) => value == exact,
            Range::Bounds { gt, gte, lt, lte } => {
                gt.is_none_or(|b| value > b)
                    && gte.is_none_or(|b| value >= b)
                    && lt.is_none_or(|b| value < b)
                    && lte.is_none_or(|b| value <= b)
            }
        }
    }
}

/// When a link (or similar object) stops working, as an update parameter.
///
/// ```
/// use resource_core::ExpiresAt;
///
/// let at = ExpiresAt::At(1_700_000_000); // expires_at=1700000000
/// let now = ExpiresAt::Now;              // expires_at=now
/// let never = ExpiresAt::Never;          // expires_at=   (removes the expiry)
/// # let _ = (at, now, never);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExpiresAt {
    /// At this Unix timestamp (seconds).
    At(i64),
    /// Immediately.
    Now,
    /// Never: removes an expiry that was set.
    Never,
}

impl From<i64> for ExpiresAt {
    fn from(timestamp: i64) -> Self {
        ExpiresAt::At(timestamp)
    }
}

impl Serialize for ExpiresAt {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ExpiresAt::At(timestamp) => serializer.serialize_i64(*timestamp),
            ExpiresAt::Now => serializer.serialize_str("now"),
            ExpiresAt::Never => serializer.serialize_str(""),
        }
    }
}

/// Reads `"now"`, `""` (never) or a timestamp (a JSON integer, or a form string of digits).
impl<'de> Deserialize<'de> for ExpiresAt {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ExpiresAtVisitor;

        impl Visitor<'_> for ExpiresAtVisitor {
            type Value = ExpiresAt;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Unix timestamp, `now`, or an empty string")
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<ExpiresAt, E> {
                Ok(ExpiresAt::At(value))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<ExpiresAt, E> {
                i64::try_from(value).map(ExpiresAt::At).map_err(E::custom)
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<ExpiresAt, E> {
                match value {
                    "now" => Ok(ExpiresAt::Now),
                    "" => Ok(ExpiresAt::Never),
                    digits => digits
                        .parse()
                        .map(ExpiresAt::At)
                        .map_err(|_| E::custom(format!("invalid timestamp: {digits}"))),
                }
            }
        }

        deserializer.deserialize_any(ExpiresAtVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_read_back_from_json() {
        let read = |json: &str| serde_json::from_str::<ExpiresAt>(json).unwrap();
        assert_eq!(read("\"now\""), ExpiresAt::Now);
        assert_eq!(read("\"\""), ExpiresAt::Never);
        assert_eq!(read("1700000000"), ExpiresAt::At(1_700_000_000));
        assert_eq!(read("\"1700000000\""), ExpiresAt::At(1_700_000_000));
        assert!(serde_json::from_str::<ExpiresAt>("\"soon\"").is_err());

        let range = |json: &str| serde_json::from_str::<RangeQuery>(json).unwrap();
        assert_eq!(range("5"), RangeQuery::exact(5));
        assert_eq!(
            range(r#"{"gte": "1", "lt": 9}"#),
            RangeQuery::new().gte(1).lt(9)
        );
        assert!(serde_json::from_str::<RangeQuery>(r#"{"around": 1}"#).is_err());
    }

    #[test]
    fn ranges_contain_what_they_say() {
        let range = RangeQuery::new().gte(10).lt(20);
        assert!(
            !range.contains(9) && range.contains(10) && range.contains(19) && !range.contains(20)
        );
        assert!(RangeQuery::new().gt(10).lte(11).contains(11));
        assert!(!RangeQuery::new().gt(10).contains(10));
        assert!(RangeQuery::exact(7).contains(7) && !RangeQuery::exact(7).contains(8));
        assert!(RangeQuery::new().contains(i64::MIN));
    }
}
