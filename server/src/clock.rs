//! The one clock of the service. Every "now" — evidence times, deadlines, link expiry, mail
//! dates — comes from here, so that tests can fix time and, in development, an operator can
//! move it forward to watch a letter get its reminders and expire.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, TimeDelta, Utc};

use crate::db::Db;

#[derive(Clone)]
pub struct Clock(Arc<Kind>);

enum Kind {
    /// Production: the system clock (kept accurate by NTP).
    System,
    /// Development: the system clock plus an offset shared through the database, so that the
    /// operator page, `pli clock advance` and every server instance agree.
    Development { offset_ms: AtomicI64 },
    /// Tests: a time that moves only when told.
    Manual(Mutex<DateTime<Utc>>),
}

impl Clock {
    pub fn system() -> Clock {
        Clock(Arc::new(Kind::System))
    }

    pub fn development(offset_ms: i64) -> Clock {
        Clock(Arc::new(Kind::Development {
            offset_ms: AtomicI64::new(offset_ms),
        }))
    }

    pub fn manual(start: DateTime<Utc>) -> Clock {
        Clock(Arc::new(Kind::Manual(Mutex::new(start))))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &*self.0 {
            Kind::System => Utc::now(),
            Kind::Development { offset_ms } => {
                Utc::now() + TimeDelta::milliseconds(offset_ms.load(Ordering::Relaxed))
            }
            Kind::Manual(time) => *time.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
        }
    }

    /// The time on the users' devices, for codes they compute themselves (TOTP, RFC 6238):
    /// the real time even when the development clock runs ahead (an authenticator app knows
    /// nothing of our offset); a manual clock's own time in tests.
    pub fn device_now(&self) -> DateTime<Utc> {
        match &*self.0 {
            Kind::System | Kind::Development { .. } => Utc::now(),
            Kind::Manual(time) => *time.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
        }
    }

    /// Milliseconds since the Unix epoch, as stored in the database.
    pub fn now_ms(&self) -> i64 {
        self.now().timestamp_millis()
    }

    /// How far this clock runs ahead of the system clock.
    pub fn offset(&self) -> TimeDelta {
        match &*self.0 {
            Kind::System => TimeDelta::zero(),
            Kind::Development { offset_ms } => {
                TimeDelta::milliseconds(offset_ms.load(Ordering::Relaxed))
            }
            Kind::Manual(time) => *time.lock().unwrap_or_else(|p| p.into_inner()) - Utc::now(),
        }
    }

    /// Sets a development clock's offset (read from the database); other clocks ignore it.
    fn set_offset_ms(&self, offset: i64) {
        if let Kind::Development { offset_ms } = &*self.0 {
            offset_ms.store(offset, Ordering::Relaxed);
        }
    }

    /// Whether this clock follows the offset stored in the database (development mode).
    pub fn follows_shared_offset(&self) -> bool {
        matches!(&*self.0, Kind::Development { .. })
    }

    /// Moves a manual or development clock forward (development: until the next refresh from
    /// the database, see [`shared_offset`]); the system clock cannot be moved.
    pub fn advance(&self, by: TimeDelta) {
        match &*self.0 {
            Kind::System => {}
            Kind::Development { offset_ms } => {
                offset_ms.fetch_add(by.num_milliseconds(), Ordering::Relaxed);
            }
            Kind::Manual(time) => *time.lock().unwrap_or_else(|p| p.into_inner()) += by,
        }
    }
}

/// The development clock's offset, stored in the database (table `dev_clock`) so that every
/// process sees the same time.
pub mod shared_offset {
    use super::*;
    use crate::store::dev_clock;

    pub async fn load(db: &Db) -> Result<i64, sqlx::Error> {
        Ok(dev_clock::offset(db.pool()).await?.unwrap_or(0))
    }

    /// Adds `delta_ms` to the stored offset (atomically) and returns the new offset.
    pub async fn add(db: &Db, delta_ms: i64) -> Result<i64, sqlx::Error> {
        let mut tx = db.begin().await?;
        let offset = dev_clock::add(&mut tx, delta_ms).await?;
        tx.commit().await?;
        Ok(offset)
    }

    pub async fn reset(db: &Db) -> Result<(), sqlx::Error> {
        dev_clock::reset(db.pool()).await
    }

    /// Applies the stored offset to `clock` now and then every second, until the process ends.
    pub async fn follow(db: Db, clock: Clock) {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        loop {
            tick.tick().await;
            match load(&db).await {
                Ok(offset) => clock.set_offset_ms(offset),
                Err(error) => tracing::warn!(%error, "cannot read the development clock offset"),
            }
        }
    }

    /// Reads the stored offset into `clock` once (after a change made by this process).
    pub async fn refresh(db: &Db, clock: &Clock) -> Result<(), sqlx::Error> {
        clock.set_offset_ms(load(db).await?);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let start = DateTime::parse_from_rfc3339("2026-03-29T00:30:00Z")
            .expect("time")
            .to_utc();
        let clock = Clock::manual(start);
        assert_eq!(clock.now(), start);
        clock.advance(TimeDelta::days(15));
        assert_eq!(clock.now(), start + TimeDelta::days(15));
    }

    #[test]
    fn development_clock_runs_ahead_by_its_offset() {
        let clock = Clock::development(86_400_000);
        let ahead = clock.now() - Utc::now();
        assert!(
            ahead > TimeDelta::hours(23) && ahead <= TimeDelta::days(1),
            "{ahead}"
        );
        assert!(
            clock.device_now() - Utc::now() < TimeDelta::hours(1),
            "devices keep real time"
        );
        assert!(!Clock::system().follows_shared_offset());
    }
}
