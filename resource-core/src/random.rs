//! Randomness for idempotency keys and retry jitter, from the operating system.
//!
//! Bytes come from the OS generator 1,024 at a time into a per-thread pool, and each byte is handed
//! out once: a key costs a copy, not a system call of its own (about 0.34 us on Linux without a
//! vDSO `getrandom`). A process that forks without exec copies its pool into the child, and both
//! processes would then draw the same bytes, so the same idempotency key: a create of one of them
//! would be answered with the other's result, and lost. [`fork`] therefore counts forks; a pool
//! filled before the latest fork is thrown away unused. Where forks cannot be counted, every
//! draw goes to the OS. Counted: every `fork()` through libc (what `nix`, `daemonize` and
//! pre-fork servers call). Not counted: a raw `clone` system call without `CLONE_VM`, which
//! skips libc's fork handlers (and which std itself does not support running Rust code after).

use std::cell::RefCell;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Bytes drawn from the OS per refill: 64 idempotency keys. Linux's `getrandom` costs about
/// 0.34 us for 16 bytes, 0.93 us for 256 and 2.6 us for 1,024 (measured on the benches' machine):
/// 41 ns a key at this size, and little less beyond it.
const POOL_BYTES: usize = 1024;

struct Pool {
    bytes: [u8; POOL_BYTES],
    /// Bytes before this index have been handed out (or were never filled).
    next: usize,
    /// The [`fork::generation`] the bytes were drawn under.
    generation: u64,
}

impl Pool {
    /// Nothing drawn yet: the first draw fills it.
    const EMPTY: Pool = Pool {
        bytes: [0; POOL_BYTES],
        next: POOL_BYTES,
        generation: 0,
    };

    /// Copies unused bytes into `out`, refilling first when the pool is short or was filled
    /// before a fork. `false` when the OS refused to refill.
    fn take(&mut self, out: &mut [u8], generation: u64) -> bool {
        if self.generation != generation || POOL_BYTES - self.next < out.len() {
            self.next = POOL_BYTES;
            if getrandom::getrandom(&mut self.bytes).is_err() {
                return false;
            }
            self.next = 0;
            self.generation = generation;
        }
        let end = self.next + out.len();
        out.copy_from_slice(&self.bytes[self.next..end]);
        // A byte handed out is not kept: nothing in memory tells a later key from an earlier one.
        self.bytes[self.next..end].fill(0);
        self.next = end;
        true
    }
}

thread_local! {
    static POOL: RefCell<Pool> = const { RefCell::new(Pool::EMPTY) };
}

/// Fills `bytes` with random bytes, from this thread's pool when forks are counted, else straight
/// from the OS.
fn fill(bytes: &mut [u8]) {
    let pooled = bytes.len() <= POOL_BYTES
        && fork::generation().is_some_and(|generation| {
            POOL.try_with(|pool| {
                pool.try_borrow_mut()
                    .is_ok_and(|mut pool| pool.take(bytes, generation))
            })
            .unwrap_or(false)
        });
    if !pooled {
        fill_from_os(bytes);
    }
}

/// Fills `bytes` from the OS generator. Should the OS refuse (vanishingly rare), falls back to
/// std's randomly keyed SipHash over a process-wide counter and the clock: still unique per call,
/// which is what idempotency keys need, so a call never fails for want of entropy.
fn fill_from_os(bytes: &mut [u8]) {
    if getrandom::getrandom(bytes).is_ok() {
        return;
    }
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let keys = RandomState::new();
    for chunk in bytes.chunks_mut(8) {
        let mut hasher = keys.build_hasher();
        hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        hasher.write_u128(nanos);
        let word = hasher.finish().to_le_bytes();
        chunk.copy_from_slice(&word[..chunk.len()]);
    }
}

/// Counts the forks of this process, so that a pool of random bytes is never shared with a child.
#[cfg(unix)]
#[allow(unsafe_code, reason = "registering a fork handler with libc")]
mod fork {
    use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

    /// Bumped in every child, by the handler below, before `fork()` returns there.
    static GENERATION: AtomicU64 = AtomicU64::new(1);

    const UNKNOWN: u8 = 0;
    const COUNTING: u8 = 1;
    const NOT_COUNTING: u8 = 2;
    static STATE: AtomicU8 = AtomicU8::new(UNKNOWN);

    extern "C" fn in_child() {
        // Async-signal-safe, as a handler run after fork() must be: one atomic add.
        GENERATION.fetch_add(1, Ordering::Relaxed);
    }

    /// The number of forks so far (plus one), or `None` when forks cannot be counted.
    ///
    /// The handler is registered on the first call, without a lock: a fork while another thread
    /// held one would leave the child waiting for it forever. Two threads racing here may both
    /// register it, and a fork then counts twice, which is as good.
    pub(super) fn generation() -> Option<u64> {
        match STATE.load(Ordering::Acquire) {
            COUNTING => Some(GENERATION.load(Ordering::Relaxed)),
            NOT_COUNTING => None,
            _ => {
                // SAFETY: `in_child` is a plain `extern "C" fn()` that lives as long as the
                // process and does only an atomic add, which is async-signal-safe.
                let registered = unsafe { libc::pthread_atfork(None, None, Some(in_child)) } == 0;
                if registered {
                    STATE.store(COUNTING, Ordering::Release);
                    Some(GENERATION.load(Ordering::Relaxed))
                } else {
                    let _ = STATE.compare_exchange(
                        UNKNOWN,
                        NOT_COUNTING,
                        Ordering::AcqRel,
                        Ordering::Acquire,
                    );
                    None
                }
            }
        }
    }
}

/// Windows has no fork: a pool is never shared with another process.
#[cfg(windows)]
mod fork {
    pub(super) fn generation() -> Option<u64> {
        Some(1)
    }
}

/// Elsewhere, forks cannot be counted: every draw goes to the OS.
#[cfg(not(any(unix, windows)))]
mod fork {
    pub(super) fn generation() -> Option<u64> {
        None
    }
}

/// A random RFC 4122 version 4 UUID in lowercase hex, `8-4-4-4-12`.
pub(crate) fn uuid_v4() -> String {
    let mut bytes = [0u8; 16];
    fill(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // variant RFC 4122
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut text = [b'-'; 36];
    let mut at = 0;
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            at += 1; // past a dash
        }
        text[at] = HEX[usize::from(byte >> 4)];
        text[at + 1] = HEX[usize::from(byte & 0x0f)];
        at += 2;
    }
    text.iter().copied().map(char::from).collect()
}

/// A uniform sample in `[0, 1)`.
pub(crate) fn unit_f64() -> f64 {
    let mut bytes = [0u8; 8];
    fill(&mut bytes);
    // 53 random bits: every value is exactly representable.
    let bits = u64::from_le_bytes(bytes) >> 11;
    #[allow(
        clippy::cast_precision_loss,
        reason = "53 bits fit an f64 mantissa exactly"
    )]
    let sample = bits as f64 / (1u64 << 53) as f64;
    sample
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_v4_has_the_rfc_4122_shape() {
        let id = uuid_v4();
        assert_eq!(id.len(), 36);
        let groups: Vec<&str> = id.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(
            id.chars()
                .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c))
        );
        assert!(groups[2].starts_with('4'));
        assert!(matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'));
        assert_ne!(uuid_v4(), id);
    }

    #[test]
    fn unit_samples_stay_in_range() {
        for _ in 0..1000 {
            let x = unit_f64();
            assert!((0.0..1.0).contains(&x));
        }
    }

    #[test]
    fn keys_are_distinct_across_many_pool_refills() {
        let keys: std::collections::HashSet<String> = (0..10_000).map(|_| uuid_v4()).collect();
        assert_eq!(keys.len(), 10_000);
    }

    #[test]
    fn a_pool_filled_before_a_fork_is_not_used_after_it() {
        let mut pool = Pool::EMPTY;
        let mut first = [0u8; 16];
        assert!(pool.take(&mut first, 1));
        // The copy a child would inherit, drawing under the next generation.
        let mut child = Pool { ..pool };
        let (mut in_parent, mut in_child) = ([0u8; 16], [0u8; 16]);
        assert!(pool.take(&mut in_parent, 1));
        assert!(child.take(&mut in_child, 2));
        assert_ne!(in_parent, in_child);
        assert_eq!(child.next, 16, "the child refilled before drawing");
        assert_eq!(pool.next, 32, "the parent went on with its pool");
    }

    #[test]
    fn bytes_handed_out_are_wiped_from_the_pool() {
        let mut pool = Pool::EMPTY;
        let mut out = [0u8; 16];
        assert!(pool.take(&mut out, 1));
        assert_eq!(pool.bytes[..16], [0; 16]);
    }
}
