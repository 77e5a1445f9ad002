//! Contacts and consent through the running server, calling the server functions over HTTP as
//! the browser does, with time driven by the manual clock; each on SQLite and on PostgreSQL
//! (issue 5: CONS-01..CONS-05, and the consent part of ACC-01).

mod common;

use app::contacts::{ConsentRequestView, Contact, GrantedConsent};
use app::error::AppError;
use app::lifecycle::{CONSENT_REQUEST_DAYS, ConsentStatus};
use app::validation::Invalid;
use chrono::TimeDelta;
use common::flows::{User, answer_consent, ask_consent, sender, signed_in};
use common::records::{
    after, assert_valid_evidence, count, evidence, journal_actions, last_mail, link_token, mails,
};
use common::{Backend, TestApp, spawn_app};
use server::contacts::consent_allows;

on_both_databases!(
    cons_01_contacts_are_created_edited_listed_and_validated,
    cons_01_a_user_cannot_read_or_edit_another_users_contacts,
    cons_02_request_names_the_sender_and_grant_confirms_both_with_sealed_evidence,
    cons_02_refusal_is_confirmed_to_both_and_the_sender_may_ask_again,
    cons_03_revocation_by_link_or_from_the_account_stops_sending,
    cons_04_an_unanswered_request_expires_once_after_30_days,
    cons_05_professional_contacts_need_no_consent,
    acc_01_deactivation_withdraws_granted_consents_and_tells_the_senders,
    cons_02_auth_01_asking_consent_needs_two_factors_and_a_proven_identity,
);

/// Policy §5.1, §6, §13.7 (issue 10): an account without a second factor can only enrol one;
/// with TOTP but no proven identity it may keep contacts but not ask consent; once proven,
/// the request — its email and its evidence — names the sender by the verified name.
async fn cons_02_auth_01_asking_consent_needs_two_factors_and_a_proven_identity(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut carol = signed_in(&app, "carol@example.org", "Caro").await;
    assert_eq!(
        carol
            .call(
                &app,
                "contact_save",
                &[("email", "bob@example.org"), ("name", "Bob Durand")]
            )
            .await
            .err(),
        AppError::SecondFactorSetupRequired
    );
    carol.enrol_totp(&app).await;
    let bob = add_contact(&app, &carol, "bob@example.org", "Bob Durand").await;
    assert_eq!(
        carol
            .call(&app, "consent_request", &[("contact_id", &bob.id)])
            .await
            .err(),
        AppError::IdentityProofingRequired
    );
    let redirect: String = carol.call(&app, "proofing_start", &[]).await.ok();
    common::flows::simulator(&app, &carol, &redirect, "Caroline MERCIER", true).await;
    let token = request_consent(&app, &carol, &bob).await;
    let (_, text) = last_mail(&app, "bob@example.org").await;
    assert!(text.contains("Caroline MERCIER"), "{text}");
    let view: ConsentRequestView = carol
        .call(&app, "consent_get", &[("token", &token)])
        .await
        .ok();
    assert_eq!(view.sender_name, "Caroline MERCIER");
    app.stop().await;
}

async fn add_contact(app: &TestApp, user: &User, email: &str, name: &str) -> Contact {
    user.call(app, "contact_save", &[("email", email), ("name", name)])
        .await
        .ok()
}

async fn contacts(app: &TestApp, user: &User) -> Vec<Contact> {
    user.call(app, "contacts", &[]).await.ok()
}

async fn contact(app: &TestApp, user: &User, id: &str) -> Contact {
    contacts(app, user)
        .await
        .into_iter()
        .find(|c| c.id == id)
        .expect("the contact")
}

/// Asks consent and returns the token of the link mailed to the contact.
async fn request_consent(app: &TestApp, sender: &User, contact: &Contact) -> String {
    ask_consent(app, sender, &contact.id, &contact.email).await
}

/// Alice Martin, signed in, has asked Bob Durand (bob@example.org) for his consent: (Alice,
/// Bob's contact, the token of the link mailed to Bob).
async fn alice_asks_bob(app: &TestApp) -> (User, Contact, String) {
    let alice = sender(app, "alice@example.org", "Alice Martin").await;
    let bob = add_contact(app, &alice, "bob@example.org", "Bob Durand").await;
    let token = request_consent(app, &alice, &bob).await;
    (alice, bob, token)
}

/// How many consent revocations the journal holds.
async fn revocations(app: &TestApp) -> usize {
    journal_actions(app)
        .await
        .iter()
        .filter(|a| *a == "consent_revoked")
        .count()
}

async fn sender_id(app: &TestApp, email: &str) -> String {
    let (id,): (String,) = sqlx::query_as("SELECT id FROM account WHERE email_key = $1")
        .bind(email.to_lowercase())
        .fetch_one(app.state.db.pool())
        .await
        .expect("account");
    id
}

async fn allows(app: &TestApp, sender: &User, contact: &Contact) -> bool {
    consent_allows(
        app.state.db.pool(),
        &sender_id(app, &sender.email).await,
        &contact.id,
    )
    .await
    .expect("consent_allows")
}

async fn consent_row(
    app: &TestApp,
    token: &str,
) -> (String, String, Option<String>, Option<String>) {
    sqlx::query_as(
        "SELECT id, status, request_evidence_id, answer_evidence_id FROM consent WHERE token_hash = $1",
    )
    .bind(server::account::session::token_hash(token))
    .fetch_one(app.state.db.pool())
    .await
    .expect("consent row")
}

/// CONS-01: a sender creates, edits and lists contacts; bad input gets a clear error and
/// changes nothing.
async fn cons_01_contacts_are_created_edited_listed_and_validated(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = sender(&app, "alice@example.org", "Alice Martin").await;
    let anonymous = User::visitor("someone@example.invalid", "anonymous");
    assert_eq!(
        anonymous.call(&app, "contacts", &[]).await.err(),
        AppError::SignInRequired
    );

    let bob = add_contact(&app, &alice, " Bob@Example.ORG ", " Bob Durand ").await;
    assert_eq!(bob.email, "Bob@example.org");
    assert_eq!(bob.name, "Bob Durand");
    assert!(!bob.professional);
    assert_eq!(bob.consent, None, "never asked");
    assert!(bob.may_request_consent());
    assert!(!bob.may_receive_letters());

    for (form, invalid) in [
        (
            vec![("email", "not an address"), ("name", "X")],
            Invalid::Email,
        ),
        (
            vec![("email", "x@example.org"), ("name", "  ")],
            Invalid::Name,
        ),
        (
            vec![
                ("email", "acme@example.org"),
                ("name", "Carol"),
                ("professional", "on"),
                ("company_name", " "),
            ],
            Invalid::CompanyName,
        ),
        (
            vec![("email", "bob@EXAMPLE.org"), ("name", "Bob again")],
            Invalid::ContactExists,
        ),
    ] {
        let reply = alice.call(&app, "contact_save", &form).await;
        assert_eq!(reply.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.err(), AppError::Invalid(invalid), "{form:?}");
    }
    assert_eq!(
        contacts(&app, &alice).await,
        vec![bob.clone()],
        "nothing lost"
    );

    let carol: Contact = alice
        .call(
            &app,
            "contact_save",
            &[
                ("email", "carol@acme.example"),
                ("name", "Carol Petit"),
                ("professional", "on"),
                ("company_name", "ACME SAS"),
            ],
        )
        .await
        .ok();
    assert!(carol.professional);
    assert_eq!(carol.company_name.as_deref(), Some("ACME SAS"));

    // Edit: a new name and address; the company is dropped when no longer professional.
    let edited: Contact = alice
        .call(
            &app,
            "contact_save",
            &[
                ("id", &carol.id),
                ("email", "carol.petit@example.org"),
                ("name", "Carol Petit-Durand"),
                ("company_name", "ACME SAS"),
            ],
        )
        .await
        .ok();
    assert_eq!(edited.id, carol.id);
    assert_eq!(edited.email, "carol.petit@example.org");
    assert!(!edited.professional);
    assert_eq!(edited.company_name, None);
    // Editing to another contact's address is refused.
    assert_eq!(
        alice
            .call(
                &app,
                "contact_save",
                &[
                    ("id", &carol.id),
                    ("email", "bob@example.org"),
                    ("name", "C")
                ],
            )
            .await
            .err(),
        AppError::Invalid(Invalid::ContactExists)
    );
    let list = contacts(&app, &alice).await;
    assert_eq!(
        list.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["Bob Durand", "Carol Petit-Durand"],
        "listed by name"
    );
    app.stop().await;
}

/// CONS-01: contacts are private to their owner: another user cannot list, edit or ask
/// consent from them (NotFound).
async fn cons_01_a_user_cannot_read_or_edit_another_users_contacts(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = sender(&app, "alice@example.org", "Alice Martin").await;
    let mallory = sender(&app, "mallory@example.org", "Mallory").await;
    let bob = add_contact(&app, &alice, "bob@example.org", "Bob Durand").await;

    assert!(contacts(&app, &mallory).await.is_empty());
    assert_eq!(
        mallory
            .call(
                &app,
                "contact_save",
                &[
                    ("id", &bob.id),
                    ("email", "evil@example.org"),
                    ("name", "X")
                ],
            )
            .await
            .err(),
        AppError::NotFound
    );
    assert_eq!(
        mallory
            .call(&app, "consent_request", &[("contact_id", &bob.id)])
            .await
            .err(),
        AppError::NotFound
    );
    assert_eq!(contact(&app, &alice, &bob.id).await, bob, "unchanged");
    // Mallory may have her own contact with the same address.
    add_contact(&app, &mallory, "bob@example.org", "Bob").await;
    app.stop().await;
}

/// CONS-02, CONS-04: the request mail names the sender (account name and address) and links
/// to the consent page; granting confirms the address, seals a ConsentGranted evidence
/// (validated by pyHanko) and mails both parties; a double click changes nothing twice.
async fn cons_02_request_names_the_sender_and_grant_confirms_both_with_sealed_evidence(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let (alice, bob, token) = alice_asks_bob(&app).await;
    assert_eq!(token.len(), 43, "256 bits, base64url");
    let (subject, text) = last_mail(&app, "bob@example.org").await;
    assert!(subject.contains("Alice Martin"), "{subject}");
    assert!(text.contains("Alice Martin (alice@example.org)"), "{text}");
    assert!(
        text.contains(&format!(
            "{}/consent/{token}",
            app.state.config.server.public_url
        )),
        "{text}"
    );
    // A second request while one is pending sends nothing.
    alice
        .call(&app, "consent_request", &[("contact_id", &bob.id)])
        .await
        .ok::<Contact>();
    assert_eq!(mails(&app, "bob@example.org").await.len(), 1);
    let (_, status, request_evidence, _) = consent_row(&app, &token).await;
    assert_eq!(status, "requested");
    let (kind, _) = evidence(&app, &request_evidence.expect("request evidence")).await;
    assert_eq!(kind, "ConsentRequest");
    assert!(!allows(&app, &alice, &bob).await);

    // The recipient's page: no account needed.
    let anonymous = User::visitor("someone@example.invalid", "anonymous");
    let shown: ConsentRequestView = anonymous
        .call(&app, "consent_get", &[("token", &token)])
        .await
        .ok();
    assert_eq!(shown.sender_name, "Alice Martin");
    assert_eq!(shown.sender_email, "alice@example.org");
    assert_eq!(shown.recipient_email, "bob@example.org");
    assert_eq!(shown.status, ConsentStatus::Requested);
    assert_eq!(
        anonymous
            .call(&app, "consent_get", &[("token", "forged")])
            .await
            .err(),
        AppError::NotFound
    );

    let granted: ConsentRequestView = anonymous
        .call(&app, "consent_grant", &[("token", &token)])
        .await
        .ok();
    assert_eq!(granted.status, ConsentStatus::Granted);
    assert!(granted.answered_at.is_some());
    // Double click, or a refusal after the grant: nothing changes, nothing is sent twice.
    for endpoint in ["consent_grant", "consent_refuse"] {
        let again: ConsentRequestView = anonymous
            .call(&app, endpoint, &[("token", &token)])
            .await
            .ok();
        assert_eq!(again.status, ConsentStatus::Granted);
    }
    let bob_mails = mails(&app, "bob@example.org").await;
    assert_eq!(bob_mails.len(), 2, "{bob_mails:?}");
    assert!(bob_mails[1].0.contains("accordé"), "{:?}", bob_mails[1]);
    assert!(
        bob_mails[1].1.contains(&format!("/consent/{token}")),
        "revocation link"
    );
    let alice_mails = mails(&app, "alice@example.org").await;
    let (subject, text) = alice_mails.last().expect("mail to the sender");
    assert!(subject.contains("Bob Durand"), "{subject}");
    assert!(text.contains("bob@example.org"), "{text}");

    let (_, status, _, answer_evidence) = consent_row(&app, &token).await;
    assert_eq!(status, "granted");
    let (kind, pdf) = evidence(&app, &answer_evidence.expect("answer evidence")).await;
    assert_eq!(kind, "ConsentGranted");
    let granted_count = count(
        &app,
        "SELECT COUNT(*) FROM evidence WHERE kind = $1",
        &["ConsentGranted"],
    )
    .await;
    assert_eq!(granted_count, 1, "one evidence for two clicks");
    assert_valid_evidence(&app, &pdf);

    let list = contact(&app, &alice, &bob.id).await;
    assert_eq!(list.consent, Some(ConsentStatus::Granted));
    assert!(list.may_receive_letters());
    assert!(allows(&app, &alice, &bob).await);

    // A consent covers the address it was granted from: a new address needs a new one.
    let moved: Contact = alice
        .call(
            &app,
            "contact_save",
            &[
                ("id", &bob.id),
                ("email", "bob@elsewhere.example"),
                ("name", "Bob Durand"),
            ],
        )
        .await
        .ok();
    assert_eq!(moved.consent, None);
    assert!(!allows(&app, &alice, &bob).await);
    alice
        .call(
            &app,
            "contact_save",
            &[
                ("id", &bob.id),
                ("email", "BOB@example.org"),
                ("name", "Bob Durand"),
            ],
        )
        .await
        .ok::<Contact>();
    assert!(
        allows(&app, &alice, &bob).await,
        "back to the consented address"
    );
    app.stop().await;
}

/// CONS-02, CONS-04: refusing seals a ConsentRefused evidence and mails both; the sender may
/// ask again (a new consent row, which is the one that counts).
async fn cons_02_refusal_is_confirmed_to_both_and_the_sender_may_ask_again(backend: Backend) {
    let app = spawn_app(backend).await;
    let (alice, bob, token) = alice_asks_bob(&app).await;
    let refused: ConsentRequestView = answer_consent(&app, &token, "consent_refuse").await;
    assert_eq!(refused.status, ConsentStatus::Refused);
    let (_, status, _, answer_evidence) = consent_row(&app, &token).await;
    assert_eq!(status, "refused");
    let (kind, _) = evidence(&app, &answer_evidence.expect("evidence")).await;
    assert_eq!(kind, "ConsentRefused");
    let (subject, _) = last_mail(&app, "bob@example.org").await;
    assert!(subject.contains("refusé"), "{subject}");
    let (subject, _) = last_mail(&app, "alice@example.org").await;
    assert!(subject.contains("refusé"), "{subject}");
    let listed = contact(&app, &alice, &bob.id).await;
    assert_eq!(listed.consent, Some(ConsentStatus::Refused));
    assert!(listed.may_request_consent());
    assert!(!allows(&app, &alice, &bob).await);
    // Granting through the old link after a refusal does nothing.
    let late: ConsentRequestView = answer_consent(&app, &token, "consent_grant").await;
    assert_eq!(late.status, ConsentStatus::Refused);

    // Asking again, with a double click: the two requests race, one consent row is added.
    let before = mails(&app, "bob@example.org").await.len();
    let form = [("contact_id", bob.id.as_str())];
    let (first, second) = tokio::join!(
        alice.call(&app, "consent_request", &form),
        alice.call(&app, "consent_request", &form),
    );
    for reply in [first, second] {
        assert_eq!(
            reply.ok::<Contact>().consent,
            Some(ConsentStatus::Requested)
        );
    }
    let rows = count(
        &app,
        "SELECT COUNT(*) FROM consent WHERE status = $1",
        &["requested"],
    )
    .await;
    assert_eq!(rows, 1, "one new request");
    let bob_mails = mails(&app, "bob@example.org").await;
    assert_eq!(bob_mails.len(), before + 1, "one request mail");
    let again = after(&bob_mails.last().expect("mail").1, "/consent/");
    assert_ne!(again, token);
    answer_consent(&app, &again, "consent_grant").await;
    assert!(allows(&app, &alice, &bob).await, "the latest row counts");
    app.stop().await;
}

/// CONS-03: the same link revokes a granted consent at any time, and so does the recipient's
/// account; both parties are told, the revocation is journaled, sending stops.
async fn cons_03_revocation_by_link_or_from_the_account_stops_sending(backend: Backend) {
    let app = spawn_app(backend).await;
    let (alice, bob, token) = alice_asks_bob(&app).await;
    let dave = sender(&app, "dave@example.org", "Dave Sender").await;
    answer_consent(&app, &token, "consent_grant").await;
    assert!(allows(&app, &alice, &bob).await);

    app.state.clock.advance(TimeDelta::days(90));
    let revoked: ConsentRequestView = answer_consent(&app, &token, "consent_revoke").await;
    assert_eq!(revoked.status, ConsentStatus::Revoked);
    assert!(revoked.revoked_at.is_some());
    assert!(!allows(&app, &alice, &bob).await);
    alice.sign_in_again(&app).await;
    dave.sign_in_again(&app).await;
    assert_eq!(
        contact(&app, &alice, &bob.id).await.consent,
        Some(ConsentStatus::Revoked)
    );
    let (subject, _) = last_mail(&app, "alice@example.org").await;
    assert!(subject.contains("retiré"), "{subject}");
    let (subject, _) = last_mail(&app, "bob@example.org").await;
    assert!(subject.contains("retiré"), "{subject}");
    assert_eq!(revocations(&app).await, 1);
    // Revoking twice changes nothing.
    answer_consent(&app, &token, "consent_revoke").await;
    assert_eq!(revocations(&app).await, 1);

    // Bob signs up; Dave asks, Bob grants, then withdraws from his account.
    let bob_user = sender(&app, "bob@example.org", "Bob Durand").await;
    let bob_at_dave = add_contact(&app, &dave, "bob@example.org", "Bob D.").await;
    let token = request_consent(&app, &dave, &bob_at_dave).await;
    answer_consent(&app, &token, "consent_grant").await;
    let granted: Vec<GrantedConsent> = bob_user.call(&app, "consents_granted", &[]).await.ok();
    assert_eq!(granted.len(), 1, "{granted:?}");
    assert_eq!(granted[0].sender_name, "Dave Sender");
    assert_eq!(granted[0].sender_email, "dave@example.org");
    // Nobody else may withdraw it.
    assert_eq!(
        alice
            .call(&app, "consent_withdraw", &[("consent_id", &granted[0].id)])
            .await
            .err(),
        AppError::NotFound
    );
    assert!(allows(&app, &dave, &bob_at_dave).await);
    let left: Vec<GrantedConsent> = bob_user
        .call(&app, "consent_withdraw", &[("consent_id", &granted[0].id)])
        .await
        .ok();
    assert!(left.is_empty());
    assert!(!allows(&app, &dave, &bob_at_dave).await);
    let (subject, _) = last_mail(&app, "dave@example.org").await;
    assert!(subject.contains("retiré"), "{subject}");
    app.stop().await;
}

/// CONS-04: a request unanswered for 30 days expires — once — by the job: status expired, a
/// ConsentExpired evidence, an email to the sender; the link can no longer grant.
async fn cons_04_an_unanswered_request_expires_once_after_30_days(backend: Backend) {
    let app = spawn_app(backend).await;
    let (alice, bob, token) = alice_asks_bob(&app).await;
    let (consent_id, _, _, _) = consent_row(&app, &token).await;
    let (due_at, unique_key): (i64, String) =
        sqlx::query_as("SELECT due_at, unique_key FROM job WHERE kind = 'consent.expiry'")
            .fetch_one(app.state.db.pool())
            .await
            .expect("expiry job");
    assert_eq!(unique_key, format!("consent-expiry:{consent_id}"));
    let days = i64::try_from(CONSENT_REQUEST_DAYS).expect("days");
    let (requested_at,): (i64,) = sqlx::query_as("SELECT requested_at FROM consent WHERE id = $1")
        .bind(&consent_id)
        .fetch_one(app.state.db.pool())
        .await
        .expect("consent");
    assert_eq!(
        due_at,
        requested_at + TimeDelta::days(days).num_milliseconds()
    );

    // One minute before: still open, and the job is not due.
    let sent_before = mails(&app, "alice@example.org").await.len();
    app.state
        .clock
        .advance(TimeDelta::days(days) - TimeDelta::minutes(1));
    app.state.jobs.run_due().await.expect("jobs");
    assert_eq!(consent_row(&app, &token).await.1, "requested");

    app.state.clock.advance(TimeDelta::minutes(1));
    alice.sign_in_again(&app).await;
    // At the deadline the link reads as expired and cannot grant, even before the job runs.
    let shown: ConsentRequestView = answer_consent(&app, &token, "consent_grant").await;
    assert_eq!(shown.status, ConsentStatus::Expired);
    app.state.jobs.run_due().await.expect("jobs");
    app.state.jobs.run_due().await.expect("jobs again");
    let (_, status, _, answer_evidence) = consent_row(&app, &token).await;
    assert_eq!(status, "expired");
    let (kind, _) = evidence(&app, &answer_evidence.expect("expiry evidence")).await;
    assert_eq!(kind, "ConsentExpired");
    let expired = count(
        &app,
        "SELECT COUNT(*) FROM evidence WHERE kind = $1",
        &["ConsentExpired"],
    )
    .await;
    assert_eq!(expired, 1, "exactly once");
    let alice_mails = mails(&app, "alice@example.org").await;
    assert_eq!(alice_mails.len(), sent_before + 1, "{alice_mails:?}");
    assert!(alice_mails.last().expect("mail").0.contains("expirée"));
    let listed = contact(&app, &alice, &bob.id).await;
    assert_eq!(listed.consent, Some(ConsentStatus::Expired));
    assert!(listed.may_request_consent());
    assert!(!allows(&app, &alice, &bob).await);

    // An answered request's job does nothing when it comes due.
    let again = request_consent(&app, &alice, &bob).await;
    answer_consent(&app, &again, "consent_refuse").await;
    app.state.clock.advance(TimeDelta::days(days + 1));
    app.state.jobs.run_due().await.expect("jobs");
    assert_eq!(consent_row(&app, &again).await.1, "refused");
    let failed = count(
        &app,
        "SELECT COUNT(*) FROM job WHERE status <> $1",
        &["done"],
    )
    .await;
    assert_eq!(failed, 0, "every job completed");
    app.stop().await;
}

/// CONS-05: a professional contact needs no consent: none is asked, letters are allowed.
async fn cons_05_professional_contacts_need_no_consent(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = sender(&app, "alice@example.org", "Alice Martin").await;
    let acme: Contact = alice
        .call(
            &app,
            "contact_save",
            &[
                ("email", "legal@acme.example"),
                ("name", "Service juridique"),
                ("professional", "on"),
                ("company_name", "ACME SAS"),
            ],
        )
        .await
        .ok();
    assert!(acme.may_receive_letters());
    assert!(!acme.may_request_consent());
    assert!(allows(&app, &alice, &acme).await);
    let asked: Contact = alice
        .call(&app, "consent_request", &[("contact_id", &acme.id)])
        .await
        .ok();
    assert_eq!(asked.consent, None);
    assert!(
        mails(&app, "legal@acme.example").await.is_empty(),
        "no request mailed"
    );
    app.stop().await;
}

/// ACC-01: deactivating an account withdraws every consent granted from its address (journaled)
/// and tells each sender; reactivation does not restore them (ACC-02).
async fn acc_01_deactivation_withdraws_granted_consents_and_tells_the_senders(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = sender(&app, "alice@example.org", "Alice Martin").await;
    let dave = sender(&app, "dave@example.org", "Dave Sender").await;
    let bob = sender(&app, "bob@example.org", "Bob Durand").await;
    let mut consents = Vec::new();
    for sender in [&alice, &dave] {
        let contact = add_contact(&app, sender, "bob@example.org", "Bob Durand").await;
        let token = request_consent(&app, sender, &contact).await;
        answer_consent(&app, &token, "consent_grant").await;
        assert!(allows(&app, sender, &contact).await);
        consents.push((sender, contact));
    }
    let granted: Vec<GrantedConsent> = bob.call(&app, "consents_granted", &[]).await.ok();
    assert_eq!(granted.len(), 2);

    bob.call(&app, "deactivate_account", &[]).await.ok::<()>();
    for (sender, contact) in &consents {
        assert!(!allows(&app, sender, contact).await);
        assert_eq!(
            contact_status(&app, sender, &contact.id).await,
            Some(ConsentStatus::Revoked)
        );
        let (subject, text) = last_mail(&app, &sender.email).await;
        assert!(subject.contains("retiré"), "{subject}");
        assert!(text.contains("bob@example.org"), "{text}");
    }
    assert_eq!(revocations(&app).await, 2);

    // Reactivation (ACC-02) restores none of them.
    assert_eq!(bob.sign_in(&app).await.err(), AppError::AccountDeactivated);
    let token = link_token(&app, "bob@example.org").await;
    bob.call(&app, "reactivate_account", &[("token", &token)])
        .await
        .ok::<()>();
    bob.sign_in_again(&app).await;
    let granted: Vec<GrantedConsent> = bob.call(&app, "consents_granted", &[]).await.ok();
    assert!(granted.is_empty());
    for (sender, contact) in &consents {
        assert!(!allows(&app, sender, contact).await);
    }
    app.stop().await;
}

async fn contact_status(app: &TestApp, user: &User, id: &str) -> Option<ConsentStatus> {
    contact(app, user, id).await.consent
}
