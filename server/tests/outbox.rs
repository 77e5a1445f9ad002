//! Email goes through an outbox on the job queue (issue 5, LET-05 and every notification): an
//! SMTP outage delays mail and loses none.

mod common;

use chrono::TimeDelta;
use common::smtp::{SmtpServer, free_port};
use common::{Backend, spawn_app_with};
use server::mail::Outbox;
use server::mailer::Email;

on_both_databases!(an_smtp_outage_delays_mail_and_loses_none);

async fn an_smtp_outage_delays_mail_and_loses_none(backend: Backend) {
    // A port with nothing listening yet: the SMTP server is "down".
    let port = free_port();
    let app = spawn_app_with(backend, |config| {
        config.mail.transport = server::config::MailTransport::Smtp;
        config.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    })
    .await;
    let state = &app.state;
    let email = Email {
        attachments: Vec::new(),
        to: "destinataire@example.org".to_owned(),
        subject: "Une lettre recommandée vous attend".to_owned(),
        text: "Bonjour".to_owned(),
        html: None,
    };
    let mut tx = state.db.pool().begin().await.expect("tx");
    Outbox::queue_in(&state.jobs, &mut tx, &email, state.clock.now())
        .await
        .expect("queue");
    tx.commit().await.expect("commit");

    state.jobs.run_due().await.expect("run");
    let (status, attempts): (String, i64) =
        sqlx::query_as("SELECT status, attempts FROM job WHERE kind = 'email'")
            .fetch_one(state.db.pool())
            .await
            .expect("job");
    assert_eq!(
        (status.as_str(), attempts),
        ("pending", 1),
        "kept for a retry"
    );

    // The SMTP server comes back; after the backoff the email goes out, once.
    let inbox = SmtpServer::start_on(port);
    state.clock.advance(TimeDelta::seconds(31));
    state.jobs.run_due().await.expect("run");
    // The server's own job runner may have taken the job instead: wait for delivery.
    for _ in 0..50 {
        if !inbox.messages().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let messages = inbox.messages();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("To: destinataire@example.org"),
        "{}",
        messages[0]
    );
    let (status,): (String,) = sqlx::query_as("SELECT status FROM job WHERE kind = 'email'")
        .fetch_one(state.db.pool())
        .await
        .expect("job");
    assert_eq!(status, "done");
    state.clock.advance(TimeDelta::hours(1));
    state.jobs.run_due().await.expect("run");
    assert_eq!(inbox.messages().len(), 1, "sent once");
    app.stop().await;
}
