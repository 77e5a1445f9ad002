//! Registered letters (issue 5), one file per use case: drafts ([`drafts`]) and their
//! attachments ([`upload`], stored by [`storage`]), atomic sending ([`send`]), the recipient's
//! side ([`reception`]: view, proofing, decision, opening, reactivation), the notification's
//! hand-over or failure ([`notification`]), reminders and expiry
//! ([`deadlines`]), the evidence dossier ([`dossier`]) and what each party sees ([`views`]).
//! The rules they apply live in `domain` (states, dates); their SQL in `crate::store`; their
//! emails in `crate::mail::letters`; their HTTP routes and port in `crate::web::letters`.

pub mod deadlines;
pub mod dossier;
pub mod drafts;
pub mod notification;
pub mod reception;
pub mod send;
pub mod storage;
pub mod upload;
pub mod views;

use std::sync::Arc;

use crate::AppState;

impl AppState {
    /// The legal time zone of deadlines (LET-06), checked when the configuration was loaded.
    pub fn legal_zone(&self) -> chrono_tz::Tz {
        self.config
            .policy
            .legal_time_zone
            .parse()
            .unwrap_or(chrono_tz::Europe::Paris)
    }

    /// The service's date in the legal time zone (YYYY-MM-DD): which edition of a published
    /// document is in force (OPS-07).
    pub fn legal_today(&self) -> String {
        self.clock
            .now()
            .with_timezone(&self.legal_zone())
            .format("%Y-%m-%d")
            .to_string()
    }

    /// An instant (milliseconds since the epoch) as the pages and emails receive it: RFC 3339
    /// in the legal time zone, with its offset (shown with `domain::time::in_words`).
    pub fn legal_time(&self, ms: i64) -> String {
        domain::time::legal_rfc3339(ms, self.legal_zone())
    }
}

/// Registers the job handlers of letters (reminders and expiry, LET-07, LET-10) and the
/// outbox, which reports the notification emails' hand-over or failure to
/// [`notification::Notifications`] (LET-05, issue 10).
pub fn register_jobs(state: &AppState) {
    let outbox = crate::mail::Outbox::new(state.mailer.clone())
        .tracked_by(Arc::new(notification::Notifications::new(state.clone())));
    state
        .jobs
        .register(crate::mail::outbox::EMAIL_JOB, Arc::new(outbox));
    let handler = Arc::new(deadlines::DeadlineJobs::new(state.clone()));
    state
        .jobs
        .register(deadlines::REMINDER_JOB, handler.clone());
    state.jobs.register(deadlines::EXPIRY_JOB, handler);
}
