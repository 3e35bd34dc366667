//! The emulator's clock: the system time moved by what tests asked (`Emulator::advance`),
//! shared by the engine and the threads that deliver webhooks.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The system time plus an offset.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset: AtomicI64,
}

impl Clock {
    /// Unix seconds on the emulator's clock.
    pub(crate) fn now(&self) -> i64 {
        system_now().saturating_add(self.offset.load(Ordering::Relaxed))
    }

    /// Moves the clock by `seconds` (back when negative).
    pub(crate) fn advance(&self, seconds: i64) {
        // `fetch_update` never fails here: the closure always answers `Some`.
        let _ = self
            .offset
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |offset| {
                Some(offset.saturating_add(seconds))
            });
    }
}

/// Unix seconds on the system's clock.
pub(crate) fn system_now() -> i64 {
    let elapsed = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    i64::try_from(elapsed).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_moves_by_what_it_is_told() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance(3600);
        clock.advance(-600);
        let moved = clock.now() - before;
        assert!((3000..=3001).contains(&moved), "{moved}");
        clock.advance(i64::MAX);
        assert_eq!(clock.now(), i64::MAX);
    }
}
