//! A forgotten password (issue 11) through the running server, as the browser does it: the
//! neutral answer, the emailed link (15 minutes on the service's clock, once), the new
//! password, every session ended, the journal entry and the notification email; on SQLite
//! and on PostgreSQL.

mod common;

use app::error::AppError;
use app::types::{AuthState, QualifiedAction};
use app::validation::Invalid;
use chrono::TimeDelta;
use common::flows::{PASSWORD, User, account, confirmed, now_s, sender};
use common::records::{
    after, assert_journal_intact, count, events, journal_actions_of, last_event, last_mail, mails,
    open_otp_sessions, open_sessions, settle,
};
use common::{Backend, TestApp, spawn_app};

on_both_databases!(
    reset_link_sets_a_new_password_and_ends_every_session,
    reset_link_expires_at_15_minutes_and_works_once,
    unknown_addresses_get_the_same_answer_and_no_mail,
    reset_requests_are_rate_limited,
    bad_links_and_passwords_are_refused_with_4xx,
);

const NEW_PASSWORD: &str = "a brand new password, long enough";

/// Asks for a reset link for `email` from a browser of its own; returns the reply.
async fn forgot(app: &TestApp, email: &str) -> common::flows::Reply {
    User::visitor(email, "someone")
        .call(app, "password_forgot", &[("email", email)])
        .await
}

/// The token of the newest reset link mailed to `email`.
async fn reset_token(app: &TestApp, email: &str) -> String {
    let (subject, text) = last_mail(app, email).await;
    assert!(subject.contains("nouveau mot de passe"), "{subject}");
    assert!(text.contains("15 minutes"), "{text}");
    after(&text, "/password/reset/")
}

/// `user`'s browser sets `password` with the reset link `token`.
async fn reset(app: &TestApp, user: &User, token: &str, password: &str) -> common::flows::Reply {
    user.call(
        app,
        "password_reset",
        &[("token", token), ("password", password)],
    )
    .await
}

/// The whole journey: a sender signed in on two devices (one within a live OTP session)
/// forgets the password; the link sets a new one; both sessions end, their OTP session too;
/// the old password no longer works, the new one signs in (to the second factor, still
/// required); the journal records the event and the holder gets an email.
async fn reset_link_sets_a_new_password_and_ends_every_session(backend: Backend) {
    let app = spawn_app(backend).await;
    let email = "forgetful@example.org";
    let user = sender(&app, email, "Alice Martin").await;
    user.call(&app, "qualified_action", &[])
        .await
        .ok::<QualifiedAction>();
    let other_device = User::visitor(email, "Alice Martin");
    other_device.sign_in(&app).await.ok::<AuthState>();

    forgot(&app, email).await.ok::<()>();
    let token = reset_token(&app, email).await;
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM email_token WHERE token_hash = $1",
            &[&token]
        )
        .await,
        0,
        "only the token's hash is stored"
    );
    // Opening the link checks it, and spends nothing.
    user.call(&app, "password_reset_check", &[("token", &token)])
        .await
        .ok::<()>();
    user.call(&app, "password_reset_check", &[("token", &token)])
        .await
        .ok::<()>();

    let reply = reset(&app, &user, &token, NEW_PASSWORD).await;
    reply.ok::<()>();
    assert_eq!(
        reply.session_token().as_deref(),
        Some(""),
        "this browser's cookie removed"
    );
    assert_eq!(user.auth_state(&app).await, AuthState::default());
    assert_eq!(
        other_device.auth_state(&app).await.user,
        None,
        "every session ended"
    );
    assert_eq!(open_sessions(&app, email).await, 0);
    assert_eq!(
        open_otp_sessions(&app, email).await,
        0,
        "the OTP sessions ended too"
    );
    assert_eq!(
        user.call(&app, "qualified_action", &[]).await.err(),
        AppError::SignInRequired
    );

    assert_eq!(user.sign_in(&app).await.err(), AppError::BadCredentials);
    let pending: AuthState = user.sign_in_with(&app, NEW_PASSWORD).await.ok();
    assert!(
        pending.awaiting_second_factor(),
        "the second factor is still asked"
    );
    app.state.clock.advance(TimeDelta::seconds(30));
    user.second_factor(&app, &user.code_at(now_s(&app)))
        .await
        .ok::<AuthState>();
    user.call(&app, "qualified_action", &[])
        .await
        .ok::<QualifiedAction>();

    let (subject, text) = last_mail(&app, email).await;
    assert!(subject.contains("mot de passe changé"), "{subject}");
    assert!(text.contains("/password/forgot"), "{text}");

    let journal = journal_actions_of(&app, "auth").await;
    for action in ["password_reset_requested", "password_reset"] {
        assert!(
            journal.iter().any(|a| a == action),
            "{action} in {journal:?}"
        );
    }
    let event = last_event(&app, "password_reset").await;
    assert_eq!(event["details"]["sessions_ended"], 2, "{event}");
    assert_eq!(event["details"]["by"], "emailed_link");
    assert_eq!(event["details"]["ip"], "127.0.0.1");
    assert!(event["actor"].as_str().is_some_and(|a| !a.is_empty()));
    assert_journal_intact(&app).await;
    app.stop().await;
}

/// The link works until 14:59 after it was sent and not at 15:00, on the service's clock;
/// once used it is dead, and so are the account's other reset links.
async fn reset_link_expires_at_15_minutes_and_works_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let email = "late@example.org";
    let user = confirmed(&app, email, "Alice Martin").await;

    forgot(&app, email).await.ok::<()>();
    let expired = reset_token(&app, email).await;
    app.state.clock.advance(TimeDelta::minutes(15));
    assert_eq!(
        user.call(&app, "password_reset_check", &[("token", &expired)])
            .await
            .err(),
        AppError::LinkInvalid,
        "expired at 15:00"
    );
    let reply = reset(&app, &user, &expired, NEW_PASSWORD).await;
    assert_eq!(reply.status, 410);
    assert_eq!(reply.err(), AppError::LinkInvalid);
    user.sign_in(&app).await.ok::<AuthState>();
    user.sign_out(&app).await;

    forgot(&app, email).await.ok::<()>();
    let first = reset_token(&app, email).await;
    forgot(&app, email).await.ok::<()>();
    let second = reset_token(&app, email).await;
    assert_ne!(first, second);
    app.state
        .clock
        .advance(TimeDelta::minutes(14) + TimeDelta::seconds(59));
    reset(&app, &user, &second, NEW_PASSWORD).await.ok::<()>();
    let again = reset(&app, &user, &second, "yet another password, long");
    assert_eq!(again.await.err(), AppError::LinkInvalid, "single use");
    assert_eq!(
        reset(&app, &user, &first, "yet another password, long")
            .await
            .err(),
        AppError::LinkInvalid,
        "the other links are spent with it"
    );
    user.sign_in_with(&app, NEW_PASSWORD)
        .await
        .ok::<AuthState>();
    assert_eq!(events(&app, "password_reset").await.len(), 1);
    assert_eq!(events(&app, "password_reset_refused").await.len(), 3);
    app.stop().await;
}

/// No enumeration: an unknown address gets the very same answer, and no email goes anywhere;
/// the journal records the request without an account.
async fn unknown_addresses_get_the_same_answer_and_no_mail(backend: Backend) {
    let app = spawn_app(backend).await;
    let known = "known@example.org";
    account(&app, known, "Alice Martin").await;
    let unknown = "nobody@example.org";

    let for_known = forgot(&app, known).await;
    let for_unknown = forgot(&app, unknown).await;
    assert_eq!(for_known.status, 200);
    assert_eq!(for_unknown.status, for_known.status);
    assert_eq!(for_unknown.body, for_known.body, "the same answer");
    assert!(mails(&app, unknown).await.is_empty());
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM dev_mailbox WHERE subject LIKE '%nouveau mot de passe%'",
            &[]
        )
        .await,
        1,
        "one reset email, to the known address"
    );
    let requests = events(&app, "password_reset_requested").await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1]["details"]["email"], unknown);
    assert!(requests[1]["details"]["user_id"].is_null());
    assert!(requests[1]["actor"].is_null());
    // Case and spaces do not matter, as at sign-in.
    forgot(&app, " KNOWN@example.org").await.ok::<()>();
    settle(&app).await;
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM dev_mailbox WHERE subject LIKE '%nouveau mot de passe%'",
            &[]
        )
        .await,
        2
    );
    app.stop().await;
}

/// Like sign-in: 5 requests per address typed within 15 minutes, then 429 with the minutes to
/// wait, for known and unknown addresses alike; the window slides.
async fn reset_requests_are_rate_limited(backend: Backend) {
    let app = spawn_app(backend).await;
    let known = "often@example.org";
    confirmed(&app, known, "Alice Martin").await;
    for email in [known, "ghost@example.org"] {
        for _ in 0..5 {
            forgot(&app, email).await.ok::<()>();
        }
        let refused = forgot(&app, email).await;
        assert_eq!(refused.status, 429);
        assert_eq!(refused.err(), AppError::TooManyAttempts { minutes: 15 });
    }
    settle(&app).await;
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM dev_mailbox WHERE mail_to = $1 AND subject LIKE '%nouveau%'",
            &[known]
        )
        .await,
        5
    );
    app.state.clock.advance(TimeDelta::minutes(15));
    forgot(&app, known).await.ok::<()>();
    app.stop().await;
}

/// Bad input is the user's: a malformed address, a forged or empty token, a password that
/// fails the sign-up rules (the link is not spent by it) — each a clear 4xx.
async fn bad_links_and_passwords_are_refused_with_4xx(backend: Backend) {
    let app = spawn_app(backend).await;
    let email = "careful@example.org";
    let user = confirmed(&app, email, "Alice Martin").await;
    let bad = forgot(&app, "not an address").await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.err(), AppError::Invalid(Invalid::Email));

    for token in ["forged", "", "../../etc/passwd"] {
        let reply = user
            .call(&app, "password_reset_check", &[("token", token)])
            .await;
        assert_eq!(reply.status, 410, "{token:?}");
        let reply = reset(&app, &user, token, NEW_PASSWORD).await;
        assert_eq!(reply.status, 410, "{token:?}");
        assert_eq!(reply.err(), AppError::LinkInvalid);
    }
    let reply = user
        .call(&app, "password_reset", &[("token", "forged")])
        .await;
    assert_eq!(reply.status, 400, "missing password: {}", reply.text());

    forgot(&app, email).await.ok::<()>();
    let token = reset_token(&app, email).await;
    let short = reset(&app, &user, &token, "too short").await;
    assert_eq!(short.status, 422);
    assert_eq!(short.err(), AppError::Invalid(Invalid::Password));
    reset(&app, &user, &token, NEW_PASSWORD).await.ok::<()>();
    user.sign_in_with(&app, NEW_PASSWORD)
        .await
        .ok::<AuthState>();
    assert_eq!(
        user.sign_in_with(&app, PASSWORD).await.err(),
        AppError::BadCredentials
    );
    app.stop().await;
}
