//! Randomness for idempotency keys and retry jitter, from the operating system.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Fills `bytes` from the OS generator: one system call per idempotency key (about 0.7 us). A
/// per-thread buffer of random bytes would be cheaper, but a process that forks without exec
/// would hand the same bytes, so the same idempotency key, to both processes: a create of one of
/// them would then be answered with the other's result, and lost.
///
/// Should the OS refuse (vanishingly rare), falls back to
/// std's randomly keyed SipHash over a process-wide counter and the clock: still unique per call,
/// which is what idempotency keys need, so a call never fails for want of entropy.
fn fill(bytes: &mut [u8]) {
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

/// A random RFC 4122 version 4 UUID in lowercase hex, `8-4-4-4-12`.
pub(crate) fn uuid_v4() -> String {
    let mut bytes = [0u8; 16];
    fill(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // variant RFC 4122
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    out
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
}
