//! The emulator's clock: the system time moved by what tests asked (`Emulator::advance`),
//! shared by the engine and the threads that deliver webhooks.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The latest time the clock reads: 9999-12-31T23:59:59Z. Hooks add days and years to the
/// time; kept this far from `i64::MAX`, none of that can overflow.
pub(crate) const LATEST: i64 = 253_402_300_799;

/// The system time plus an offset, between the epoch and [`LATEST`].
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset: AtomicI64,
}

impl Clock {
    /// Unix seconds on the emulator's clock.
    pub(crate) fn now(&self) -> i64 {
        system_now()
            .saturating_add(self.offset.load(Ordering::Relaxed))
            .clamp(0, LATEST)
    }

    /// Moves the clock by `seconds` (back when negative), no further than the epoch or
    /// [`LATEST`].
    pub(crate) fn advance(&self, seconds: i64) {
        let system = system_now();
        // `fetch_update` never fails here: the closure always answers `Some`.
        let _ = self
            .offset
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |offset| {
                let now = system.saturating_add(offset).saturating_add(seconds);
                Some(now.clamp(0, LATEST) - system)
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
        assert_eq!(clock.now(), LATEST);
        clock.advance(-86_400);
        let back = clock.now();
        assert!((LATEST - 86_400..LATEST - 86_390).contains(&back), "{back}");
        clock.advance(i64::MIN);
        assert_eq!(clock.now(), 0);
    }
}
