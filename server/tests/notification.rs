//! The notification is proven, and the period runs from it (issue 10: LET-05, LET-06, LET-07,
//! LET-10; policy §7.2.6, §7.2.7), on SQLite and PostgreSQL, against a real SMTP server
//! started by the tests (aiosmtpd, `common::smtp`) that refuses or defers addresses, and
//! through the development mailbox's simulated refusals.

mod common;

use app::letters::{InboxItem, ListPage, SentLetter, SentSummary};
use app::lifecycle::TransactionStatus;
use chrono::{DateTime, TimeDelta, Utc};
use common::flows::{User, account};
use common::records::{
    assert_journal_intact, assert_valid_evidence, count, evidence_kinds, last_event, last_mail,
    letter_pdf, mails, pdftotext, settle,
};
use common::scenario::Scenario;
use common::{Backend, TestApp, spawn_app, spawn_app_with_smtp};
use serde_json::json;

on_both_databases!(
    let_05_let_06_let_07_the_period_runs_from_the_hand_over_after_transient_failures,
    let_05_a_refused_notification_is_proven_and_the_letter_is_not_notified,
    let_05_retries_exhausted_make_the_letter_not_notified,
    let_05_the_development_mailbox_simulates_refused_and_failing_addresses,
);

/// What `letter_notification` recorded for a transaction: (outcome, message id, server
/// response, at, attempts).
async fn notification_row(
    app: &TestApp,
    transaction: &str,
) -> Option<(String, String, String, i64, i64)> {
    sqlx::query_as(
        "SELECT outcome, message_id, server_response, at, attempts FROM letter_notification \
         WHERE transaction_id = $1",
    )
    .bind(transaction)
    .fetch_optional(app.state.db.pool())
    .await
    .expect("letter_notification")
}

/// The transaction's status, notified_at and expires_at as stored.
async fn transaction_row(app: &TestApp, transaction: &str) -> (String, i64, i64) {
    sqlx::query_as("SELECT status, notified_at, expires_at FROM letter_transaction WHERE id = $1")
        .bind(transaction)
        .fetch_one(app.state.db.pool())
        .await
        .expect("transaction")
}

/// The due times (ms) of the deadline jobs of a transaction: reminders then expiry.
async fn deadline_jobs(app: &TestApp, transaction: &str) -> Vec<(String, i64)> {
    sqlx::query_as(
        "SELECT unique_key, due_at FROM job WHERE unique_key = $1 OR unique_key LIKE $2 \
         ORDER BY due_at",
    )
    .bind(format!("expiry:{transaction}"))
    .bind(format!("reminder:{transaction}:%"))
    .fetch_all(app.state.db.pool())
    .await
    .expect("jobs")
}

/// The notification email job of a transaction: (status, attempts, payload).
async fn notification_job(app: &TestApp, transaction: &str) -> (String, i64, String) {
    sqlx::query_as(
        "SELECT status, attempts, payload FROM job WHERE kind = 'email' AND payload LIKE $1",
    )
    .bind(format!("%\"track\":\"{transaction}\"%"))
    .fetch_one(app.state.db.pool())
    .await
    .expect("notification job")
}

/// An instant of the Paris calendar (`YYYY-MM-DD HH:MM`) in UTC.
fn paris(at: &str) -> DateTime<Utc> {
    chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M")
        .expect("time")
        .and_local_timezone(chrono_tz::Europe::Paris)
        .single()
        .expect("unambiguous")
        .to_utc()
}

/// LET-06, LET-07 by hand: the expiry (00:00 Paris on day 16) and the reminders (08:00 Paris
/// on days 4, 8, 12) of a notification at `at`.
fn deadlines_from(at: DateTime<Utc>) -> (DateTime<Utc>, Vec<DateTime<Utc>>) {
    let day0 = at.with_timezone(&chrono_tz::Europe::Paris).date_naive();
    let on = |days: u64, time: &str| paris(&format!("{} {time}", day0 + chrono::Days::new(days)));
    (
        on(16, "00:00"),
        [4, 8, 12].iter().map(|d| on(*d, "08:00")).collect(),
    )
}

fn rfc3339(at: DateTime<Utc>) -> String {
    // As pages receive it: in the legal time zone, with its offset (issue 11).
    domain::time::legal_rfc3339(at.timestamp_millis(), chrono_tz::Europe::Paris)
}

/// The letter as its sender sees it.
async fn sent_letter(app: &TestApp, sender: &User, id: &str) -> SentLetter {
    sender.call(app, "sent_letter", &[("id", id)]).await.ok()
}

/// LET-05, LET-06, LET-07 (issue 10), against a real SMTP server: the recipient's mail server
/// answers 451 twice, so the notification of a letter sent at 23:3x Paris time is handed over
/// only at the third attempt, hours later and on the next calendar day. Until then the letter
/// is "notifying": no transmission evidence, no reminder or expiry job, nothing for the
/// recipient (not in her inbox). The hand-over is recorded with our Message-ID and the
/// server's reply, the transmission evidence carries them, and the period (and the reminders)
/// run from the hand-over's day, not from the sending's.
async fn let_05_let_06_let_07_the_period_runs_from_the_hand_over_after_transient_failures(
    backend: Backend,
) {
    let app = spawn_app_with_smtp(backend).await;
    let smtp = app.smtp.clone().expect("SMTP server");
    let erin = account(&app, "erin@example.net", "Erin Leroy").await;
    let drafted = Scenario::new(&app)
        .recipient("erin@example.net", "Erin Leroy")
        .subject("Convocation")
        .draft()
        .await;
    let (alice, id) = (drafted.sender.clone(), drafted.id.clone());
    // Every earlier email (the consent's) delivered first: the rule is for the notification.
    settle(&app).await;
    smtp.rules(json!({ "defer": { "erin@example.net": 2 } }));

    let sent_at = app.state.clock.now();
    let sent: SentLetter = alice.call(&app, "letter_send", &[("id", &id)]).await.ok();
    let transaction = sent.transactions[0].id.clone();
    assert_eq!(sent.transactions[0].status, TransactionStatus::Notifying);
    settle(&app).await;
    // First attempt: 451. Still notifying, nothing proven, nothing scheduled.
    let (status, attempts, _) = notification_job(&app, &transaction).await;
    assert_eq!((status.as_str(), attempts), ("pending", 1));
    let seen = sent_letter(&app, &alice, &id).await;
    assert_eq!(seen.transactions[0].status, TransactionStatus::Notifying);
    assert_eq!(seen.transactions[0].notified_at, None);
    assert_eq!(seen.transactions[0].last_day, None);
    assert_eq!(
        evidence_kinds(&app, &transaction).await,
        ["Deposit", "LetterSummary"]
    );
    assert_eq!(deadline_jobs(&app, &transaction).await, vec![]);
    assert_eq!(notification_row(&app, &transaction).await, None);
    let inbox = erin
        .call(&app, "inbox", &[])
        .await
        .ok::<ListPage<InboxItem>>()
        .items;
    assert!(inbox.is_empty(), "not notified yet: {inbox:?}");
    assert_eq!(
        erin.call(&app, "reception", &[("transaction_id", &transaction)])
            .await
            .err(),
        app::error::AppError::NotFound
    );

    // Second attempt two hours later: 451 again. Third, two hours after: handed over.
    for _ in 0..2 {
        app.state.clock.advance(TimeDelta::hours(2));
        settle(&app).await;
    }
    let handed_over_at = app.state.clock.now();
    assert!(handed_over_at - sent_at >= TimeDelta::hours(4));
    let link = format!("/received/{transaction}?t=");
    let notifications = |smtp: &common::smtp::SmtpServer| {
        smtp.received()
            .into_iter()
            .filter(|m| m.to == "erin@example.net" && m.text.contains(&link))
            .collect::<Vec<_>>()
    };
    let received = notifications(&smtp);
    assert_eq!(received.len(), 1, "delivered once");
    let message = received[0].clone();

    let (outcome, message_id, response, at, attempts) = notification_row(&app, &transaction)
        .await
        .expect("hand-over recorded");
    assert_eq!(outcome, "handed_over");
    assert_eq!(
        message_id, message.message_id,
        "our Message-ID, as received"
    );
    assert!(
        response.starts_with("250 2.0.0 Ok: queued as Q"),
        "{response}"
    );
    assert_eq!(at, handed_over_at.timestamp_millis());
    assert_eq!(attempts, 3);

    // The period runs from the hand-over (LET-06): another calendar day than the sending's.
    let (expiry, reminders) = deadlines_from(handed_over_at);
    let (expiry_if_sent, _) = deadlines_from(sent_at);
    assert_ne!(expiry, expiry_if_sent, "the test must tell them apart");
    // Hours went by: both sign in again.
    alice.sign_in_again(&app).await;
    erin.sign_in_again(&app).await;
    let (status, notified_at, expires_at) = transaction_row(&app, &transaction).await;
    assert_eq!(status, "awaiting");
    assert_eq!(notified_at, handed_over_at.timestamp_millis());
    assert_eq!(expires_at, expiry.timestamp_millis());
    let seen = sent_letter(&app, &alice, &id).await;
    assert_eq!(seen.transactions[0].status, TransactionStatus::Awaiting);
    assert_eq!(
        seen.transactions[0].notified_at,
        Some(rfc3339(handed_over_at))
    );
    assert_eq!(seen.transactions[0].expires_at, Some(rfc3339(expiry)));
    // LET-07: the reminders and the expiry are scheduled from it, once.
    let jobs = deadline_jobs(&app, &transaction).await;
    let due: Vec<i64> = jobs.iter().map(|(_, due)| *due).collect();
    let mut expected: Vec<i64> = reminders.iter().map(|r| r.timestamp_millis()).collect();
    expected.push(expiry.timestamp_millis());
    assert_eq!(due, expected, "{jobs:?}");

    // LET-05: the transmission evidence, sealed at the hand-over, carries its proof.
    assert_eq!(
        evidence_kinds(&app, &transaction).await,
        ["Deposit", "LetterSummary", "Transmission"]
    );
    let transmission = letter_pdf(&app, &transaction, "Transmission").await;
    let report = assert_valid_evidence(&app, &transmission);
    assert_eq!(report.event_time, Some(handed_over_at.into()));
    let text = pdftotext(&transmission);
    let local_part = message_id
        .trim_start_matches('<')
        .split('@')
        .next()
        .expect("Message-ID");
    for needle in [local_part, "queued as", "Erin Leroy", transaction.as_str()] {
        assert!(
            text.contains(needle),
            "{needle} in the transmission:\n{text}"
        );
    }
    let event = last_event(&app, "notified").await;
    assert!(event.to_string().contains(&message_id), "{event}");
    let inbox = erin
        .call(&app, "inbox", &[])
        .await
        .ok::<ListPage<InboxItem>>()
        .items;
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].expires_at, rfc3339(expiry));

    // The job ran once: running the queue again changes nothing.
    app.state.clock.advance(TimeDelta::hours(1));
    settle(&app).await;
    assert_eq!(notifications(&smtp).len(), 1);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM evidence WHERE letter_id = $1 AND kind = 'Transmission'",
            &[&transaction]
        )
        .await,
        1
    );
    assert_journal_intact(&app).await;
    app.stop().await;
}

/// LET-05 (issue 10), against a real SMTP server: a letter to two recipients, one of whom the
/// mail server refuses (550). Her transaction gets the notification failure evidence (with
/// the Message-ID and the server's answer), becomes "not notified" — no transmission, no
/// reminder, no expiry, nothing for her — and the sender is emailed and sees it; the other
/// recipient's letter lives on (reminders, non-claim). The failed transaction's dossier is
/// still a valid dossier.
async fn let_05_a_refused_notification_is_proven_and_the_letter_is_not_notified(backend: Backend) {
    let app = spawn_app_with_smtp(backend).await;
    let smtp = app.smtp.clone().expect("SMTP server");
    let drafted = Scenario::new(&app)
        .recipient("bob@example.net", "Bob Durand")
        .professional("nobody@pro.example", "Service absent", "Absent SA")
        .subject("Mise en demeure")
        .draft()
        .await;
    let (alice, id) = (drafted.sender.clone(), drafted.id.clone());
    smtp.rules(json!({ "refuse": ["nobody@pro.example"] }));
    let sent: SentLetter = alice.call(&app, "letter_send", &[("id", &id)]).await.ok();
    settle(&app).await;
    let of = |email: &str| {
        sent.transactions
            .iter()
            .find(|t| t.recipient_email == email)
            .expect("transaction")
            .id
            .clone()
    };
    let (refused, bob) = (of("nobody@pro.example"), of("bob@example.net"));

    assert!(smtp.messages_to("nobody@pro.example").is_empty());
    let (status, _, _) = transaction_row(&app, &refused).await;
    assert_eq!(status, "not_notified");
    let (outcome, message_id, response, _, attempts) = notification_row(&app, &refused)
        .await
        .expect("failure recorded");
    assert_eq!((outcome.as_str(), attempts), ("failed", 1));
    assert!(response.contains("550"), "{response}");
    assert!(message_id.starts_with('<') && message_id.ends_with('>'));
    // The email job is done (not left failed for an operator), its body erased.
    let (job_status, _, payload) = notification_job(&app, &refused).await;
    assert_eq!(job_status, "done");
    assert!(payload.contains("erased after delivery"), "{payload}");

    assert_eq!(
        evidence_kinds(&app, &refused).await,
        ["Deposit", "LetterSummary", "NotificationFailure"]
    );
    let failure = letter_pdf(&app, &refused, "NotificationFailure").await;
    let report = assert_valid_evidence(&app, &failure);
    assert_eq!(
        report.event.as_deref(),
        Some("http://uri.etsi.org/19522/Event/NotificationForAcceptanceFailure"),
        "{report:?}"
    );
    assert_eq!(
        report.kind,
        Some(evidence::pades::EvidenceKind::NotificationFailure)
    );
    let text = pdftotext(&failure);
    for needle in ["550", "nobody@pro.example", refused.as_str()] {
        assert!(
            text.contains(needle),
            "{needle} in the failure evidence:\n{text}"
        );
    }
    assert_eq!(deadline_jobs(&app, &refused).await, vec![]);
    assert_eq!(deadline_jobs(&app, &bob).await.len(), 4);

    // The sender is told, by email and on the letter's page.
    let to_alice = mails(&app, "alice@example.org").await;
    let (subject, text) = to_alice
        .iter()
        .find(|(subject, _)| subject.contains("non notifié"))
        .expect("the sender's email");
    assert!(subject.contains("not notified"), "{subject}");
    assert!(
        text.contains("nobody@pro.example") && text.contains("550"),
        "{text}"
    );
    assert!(text.contains(&format!("/sent/{id}")), "{text}");
    let seen = sent_letter(&app, &alice, &id).await;
    let shown = seen
        .transactions
        .iter()
        .find(|t| t.id == refused)
        .expect("shown");
    assert_eq!(shown.status, TransactionStatus::NotNotified);
    assert_eq!(
        (shown.notified_at.clone(), shown.last_day.clone()),
        (None, None)
    );
    assert!(
        shown
            .evidence
            .iter()
            .any(|e| e.kind == "NotificationFailure")
    );
    let page = alice.get(&app, &format!("/sent/{id}")).await;
    assert!(page.text().contains("non notifiée"), "{}", page.text());
    let filtered: ListPage<SentSummary> = alice
        .call(&app, "sent_letters", &[("status", "not_notified")])
        .await
        .ok();
    assert_eq!(filtered.items.len(), 1);

    // Nobody reaches the refused transaction as its recipient.
    let visitor = User::visitor("nobody@pro.example", "x");
    assert_eq!(
        visitor
            .call(
                &app,
                "reception",
                &[("transaction_id", &refused), ("token", "x")]
            )
            .await
            .err(),
        app::error::AppError::NotFound
    );

    // Day 17: Bob's letter expired with its non-claim; the refused one never had a period.
    app.state.clock.advance(TimeDelta::days(17));
    settle(&app).await;
    let kinds = evidence_kinds(&app, &refused).await;
    assert_eq!(kinds, ["Deposit", "LetterSummary", "NotificationFailure"]);
    assert_eq!(transaction_row(&app, &refused).await.0, "not_notified");
    assert!(
        evidence_kinds(&app, &bob)
            .await
            .contains(&"NonClaim".to_owned())
    );
    assert!(smtp.messages_to("nobody@pro.example").is_empty());

    // The sender's dossier of the failed transaction is complete and verifies.
    alice.sign_in_again(&app).await;
    let zip = alice
        .get(&app, &format!("/letters/{refused}/dossier.zip"))
        .await;
    assert!(zip.status.is_success(), "{}", zip.text());
    let dossier = server::letters::dossier::verify_zip(&zip.body, &app.state.sealer.trust_roots());
    assert!(dossier.valid(), "{dossier:?}");
    assert_journal_intact(&app).await;
    app.stop().await;
}

/// LET-05 (issue 10), against a real SMTP server: the recipient's server answers 451 to every
/// attempt; after the tenth the outbox gives up: the notification failure evidence (with the
/// last answer), "not notified", the sender emailed; no reminder or non-claim ever.
async fn let_05_retries_exhausted_make_the_letter_not_notified(backend: Backend) {
    let app = spawn_app_with_smtp(backend).await;
    let smtp = app.smtp.clone().expect("SMTP server");
    let drafted = Scenario::new(&app)
        .professional("busy@pro.example", "Service occupé", "Occupé SA")
        .draft()
        .await;
    let (alice, id) = (drafted.sender.clone(), drafted.id.clone());
    smtp.rules(json!({ "defer_always": ["busy@pro.example"] }));
    let sent: SentLetter = alice.call(&app, "letter_send", &[("id", &id)]).await.ok();
    let transaction = sent.transactions[0].id.clone();
    let attempts = server::mail::outbox::DELIVERY_ATTEMPTS;
    for attempt in 1..=attempts {
        settle(&app).await;
        let (_, tried, _) = notification_job(&app, &transaction).await;
        assert_eq!(tried, attempt);
        if attempt < attempts {
            assert_eq!(transaction_row(&app, &transaction).await.0, "notifying");
            // Past any backoff (at most about 2 hours).
            app.state.clock.advance(TimeDelta::hours(3));
        }
    }
    assert_eq!(transaction_row(&app, &transaction).await.0, "not_notified");
    let (outcome, _, response, _, tried) = notification_row(&app, &transaction)
        .await
        .expect("failure recorded");
    assert_eq!((outcome.as_str(), tried), ("failed", attempts));
    assert!(response.contains("451"), "{response}");
    let (job_status, _, _) = notification_job(&app, &transaction).await;
    assert_eq!(job_status, "done");
    let failure = letter_pdf(&app, &transaction, "NotificationFailure").await;
    assert_valid_evidence(&app, &failure);
    assert!(
        last_mail(&app, "alice@example.org")
            .await
            .0
            .contains("non notifié")
    );
    assert_eq!(deadline_jobs(&app, &transaction).await, vec![]);
    app.state.clock.advance(TimeDelta::days(20));
    settle(&app).await;
    assert_eq!(
        evidence_kinds(&app, &transaction).await,
        ["Deposit", "LetterSummary", "NotificationFailure"]
    );
    assert!(smtp.messages_to("busy@pro.example").is_empty());
    app.stop().await;
}

/// LET-05 (issue 10), the development mailbox: an address at `refused.invalid` is refused for
/// good (550: not notified at once), one at `failing.invalid` fails for a while (451: still
/// notifying, retried); neither reaches the mailbox, and an ordinary address is notified.
async fn let_05_the_development_mailbox_simulates_refused_and_failing_addresses(backend: Backend) {
    let app = spawn_app(backend).await;
    let sent = Scenario::new(&app)
        .professional("x@refused.invalid", "Refusé", "Refusé SA")
        .professional("y@failing.invalid", "En échec", "Échec SA")
        .professional("ok@example.com", "Ouvert", "Ouvert SA")
        .draft()
        .await;
    let (alice, id) = (sent.sender.clone(), sent.id.clone());
    let letter: SentLetter = alice.call(&app, "letter_send", &[("id", &id)]).await.ok();
    settle(&app).await;
    let of = |email: &str| {
        letter
            .transactions
            .iter()
            .find(|t| t.recipient_email == email)
            .expect("transaction")
            .id
            .clone()
    };
    let refused = of("x@refused.invalid");
    let failing = of("y@failing.invalid");
    let ok = of("ok@example.com");

    assert_eq!(transaction_row(&app, &refused).await.0, "not_notified");
    let (_, _, response, _, _) = notification_row(&app, &refused).await.expect("recorded");
    assert!(
        response.contains("550") && response.contains("simulated"),
        "{response}"
    );
    assert_eq!(
        evidence_kinds(&app, &refused).await,
        ["Deposit", "LetterSummary", "NotificationFailure"]
    );

    assert_eq!(transaction_row(&app, &failing).await.0, "notifying");
    assert_eq!(notification_row(&app, &failing).await, None);
    let (status, attempts, _) = notification_job(&app, &failing).await;
    assert_eq!((status.as_str(), attempts), ("pending", 1));
    let (error,): (Option<String>,) =
        sqlx::query_as("SELECT last_error FROM job WHERE kind = 'email' AND payload LIKE $1")
            .bind(format!("%\"track\":\"{failing}\"%"))
            .fetch_one(app.state.db.pool())
            .await
            .expect("job");
    assert!(error.unwrap_or_default().contains("451"));

    assert_eq!(transaction_row(&app, &ok).await.0, "awaiting");
    let (outcome, message_id, response, _, _) =
        notification_row(&app, &ok).await.expect("recorded");
    assert_eq!(outcome, "handed_over");
    assert!(response.starts_with("250"), "{response}");
    let (raw,): (String,) = sqlx::query_as("SELECT raw FROM dev_mailbox WHERE mail_to = $1")
        .bind("ok@example.com")
        .fetch_one(app.state.db.pool())
        .await
        .expect("mailbox");
    assert!(raw.contains(&message_id), "{raw}");

    for address in ["x@refused.invalid", "y@failing.invalid"] {
        assert_eq!(
            count(
                &app,
                "SELECT COUNT(*) FROM dev_mailbox WHERE mail_to = $1",
                &[address]
            )
            .await,
            0
        );
    }
    assert!(
        mails(&app, "alice@example.org")
            .await
            .iter()
            .any(|(subject, text)| subject.contains("non notifié")
                && text.contains("x@refused.invalid"))
    );
    app.stop().await;
}
