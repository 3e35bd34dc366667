//! Parameter types shared by many resources.

use serde::{Serialize, Serializer};

/// Query parameters of a plain retrieve: only `expand`.
///
/// ```
/// let params = resource_core::RetrieveParams::new().expand("file");
/// assert_eq!(resource_core::form::to_string(&params).unwrap(), "expand[0]=file");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RetrieveParams {
    #[serde(skip_serializing_if = "Vec::is_empty")]
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
