//! The journal's hash chain detects deletion, reordering and alteration (OPS-02, OPS-03,
//! AUTH-05; issue "evidence engine": ledger tests), on SQLite and PostgreSQL.

mod common;

use common::{Backend, spawn_app};
use server::audit::{self, Event};
use server::ledger::{self, Break};

on_both_databases!(
    start_and_key_events_are_chained,
    deleting_an_entry_is_detected,
    reordering_entries_is_detected,
    altering_a_recorded_event_is_detected,
    altering_an_entry_is_detected,
    truncating_the_end_is_detected,
    concurrent_appends_keep_one_chain,
);

async fn with_events(backend: Backend, n: usize) -> common::TestApp {
    let app = spawn_app(backend).await;
    for i in 0..n {
        let event = Event::system("test", "tick", serde_json::json!({ "i": i }));
        audit::record(&app.state.db, app.state.clock.now(), &event)
            .await
            .expect("record");
    }
    let report = ledger::verify(&app.state.db).await.expect("verify");
    assert_eq!(report.first_break, None, "intact chain");
    app
}

async fn exec(app: &common::TestApp, sql: &str) {
    sqlx::query(sql)
        .execute(app.state.db.pool())
        .await
        .expect(sql);
}

async fn first_break(app: &common::TestApp) -> Option<Break> {
    ledger::verify(&app.state.db)
        .await
        .expect("verify")
        .first_break
}

/// OPS-03: system start is recorded and chained.
async fn start_and_key_events_are_chained(backend: Backend) {
    let app = spawn_app(backend).await;
    let actions: Vec<(String, String)> =
        sqlx::query_as("SELECT category, action FROM audit_event ORDER BY recorded_at, id")
            .fetch_all(app.state.db.pool())
            .await
            .expect("events");
    assert!(
        actions.contains(&("system".to_owned(), "start".to_owned())),
        "{actions:?}"
    );
    let report = ledger::verify(&app.state.db).await.expect("verify");
    assert_eq!(report.entries, actions.len() as i64);
    assert_eq!(report.first_break, None);
    app.stop().await;
}

async fn deleting_an_entry_is_detected(backend: Backend) {
    let app = with_events(backend, 5).await;
    exec(&app, "DELETE FROM ledger WHERE seq = 3").await;
    assert_eq!(
        first_break(&app).await,
        Some(Break::Missing {
            expected: 3,
            found: Some(4)
        })
    );
    app.stop().await;
}

async fn reordering_entries_is_detected(backend: Backend) {
    let app = with_events(backend, 5).await;
    // Swap entries 2 and 3 (positions), keeping every row's own content.
    exec(&app, "UPDATE ledger SET seq = -2 WHERE seq = 2").await;
    exec(&app, "UPDATE ledger SET seq = 2 WHERE seq = 3").await;
    exec(&app, "UPDATE ledger SET seq = 3 WHERE seq = -2").await;
    assert_eq!(first_break(&app).await, Some(Break::BrokenLink { seq: 2 }));
    app.stop().await;
}

async fn altering_a_recorded_event_is_detected(backend: Backend) {
    let app = with_events(backend, 5).await;
    exec(&app, "UPDATE audit_event SET document = REPLACE(document, '\"i\":3', '\"i\":4') WHERE document LIKE '%\"i\":3%'").await;
    let found = first_break(&app).await;
    assert!(
        matches!(found, Some(Break::AlteredPayload { .. })),
        "{found:?}"
    );
    app.stop().await;
}

async fn altering_an_entry_is_detected(backend: Backend) {
    let app = with_events(backend, 5).await;
    exec(
        &app,
        "UPDATE ledger SET recorded_at = recorded_at + 1 WHERE seq = 4",
    )
    .await;
    assert_eq!(first_break(&app).await, Some(Break::BrokenLink { seq: 4 }));
    app.stop().await;
}

async fn truncating_the_end_is_detected(backend: Backend) {
    let app = with_events(backend, 5).await;
    let (last,): (i64,) = sqlx::query_as("SELECT MAX(seq) FROM ledger")
        .fetch_one(app.state.db.pool())
        .await
        .expect("max");
    exec(&app, &format!("DELETE FROM ledger WHERE seq = {last}")).await;
    assert_eq!(
        first_break(&app).await,
        Some(Break::Missing {
            expected: last,
            found: None
        })
    );
    app.stop().await;
}

async fn concurrent_appends_keep_one_chain(backend: Backend) {
    let app = with_events(backend, 0).await;
    let before = ledger::head(&app.state.db).await.expect("head").0;
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let db = app.state.db.clone();
            let now = app.state.clock.now();
            tokio::spawn(async move {
                audit::record(
                    &db,
                    now,
                    &Event::system("test", "concurrent", serde_json::json!({ "i": i })),
                )
                .await
                .expect("record")
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    let report = ledger::verify(&app.state.db).await.expect("verify");
    assert_eq!(report.entries, before + 40);
    assert_eq!(report.first_break, None);
    app.stop().await;
}
