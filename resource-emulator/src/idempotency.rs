//! Stripe's idempotency keys: a `POST` sent again with the key it was first sent with is answered
//! with the first answer, not applied again; the same key with another request is an
//! `idempotency_error`.
//!
//! What is kept per key is what a replay needs and no more: a digest of the first request
//! (method, path, body) and the answer it got. As on Stripe, a key is remembered for 24 hours
//! (against the emulator's clock, which [`Emulator::advance`](crate::Emulator::advance) moves),
//! and only for a request that changed something: the engine remembers a success, and a refusal
//! that stored its change (a declined payment: Stripe saves the result of a request that started
//! executing), while a request refused outright leaves its key free, so it can be sent again
//! with corrected parameters. The store holds at most its capacity of keys, forgetting the
//! oldest first.

use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;

/// How long Stripe remembers a key: 24 hours.
pub(crate) const WINDOW_SECONDS: i64 = 24 * 60 * 60;

/// How many keys are remembered at most, unless set otherwise.
pub(crate) const DEFAULT_CAPACITY: usize = 10_000;

/// Where a key belongs: keys are per API key and per connected account (`Stripe-Account`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Slot {
    pub(crate) api_key: String,
    pub(crate) account: String,
    pub(crate) key: String,
}

impl Slot {
    fn bytes(&self) -> usize {
        self.api_key.len() + self.account.len() + self.key.len()
    }
}

/// A request's digest: 128 bits of SipHash under two keys drawn at random per store, so two
/// requests cannot be crafted to share one.
pub(crate) type Digest = [u64; 2];

/// One remembered key.
struct Entry {
    /// Its place in the order keys are forgotten in.
    sequence: u64,
    /// When it was first used, on the emulator's clock.
    at: i64,
    digest: Digest,
    status: u16,
    answer: Box<[u8]>,
}

impl Entry {
    fn expired(&self, now: i64) -> bool {
        now.saturating_sub(self.at) >= WINDOW_SECONDS
    }
}

/// What a key says about a request.
pub(crate) enum Seen<'a> {
    /// Not remembered (never used, forgotten, or its request was refused): handle the request.
    New,
    /// The same request: answer what it was answered.
    Replay { status: u16, answer: &'a [u8] },
    /// The key was used with another request.
    Conflict,
}

/// The remembered keys.
pub(crate) struct Replays {
    entries: HashMap<Arc<Slot>, Entry>,
    /// Oldest first.
    order: BTreeMap<u64, Arc<Slot>>,
    sequence: u64,
    capacity: usize,
    /// The bytes of the keys and answers held.
    held: usize,
    digest_keys: (RandomState, RandomState),
}

impl Replays {
    pub(crate) fn new() -> Self {
        Replays {
            entries: HashMap::new(),
            order: BTreeMap::new(),
            sequence: 0,
            capacity: DEFAULT_CAPACITY,
            held: 0,
            digest_keys: (RandomState::new(), RandomState::new()),
        }
    }

    /// The digest of a request given as parts (its method, path and body, or the body's parts):
    /// each part is hashed with its length, so no two lists of parts share one by chance.
    pub(crate) fn digest(&self, parts: &[&[u8]]) -> Digest {
        let hash = |state: &RandomState| {
            let mut hasher = state.build_hasher();
            for part in parts {
                hasher.write_usize(part.len());
                hasher.write(part);
            }
            hasher.finish()
        };
        [hash(&self.digest_keys.0), hash(&self.digest_keys.1)]
    }

    /// What `slot` says about the request of `digest` at `now`; a key past its 24 hours is
    /// forgotten here.
    pub(crate) fn check(&mut self, slot: &Slot, digest: Digest, now: i64) -> Seen<'_> {
        if self
            .entries
            .get(slot)
            .is_some_and(|entry| entry.expired(now))
        {
            self.forget(slot);
        }
        match self.entries.get(slot) {
            None => Seen::New,
            Some(entry) if entry.digest == digest => Seen::Replay {
                status: entry.status,
                answer: &entry.answer,
            },
            Some(_) => Seen::Conflict,
        }
    }

    /// Remembers the answer (`status`, `answer`) to the request of `digest` under `slot`, from
    /// `now`. The oldest keys, and those past their 24 hours, make room.
    pub(crate) fn remember(
        &mut self,
        slot: Slot,
        digest: Digest,
        now: i64,
        status: u16,
        answer: &[u8],
    ) {
        if self.capacity == 0 {
            return;
        }
        self.forget(&slot);
        self.sequence += 1;
        let slot = Arc::new(slot);
        self.held += slot.bytes() + answer.len();
        self.order.insert(self.sequence, Arc::clone(&slot));
        let entry = Entry {
            sequence: self.sequence,
            at: now,
            digest,
            status,
            answer: answer.into(),
        };
        self.entries.insert(slot, entry);
        self.make_room(now);
    }

    /// Forgets the oldest keys beyond the capacity, and the oldest ones past their 24 hours.
    fn make_room(&mut self, now: i64) {
        while let Some((_, oldest)) = self.order.first_key_value() {
            let expired = self
                .entries
                .get(&**oldest)
                .is_none_or(|entry| entry.expired(now));
            if !expired && self.entries.len() <= self.capacity {
                break;
            }
            let oldest = Arc::clone(oldest);
            self.forget(&oldest);
        }
    }

    /// Forgets every key past its 24 hours (after the clock moved), wherever it is in the order.
    pub(crate) fn forget_expired(&mut self, now: i64) {
        let expired: Vec<Arc<Slot>> = self
            .entries
            .iter()
            .filter(|(_, entry)| entry.expired(now))
            .map(|(slot, _)| Arc::clone(slot))
            .collect();
        for slot in expired {
            self.forget(&slot);
        }
    }

    fn forget(&mut self, slot: &Slot) {
        if let Some((slot, entry)) = self.entries.remove_entry(slot) {
            self.order.remove(&entry.sequence);
            self.held = self.held.saturating_sub(slot.bytes() + entry.answer.len());
        }
    }

    /// Sets how many keys are remembered at most (0: none, so nothing is replayed), forgetting
    /// the oldest beyond it now.
    pub(crate) fn set_capacity(&mut self, capacity: usize, now: i64) {
        self.capacity = capacity;
        self.make_room(now);
    }

    /// How many keys are remembered.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The bytes of the keys and answers remembered.
    pub(crate) fn bytes(&self) -> usize {
        self.held
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(key: &str) -> Slot {
        Slot {
            api_key: "sk_test_1".into(),
            account: String::new(),
            key: key.into(),
        }
    }

    fn replayed(seen: Seen<'_>) -> Option<(u16, Vec<u8>)> {
        match seen {
            Seen::Replay { status, answer } => Some((status, answer.to_vec())),
            Seen::New | Seen::Conflict => None,
        }
    }

    #[test]
    fn replays_the_same_request_and_refuses_another() {
        let mut replays = Replays::new();
        let digest = replays.digest(&[b"POST", b"/v1/x", b"a=1"]);
        assert!(matches!(replays.check(&slot("k"), digest, 0), Seen::New));
        replays.remember(slot("k"), digest, 0, 200, b"{}");
        assert_eq!(
            replayed(replays.check(&slot("k"), digest, 10)),
            Some((200, b"{}".to_vec()))
        );
        let other = replays.digest(&[b"POST", b"/v1/x", b"a=2"]);
        assert!(matches!(
            replays.check(&slot("k"), other, 10),
            Seen::Conflict
        ));
        // Lengths are part of the digest: moving a byte from path to body is another request.
        assert_ne!(
            replays.digest(&[b"POST", b"/v1/xa", b"=1"]),
            replays.digest(&[b"POST", b"/v1/x", b"a=1"])
        );
    }

    #[test]
    fn a_remembered_error_replays_with_its_status() {
        let mut replays = Replays::new();
        let digest = replays.digest(&[b"POST", b"/v1/x", b""]);
        replays.remember(slot("k"), digest, 0, 402, b"{\"error\":{}}");
        assert!(matches!(
            replays.check(&slot("k"), digest, 0),
            Seen::Replay {
                status: 402,
                answer: b"{\"error\":{}}"
            }
        ));
    }

    #[test]
    fn keys_are_forgotten_after_a_day_or_beyond_the_capacity() {
        let mut replays = Replays::new();
        let digest = replays.digest(&[b"POST", b"/v1/x", b""]);
        replays.remember(slot("k"), digest, 0, 200, b"{}");
        assert!(replayed(replays.check(&slot("k"), digest, WINDOW_SECONDS - 1)).is_some());
        assert!(matches!(
            replays.check(&slot("k"), digest, WINDOW_SECONDS),
            Seen::New
        ));
        assert_eq!((replays.len(), replays.bytes()), (0, 0));

        replays.set_capacity(3, 0);
        for key in ["a", "b", "c", "d", "e"] {
            replays.remember(slot(key), digest, 0, 200, b"{}");
        }
        assert_eq!(replays.len(), 3);
        assert!(matches!(replays.check(&slot("b"), digest, 0), Seen::New));
        assert!(replayed(replays.check(&slot("c"), digest, 0)).is_some());
        replays.set_capacity(1, 0);
        assert_eq!(replays.len(), 1);
        assert!(replayed(replays.check(&slot("e"), digest, 0)).is_some());

        // The clock moved back, then forward past the day: every key goes, in any order.
        replays.set_capacity(10, 0);
        replays.remember(slot("later"), digest, 100, 200, b"{}");
        replays.remember(slot("earlier"), digest, 50, 200, b"{}");
        replays.forget_expired(WINDOW_SECONDS + 100);
        assert_eq!((replays.len(), replays.bytes()), (0, 0));

        replays.set_capacity(0, 0);
        replays.remember(slot("k"), digest, 0, 200, b"{}");
        assert_eq!(replays.len(), 0);
    }
}
