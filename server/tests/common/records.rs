//! What the service recorded, read the way an operator or a relying party would: the
//! development mailbox, the journal, the evidence and its verification. The raw SQL reads of
//! the tests live here, written once with `$n` placeholders so that they run on SQLite and
//! PostgreSQL alike.

use std::path::Path;

use super::TestApp;
use super::validators;

/// Runs the job queue until no due job is left (the server's own loop may run some too).
pub async fn settle(app: &TestApp) {
    for _ in 0..200 {
        app.state.jobs.run_due().await.expect("jobs");
        let (due,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM job WHERE status = 'pending' AND due_at <= $1")
                .bind(app.state.clock.now_ms())
                .fetch_one(app.state.db.pool())
                .await
                .expect("jobs");
        if due == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("jobs did not settle");
}

/// Every mail to `to`, oldest first: (subject, text), once the outbox has delivered what is
/// due: from the development mailbox, or from the test's SMTP server when the app sends
/// there.
pub async fn mails(app: &TestApp, to: &str) -> Vec<(String, String)> {
    settle(app).await;
    if let Some(smtp) = &app.smtp {
        // Sent over SMTP: what the test's SMTP server took.
        return smtp
            .received()
            .into_iter()
            .filter(|m| m.to.eq_ignore_ascii_case(to))
            .map(|m| (m.subject, m.text))
            .collect();
    }
    sqlx::query_as(
        "SELECT subject, text_body FROM dev_mailbox WHERE mail_to = $1 ORDER BY sent_at, id",
    )
    .bind(to)
    .fetch_all(app.state.db.pool())
    .await
    .expect("mailbox")
}

/// The newest mail to `to`: (subject, text).
pub async fn last_mail(app: &TestApp, to: &str) -> (String, String) {
    mails(app, to)
        .await
        .pop()
        .unwrap_or_else(|| panic!("no mail to {to}"))
}

/// The token of the link in the newest mail to `to` (`…?token=`).
pub async fn link_token(app: &TestApp, to: &str) -> String {
    let (_, text) = last_mail(app, to).await;
    after(&text, "token=")
}

/// The value after `marker` in `text`, up to whitespace, a quote or an `&`.
#[track_caller]
pub fn after(text: &str, marker: &str) -> String {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {text}"))
        + marker.len();
    text[start..]
        .split(|c: char| c.is_whitespace() || c == '"' || c == '&')
        .next()
        .expect("value")
        .to_owned()
}

/// `SELECT COUNT(*) …` with `binds` for `$1`, `$2`…
pub async fn count(app: &TestApp, sql: &str, binds: &[&str]) -> i64 {
    let mut query = sqlx::query_as::<_, (i64,)>(sql);
    for value in binds {
        query = query.bind(*value);
    }
    query
        .fetch_one(app.state.db.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .0
}

/// The open login sessions of the account of `email`.
pub async fn open_sessions(app: &TestApp, email: &str) -> i64 {
    count(
        app,
        "SELECT COUNT(*) FROM login_session l JOIN account a ON a.id = l.account_id \
         WHERE a.email_key = $1 AND l.ended_at IS NULL",
        &[email],
    )
    .await
}

/// The OTP sessions of the account of `email` whose end is not recorded (live, or expired
/// unnoticed).
pub async fn open_otp_sessions(app: &TestApp, email: &str) -> i64 {
    count(
        app,
        "SELECT COUNT(*) FROM otp_session o JOIN account a ON a.id = o.account_id \
         WHERE a.email_key = $1 AND o.expiry_recorded_at IS NULL",
        &[email],
    )
    .await
}

/// The one text column of the rows of `sql`, with `binds` for `$1`, `$2`…
async fn texts(app: &TestApp, sql: &str, binds: &[&str]) -> Vec<String> {
    let mut query = sqlx::query_as::<_, (String,)>(sql);
    for value in binds {
        query = query.bind(*value);
    }
    query
        .fetch_all(app.state.db.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .into_iter()
        .map(|(text,)| text)
        .collect()
}

/// The actions of the journal's recorded events, oldest first.
pub async fn journal_actions(app: &TestApp) -> Vec<String> {
    texts(
        app,
        "SELECT action FROM audit_event ORDER BY recorded_at, id",
        &[],
    )
    .await
}

/// The actions of the journal's events of one category (`auth`, `letter`…), oldest first.
pub async fn journal_actions_of(app: &TestApp, category: &str) -> Vec<String> {
    texts(
        app,
        "SELECT action FROM audit_event WHERE category = $1 ORDER BY recorded_at, id",
        &[category],
    )
    .await
}

/// The documents of the journal's events with `action`, oldest first.
pub async fn events(app: &TestApp, action: &str) -> Vec<serde_json::Value> {
    texts(
        app,
        "SELECT document FROM audit_event WHERE action = $1 ORDER BY recorded_at, id",
        &[action],
    )
    .await
    .iter()
    .map(|d| serde_json::from_str(d).expect("JSON event"))
    .collect()
}

/// The document of the newest journal event with `action`.
pub async fn last_event(app: &TestApp, action: &str) -> serde_json::Value {
    events(app, action)
        .await
        .pop()
        .unwrap_or_else(|| panic!("no {action} event"))
}

/// The journal's hash chain is unbroken.
pub async fn assert_journal_intact(app: &TestApp) {
    let report = server::ledger::verify(&app.state.db).await.expect("verify");
    assert_eq!(report.first_break, None, "journal intact");
}

/// A stored evidence: (kind, PDF).
pub async fn evidence(app: &TestApp, id: &str) -> (String, Vec<u8>) {
    sqlx::query_as("SELECT kind, pdf FROM evidence WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.pool())
        .await
        .expect("evidence")
}

/// The first evidence of `kind` of a transaction: (id, PDF).
pub async fn letter_evidence(app: &TestApp, transaction: &str, kind: &str) -> (String, Vec<u8>) {
    sqlx::query_as(
        "SELECT id, pdf FROM evidence WHERE letter_id = $1 AND kind = $2 ORDER BY created_at LIMIT 1",
    )
    .bind(transaction)
    .bind(kind)
    .fetch_one(app.state.db.pool())
    .await
    .expect("evidence pdf")
}

/// The PDF of the first evidence of `kind` of a transaction.
pub async fn letter_pdf(app: &TestApp, transaction: &str, kind: &str) -> Vec<u8> {
    letter_evidence(app, transaction, kind).await.1
}

/// The link of the newest mail to `to` to a received letter (a notification or a reminder):
/// (transaction id, token).
pub async fn notification_link(app: &TestApp, to: &str) -> (String, String) {
    let (_, text) = last_mail(app, to).await;
    let transaction = after(&text, "/received/");
    let transaction = transaction.split('?').next().expect("id").to_owned();
    (transaction, after(&text, "?t="))
}

/// The evidence kinds of a transaction, in journal order.
pub async fn evidence_kinds(app: &TestApp, transaction: &str) -> Vec<String> {
    texts(
        app,
        "SELECT e.kind FROM evidence e JOIN ledger l ON l.entry_type = 'evidence' AND l.ref_id = e.id \
         WHERE e.letter_id = $1 ORDER BY l.seq",
        &[transaction],
    )
    .await
}

/// The development root certificate that evidence chains to.
pub fn root_pem(app: &TestApp) -> std::path::PathBuf {
    app.state.config.pki.dir.join("root.pem")
}

/// Checks an evidence with pyHanko and pli's own verifier; returns pli's report.
pub fn assert_valid_evidence(app: &TestApp, pdf: &[u8]) -> ::evidence::verify::Report {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("evidence.pdf");
    std::fs::write(&path, pdf).expect("write");
    let (ok, output) = validators::pyhanko(&path, &root_pem(app));
    assert!(ok, "pyHanko: {output}");
    let report = ::evidence::verify::verify_pdf(pdf, &app.state.sealer.trust_roots(), None);
    assert!(report.valid(), "{report:?}");
    report
}

/// A copy of `pdf` with the first `needle` changed to start with `replacement`.
#[track_caller]
pub fn tampered(pdf: &[u8], needle: &[u8], replacement: u8) -> Vec<u8> {
    let mut copy = pdf.to_vec();
    let at = copy
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("{} in the file", String::from_utf8_lossy(needle)));
    copy[at] = replacement;
    copy
}

/// Runs `pli verify ARGS…` as a relying party would, against this service's PKI and journal:
/// (exit code, report).
pub fn pli_verify(app: &TestApp, args: &[&Path]) -> (Option<i32>, String) {
    let config = &app.state.config;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pli"))
        .arg("verify")
        .args(args)
        .env("PLI_DATABASE__URL", &config.database.url)
        .env("PLI_PKI__DIR", &config.pki.dir)
        .env("PLI_VAR_DIR", &config.var_dir)
        .env("SOFTHSM2_CONF", "/nonexistent")
        .output()
        .expect("run pli verify");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The text of a PDF (poppler's `pdftotext -layout`).
pub fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("e.pdf");
    std::fs::write(&path, pdf).expect("write");
    let output = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().expect("path"), "-"])
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The files of a dossier ZIP, in order (manifest.json first).
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("file");
            let name = file.name().expect("name").into_owned();
            let mut content = Vec::new();
            std::io::Read::read_to_end(&mut file, &mut content).expect("read");
            (name, content)
        })
        .collect()
}

/// The kinds of the evidence in `user`'s dossier of `transaction` (from its manifest.json), in
/// order, after checking that no file (a PDF's text, manifest.json) contains any of `hidden`;
/// or the HTTP status refusing the dossier.
pub async fn dossier_kinds(
    app: &TestApp,
    user: &super::flows::User,
    transaction: &str,
    hidden: &[&str],
) -> Result<Vec<String>, u16> {
    let zip = user
        .get(app, &format!("/letters/{transaction}/dossier.zip"))
        .await;
    if !zip.status.is_success() {
        return Err(zip.status.as_u16());
    }
    let files = unzip(&zip.body);
    for (name, bytes) in &files {
        let text = if name.ends_with(".pdf") {
            pdftotext(bytes)
        } else {
            String::from_utf8_lossy(bytes).into_owned()
        };
        for secret in hidden {
            assert!(!text.contains(secret), "{name} discloses {secret}: {text}");
        }
    }
    let manifest: serde_json::Value = serde_json::from_slice(&files[0].1).expect("manifest.json");
    Ok(manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|file| file["kind"].as_str().unwrap_or_default().to_owned())
        .collect())
}

/// A complete deposit evidence for letter `letter`, not yet sealed: a sender, a subject, the
/// submission time and the sender's sessions, at the app's clock.
pub fn deposit_evidence(app: &TestApp, letter: &str) -> evidence::pades::Evidence {
    use evidence::pades::{EvidenceKind, Party, Sessions};
    let now = app.state.clock.now();
    let mut evidence = app.state.sealer.evidence(EvidenceKind::Deposit, now);
    evidence.sender = Some(Party::new("Alice Martin", "user-1", "alice@example.org"));
    evidence.letter_id = Some(letter.to_owned());
    evidence.subject = Some("Mise en demeure".to_owned());
    evidence.submission_time = Some(now.into());
    evidence.sessions = Some(Sessions {
        login_session_id: "login-1".to_owned(),
        login_time: now.into(),
        otp_session_id: "otp-1".to_owned(),
    });
    evidence
}
