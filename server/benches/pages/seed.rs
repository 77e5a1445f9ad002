//! The pages bench's database: accounts, open sessions, sent letters, transactions,
//! attachments and evidence rows with their journal entries, written with SQL inserts rather
//! than by sealing 100,000 PDFs.

use std::fmt::Write as _;

use server::db::Backend as DbBackend;

use super::common::TestApp;
use super::{BIG_LETTERS, EVIDENCE_KINDS, LETTERS, RECIPIENTS, STATUSES, Seeded};

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Rows of one table, inserted in batches of literal values.
struct Rows {
    table: &'static str,
    columns: &'static str,
    values: Vec<String>,
}

impl Rows {
    fn new(table: &'static str, columns: &'static str) -> Rows {
        Rows {
            table,
            columns,
            values: Vec::new(),
        }
    }

    fn push(&mut self, values: String) {
        self.values.push(values);
    }

    async fn insert(self, tx: &mut sqlx::Transaction<'_, sqlx::Any>) {
        for chunk in self.values.chunks(500) {
            let sql = format!(
                "INSERT INTO {} ({}) VALUES ({})",
                self.table,
                self.columns,
                chunk.join("), (")
            );
            sqlx::raw_sql(&sql)
                .execute(&mut **tx)
                .await
                .unwrap_or_else(|e| panic!("seed {}: {e}", self.table));
        }
    }
}

fn q(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Accounts with open sessions, their sent letters and what the journal holds of them.
pub(super) async fn seed(app: &TestApp, senders: usize) -> Seeded {
    let db = &app.state.db;
    let now = app.state.clock.now_ms();
    let day = 86_400_000_i64;
    let pdf = match db.backend() {
        DbBackend::Sqlite => "X'255044462d312e370a'".to_owned(),
        DbBackend::Postgres => "'\\x255044462d312e370a'::bytea".to_owned(),
    };
    let mut accounts = Rows::new(
        "account",
        "id, email, email_key, name, password_hash, terms_version, terms_accepted_at, \
         created_at, email_confirmed_at, totp_secret, totp_enrolled_at",
    );
    let mut sessions = Rows::new(
        "login_session",
        "id, token_hash, account_id, created_at, last_seen_at, second_factor_at, ip, user_agent",
    );
    let mut letters = Rows::new(
        "letter",
        "id, author_id, status, subject, message, created_at, updated_at, sent_at, \
         sender_name, sender_email, subject_key",
    );
    let mut attachments = Rows::new(
        "attachment",
        "id, letter_id, name, media_type, size, sha256, storage_key, position, created_at",
    );
    let mut transactions = Rows::new(
        "letter_transaction",
        "id, letter_id, contact_id, recipient_id, recipient_name, recipient_email, \
         recipient_email_key, recipient_professional, status, notified_at, expires_at, \
         decided_at, access_token_hash",
    );
    let mut evidence = Rows::new("evidence", "id, kind, created_at, letter_id, pdf, sha256");
    let mut journal = Rows::new(
        "ledger",
        "seq, entry_type, ref_id, recorded_at, payload_sha256, prev_hash, link_hash",
    );
    let mut cookies = Vec::new();
    let mut first_letters = Vec::new();
    let mut big_cookie = String::new();
    let mut seq = 1_000_000_i64;
    let mut counter = 0_u64;
    let mut next_id = || {
        counter += 1;
        format!("00000000-0000-7000-8000-{counter:012x}")
    };
    let zeros = "0".repeat(64);
    let email = |i: usize| format!("user{i}@bench.example");
    for i in 0..=senders {
        let big = i == senders;
        let account_id = next_id();
        let address = if big {
            "big@bench.example".to_owned()
        } else {
            email(i)
        };
        let name = if big {
            "Big Sender".to_owned()
        } else {
            format!("User {i}")
        };
        accounts.push(format!(
            "{}, {}, {}, {}, 'x', 'bench', {now}, {now}, {now}, \
             'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', {now}",
            q(&account_id),
            q(&address),
            q(&address),
            q(&name)
        ));
        let token = format!("bench-session-{i}");
        sessions.push(format!(
            "{}, {}, {}, {now}, {now}, {now}, '127.0.0.1', 'bench'",
            q(&next_id()),
            q(&sha256_hex(token.as_bytes())),
            q(&account_id)
        ));
        let cookie = format!("pli_session={token}");
        if big {
            big_cookie = cookie;
        } else {
            cookies.push(cookie);
        }
        let count = if big { BIG_LETTERS } else { LETTERS };
        for n in 0..count {
            let letter_id = next_id();
            let sent_at = now - (n as i64 + 1) * 3_600_000 - i as i64;
            let subject = if big {
                format!("Big subject {n}")
            } else {
                format!("Subject {n} of {i}")
            };
            letters.push(format!(
                "{}, {}, 'sent', {}, 'Madame, Monsieur,', {sent_at}, {sent_at}, {sent_at}, {}, {}, {}",
                q(&letter_id),
                q(&account_id),
                q(&subject),
                q(&name),
                q(&address),
                q(&domain::text::search_key(&subject))
            ));
            attachments.push(format!(
                "{}, {}, 'lettre.pdf', 'application/pdf', 1000, {}, {}, 0, {sent_at}",
                q(&next_id()),
                q(&letter_id),
                q(&zeros),
                q(&next_id())
            ));
            if n == 0 && !big {
                first_letters.push(letter_id.clone());
            }
            for r in 0..RECIPIENTS {
                let to = (i + 1 + r + n * 7) % senders;
                let transaction_id = next_id();
                let status = STATUSES[(i + n + r) % STATUSES.len()];
                let decided = if status == "awaiting" {
                    "NULL".to_owned()
                } else {
                    (sent_at + day).to_string()
                };
                transactions.push(format!(
                    "{}, {}, {}, {}, {}, {}, {}, 0, '{status}', {sent_at}, {}, {decided}, {}",
                    q(&transaction_id),
                    q(&letter_id),
                    q(&next_id()),
                    q(&next_id()),
                    q(&format!("User {to}")),
                    q(&email(to)),
                    q(&email(to)),
                    sent_at + 16 * day,
                    q(&sha256_hex(transaction_id.as_bytes()))
                ));
                for (k, kind) in EVIDENCE_KINDS.iter().enumerate() {
                    let evidence_id = next_id();
                    let at = sent_at + k as i64;
                    evidence.push(format!(
                        "{}, '{kind}', {at}, {}, {pdf}, {}",
                        q(&evidence_id),
                        q(&transaction_id),
                        q(&zeros)
                    ));
                    seq += 1;
                    journal.push(format!(
                        "{seq}, 'evidence', {}, {at}, {}, {}, {}",
                        q(&evidence_id),
                        q(&zeros),
                        q(&zeros),
                        q(&zeros)
                    ));
                }
            }
        }
    }
    let seeded = Seeded {
        cookies,
        letters: first_letters,
        big_cookie,
        evidences: evidence.values.len(),
        transactions: transactions.values.len(),
    };
    let mut tx = db.pool().begin().await.expect("begin");
    for rows in [
        accounts,
        sessions,
        letters,
        attachments,
        transactions,
        evidence,
        journal,
    ] {
        rows.insert(&mut tx).await;
    }
    tx.commit().await.expect("commit");
    seeded
}
