//! Pages that scale with the data (issue 11), through the running server on SQLite and
//! PostgreSQL: the sent list and the inbox come one page at a time, with links between pages
//! that work as plain links; a page view writes the session at most once.

mod common;

use app::letters::{InboxItem, LIST_PAGE_SIZE, ListPage, SentSummary};
use chrono::TimeDelta;
use common::flows::{self, User};
use common::scenario::Scenario;
use common::{Backend, TestApp, spawn_app};

on_both_databases!(
    sent_list_and_inbox_come_in_pages_linked_by_plain_links,
    a_page_listing_several_letters_writes_the_session_at_most_once,
);

/// A page of the sent list, as the page's server function gives it.
async fn sent_page(app: &TestApp, sender: &User, form: &[(&str, &str)]) -> ListPage<SentSummary> {
    sender.call(app, "sent_letters", form).await.ok()
}

fn subjects(page: &ListPage<SentSummary>) -> Vec<String> {
    page.items.iter().map(|l| l.subject.clone()).collect()
}

/// The `href` of the link of class `class` in `html`, as a browser without WASM follows it.
fn link(html: &str, class: &str) -> Option<String> {
    let at = html.find(&format!("class=\"button {class}\""))?;
    let tag = &html[html[..at].rfind('<')?..];
    let href = &tag[tag.find("href=\"")? + 6..];
    Some(href[..href.find('"')?].replace("&amp;", "&"))
}

/// LIST_PAGE_SIZE + 1 letters: the sent list shows the newest LIST_PAGE_SIZE, then the last
/// one on the next page, and back; filters and search apply before paging (a search is
/// case-insensitive beyond ASCII); the server-rendered page links to the next and previous
/// pages with plain links; the recipient's inbox pages the same way.
async fn sent_list_and_inbox_come_in_pages_linked_by_plain_links(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = flows::sender(&app, "alice@example.org", "Alice Martin").await;
    let bob = flows::account(&app, "bob@pro.example", "Bob Durand").await;
    let contact = flows::contact(
        &app,
        &alice,
        "bob@pro.example",
        "Bob Durand",
        Some("Durand SARL"),
        None,
    )
    .await;
    let count = LIST_PAGE_SIZE + 1;
    // Sent within the OTP session opened at sign-in (AUTH-02).
    for n in 0..count {
        let subject = if n == 0 {
            "État des lieux".to_owned()
        } else {
            format!("Lettre {n}")
        };
        Scenario::new(&app)
            .by(&alice)
            .contact(&contact)
            .subject(&subject)
            .send()
            .await;
        app.state.clock.advance(TimeDelta::seconds(10));
    }

    let first = sent_page(&app, &alice, &[]).await;
    let newest: Vec<String> = (1..count).rev().map(|n| format!("Lettre {n}")).collect();
    assert_eq!(subjects(&first), newest);
    assert_eq!(first.newer, None);
    let older = first.older.clone().expect("a next page");
    let second = sent_page(&app, &alice, &[("older", &older)]).await;
    assert_eq!(subjects(&second), ["État des lieux"]);
    assert_eq!(second.older, None);
    let newer = second.newer.clone().expect("a previous page");
    let back = sent_page(&app, &alice, &[("newer", &newer)]).await;
    assert_eq!(back, first);
    // Each letter comes with its recipient's state.
    assert_eq!(first.items[0].recipients.len(), 1);
    assert_eq!(first.items[0].recipients[0].recipient_name, "Bob Durand");

    // Search and filter before paging.
    let found = sent_page(&app, &alice, &[("query", "lettre 2")]).await;
    assert_eq!(
        subjects(&found),
        [
            "Lettre 25",
            "Lettre 24",
            "Lettre 23",
            "Lettre 22",
            "Lettre 21",
            "Lettre 20",
            "Lettre 2"
        ]
    );
    assert_eq!((found.newer.as_ref(), found.older.as_ref()), (None, None));
    let accented = sent_page(&app, &alice, &[("query", "ÉTAT")]).await;
    assert_eq!(subjects(&accented), ["État des lieux"]);
    let wildcard = sent_page(&app, &alice, &[("query", "%")]).await;
    assert!(
        wildcard.items.is_empty(),
        "LIKE wildcards are searched as text"
    );
    let awaiting = sent_page(&app, &alice, &[("status", "awaiting")]).await;
    assert_eq!(awaiting.items.len(), LIST_PAGE_SIZE);
    let refused = sent_page(&app, &alice, &[("status", "refused")]).await;
    assert!(refused.items.is_empty());

    // The server-rendered pages, followed by their plain links (no WASM).
    let html = alice.get(&app, "/sent").await.text();
    assert_eq!(
        html.matches("class=\"sent-letter\"").count(),
        LIST_PAGE_SIZE
    );
    assert!(link(&html, "page-newer").is_none());
    let next = link(&html, "page-older").expect("a link to the next page");
    assert_eq!(next, format!("/sent?older={older}"));
    let html = alice.get(&app, &next).await.text();
    assert!(html.contains("État des lieux"), "{html}");
    assert!(!html.contains("Lettre 1<"), "{html}");
    let previous = link(&html, "page-newer").expect("a link to the previous page");
    let html = alice.get(&app, &previous).await.text();
    assert!(html.contains("Lettre 25"));
    // The filters go with the links.
    let html = alice.get(&app, "/sent?status=awaiting&q=e").await.text();
    let next = link(&html, "page-older").expect("a link to the next page");
    assert!(
        next.starts_with("/sent?status=awaiting&q=e&older="),
        "{next}"
    );

    // The recipient's inbox, newest first, in pages too.
    let inbox: ListPage<InboxItem> = bob.call(&app, "inbox", &[]).await.ok();
    assert_eq!(inbox.items.len(), LIST_PAGE_SIZE);
    assert_eq!(inbox.newer, None);
    let rest: ListPage<InboxItem> = bob
        .call(
            &app,
            "inbox",
            &[("older", inbox.older.as_deref().expect("a next page"))],
        )
        .await
        .ok();
    assert_eq!(rest.items.len(), 1);
    assert_eq!(rest.older, None);
    let mut all: Vec<String> = inbox
        .items
        .iter()
        .chain(&rest.items)
        .map(|i| i.notified_at.clone())
        .collect();
    let listed = all.clone();
    all.sort();
    all.reverse();
    assert_eq!(listed, all, "newest first");
    let html = bob.get(&app, "/inbox").await.text();
    assert_eq!(html.matches("class=\"inbox-item\"").count(), LIST_PAGE_SIZE);
    let next = link(&html, "page-older").expect("a link to the next page");
    let html = bob.get(&app, &next).await.text();
    assert_eq!(html.matches("class=\"inbox-item\"").count(), 1);
    app.stop().await;
}

/// Counts the writes to `login_session` from now on (a trigger appends one row per row
/// updated).
async fn count_session_writes(app: &TestApp) {
    let sql = match app.state.db.backend() {
        server::db::Backend::Sqlite => {
            "CREATE TABLE session_write (at BIGINT); \
             CREATE TRIGGER session_written AFTER UPDATE ON login_session \
             BEGIN INSERT INTO session_write (at) VALUES (NEW.last_seen_at); END;"
        }
        server::db::Backend::Postgres => {
            "CREATE TABLE session_write (at BIGINT); \
             CREATE FUNCTION session_written() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN INSERT INTO session_write (at) VALUES (NEW.last_seen_at); RETURN NEW; END $$; \
             CREATE TRIGGER session_written AFTER UPDATE ON login_session \
             FOR EACH ROW EXECUTE FUNCTION session_written();"
        }
    };
    sqlx::raw_sql(sql)
        .execute(app.state.db.pool())
        .await
        .expect("trigger");
}

async fn session_writes(app: &TestApp) -> i64 {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM session_write")
        .fetch_one(app.state.db.pool())
        .await
        .expect("count");
    count
}

/// AUTH-03 with issue 11: a page is several server functions (the header's session state,
/// the drafts, the list), each checking the session; together they record the activity once,
/// and not again within ACTIVITY_PRECISION_MS — never once per letter shown.
async fn a_page_listing_several_letters_writes_the_session_at_most_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = flows::sender(&app, "alice@example.org", "Alice Martin").await;
    let contact = flows::contact(
        &app,
        &alice,
        "bob@pro.example",
        "Bob Durand",
        Some("Durand SARL"),
        None,
    )
    .await;
    let mut letters = Vec::new();
    for n in 0..3 {
        let sent = Scenario::new(&app)
            .by(&alice)
            .contact(&contact)
            .subject(&format!("Lettre {n}"))
            .send()
            .await;
        letters.push(sent.id);
    }
    count_session_writes(&app).await;
    let precision = TimeDelta::milliseconds(domain::policy::ACTIVITY_PRECISION_MS);

    app.state.clock.advance(precision);
    let html = alice.get(&app, "/sent").await.text();
    assert_eq!(html.matches("class=\"sent-letter\"").count(), 3);
    assert_eq!(session_writes(&app).await, 1, "one write for the page");
    let html = alice
        .get(&app, &format!("/sent/{}", letters[0]))
        .await
        .text();
    assert!(html.contains("transaction-card"));
    alice.get(&app, "/sent").await.text();
    assert_eq!(
        session_writes(&app).await,
        1,
        "no write within the precision"
    );

    // Activity is still recorded: later, one write again, and the session lives on 15
    // minutes after it (AUTH-03).
    app.state.clock.advance(precision);
    alice.get(&app, "/inbox").await.text();
    assert_eq!(session_writes(&app).await, 2);
    app.state
        .clock
        .advance(TimeDelta::minutes(14) + TimeDelta::seconds(59));
    assert!(alice.auth_state(&app).await.signed_in());
    app.stop().await;
}
