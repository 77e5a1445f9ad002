//! Exactly-once deadlines with two server instances on one PostgreSQL database (issue 5:
//! LET-07, LET-10 with the durable job queue): 200 letters are advanced past their reminders
//! and then past their expiry while both instances' job workers run; every transaction gets
//! each reminder evidence and its non-claim evidence exactly once, and its emails once.

mod common;

use chrono::TimeDelta;
use common::flows::{contact, sender};
use common::records::{assert_journal_intact, settle};
use common::scenario::Scenario;
use common::{Backend, TestApp, spawn_app};

const LETTERS: usize = 200;

async fn count(app: &TestApp, sql: &str) -> i64 {
    common::records::count(app, sql, &[]).await
}

/// Moves both instances' clocks by `by` and lets both workers drain the queue at once.
async fn advance_both(a: &TestApp, b: &TestApp, by: TimeDelta) {
    a.state.clock.advance(by);
    b.state.clock.advance(by);
    let (ra, rb) = tokio::join!(a.state.jobs.run_due(), b.state.jobs.run_due());
    ra.expect("worker a");
    rb.expect("worker b");
    settle(a).await;
    settle(b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn let_07_let_10_deadline_jobs_run_exactly_once_with_two_instances_on_postgresql() {
    if !common::postgres_available() {
        return;
    }
    let a = spawn_app(Backend::Postgres).await;
    let alice = sender(&a, "alice@example.org", "Alice Martin").await;
    let pro = contact(
        &a,
        &alice,
        "office@example.com",
        "Office",
        Some("Office SA"),
        None,
    )
    .await;
    let b = a.second_instance().await;
    for n in 0..LETTERS {
        Scenario::new(&a)
            .by(&alice)
            .contact(&pro)
            .subject(&format!("Lettre {n}"))
            .attachment("l.pdf", vec![n as u8; 64])
            .send()
            .await;
    }
    assert_eq!(
        count(&a, "SELECT COUNT(*) FROM letter_transaction").await,
        LETTERS as i64
    );
    assert_eq!(
        count(
            &a,
            "SELECT COUNT(*) FROM job WHERE kind = 'letter.reminder'"
        )
        .await,
        3 * LETTERS as i64
    );

    // Past the third reminder (day 12, 08:00 Paris), before the expiry.
    advance_both(&a, &b, TimeDelta::days(13)).await;
    assert_eq!(
        count(&a, "SELECT COUNT(*) FROM evidence WHERE kind = 'Reminder'").await,
        3 * LETTERS as i64
    );
    assert_eq!(
        count(&a, "SELECT COUNT(*) FROM (SELECT letter_id, COUNT(*) AS n FROM evidence WHERE kind = 'Reminder' GROUP BY letter_id) r WHERE n <> 3").await,
        0,
        "each transaction has exactly its three reminders"
    );
    assert_eq!(
        count(&a, "SELECT COUNT(*) FROM evidence WHERE kind = 'NonClaim'").await,
        0
    );

    // Past the expiry (day 16, 00:00 Paris).
    advance_both(&a, &b, TimeDelta::days(4)).await;
    assert_eq!(
        count(&a, "SELECT COUNT(*) FROM evidence WHERE kind = 'NonClaim'").await,
        LETTERS as i64
    );
    assert_eq!(
        count(
            &a,
            "SELECT COUNT(DISTINCT letter_id) FROM evidence WHERE kind = 'NonClaim'"
        )
        .await,
        LETTERS as i64
    );
    assert_eq!(
        count(&a, "SELECT COUNT(*) FROM evidence WHERE kind = 'Reminder'").await,
        3 * LETTERS as i64
    );
    assert_eq!(
        count(
            &a,
            "SELECT COUNT(*) FROM letter_transaction WHERE status = 'expired'"
        )
        .await,
        LETTERS as i64
    );
    // Every deadline job completed (once: the evidence counts above).
    assert_eq!(
        count(&a, "SELECT COUNT(*) FROM job WHERE kind IN ('letter.reminder', 'letter.expiry') AND status <> 'done'").await,
        0
    );
    // Emails: per transaction, notification + 3 reminders + expiry to the recipient.
    assert_eq!(
        count(
            &a,
            "SELECT COUNT(*) FROM dev_mailbox WHERE mail_to = 'office@example.com'"
        )
        .await,
        5 * LETTERS as i64
    );
    assert_journal_intact(&a).await;
    b.stop().await;
    a.stop().await;
}
