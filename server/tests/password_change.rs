//! A password change from the profile (issue 11) through the running server, as the browser
//! does it: the current password and a new one, within a live OTP session; every other
//! session and OTP session of the account ends, this one stays; the journal entry and the
//! email to the holder; a wrong current password is refused like a failed sign-in (and
//! counted with them); on SQLite and on PostgreSQL.

mod common;

use app::error::AppError;
use app::types::{AuthState, OtpSessionInfo};
use app::validation::Invalid;
use chrono::TimeDelta;
use common::flows::{PASSWORD, User, account, now_s, signed_in};
use common::records::{
    assert_journal_intact, events, last_event, last_mail, open_otp_sessions, open_sessions,
};
use common::{Backend, TestApp, spawn_app};

on_both_databases!(
    a_change_ends_the_other_sessions_and_keeps_this_one,
    a_wrong_current_password_counts_as_a_failed_sign_in,
    a_change_needs_a_live_otp_session,
    bad_changes_are_refused_with_4xx_and_change_nothing,
);

const NEW_PASSWORD: &str = "a brand new password, long enough";

/// `user` changes the password from `current` to `new`.
async fn change(app: &TestApp, user: &User, current: &str, new: &str) -> common::flows::Reply {
    user.call(
        app,
        "password_change",
        &[("current_password", current), ("password", new)],
    )
    .await
}

/// The whole journey: the holder, signed in on two devices (each with its OTP session),
/// changes the password on one; the other device is signed out, its OTP session closed; this
/// one stays signed in with its OTP session; the old password no longer signs in, the new one
/// does; the journal records the change and the holder gets an email.
async fn a_change_ends_the_other_sessions_and_keeps_this_one(backend: Backend) {
    let app = spawn_app(backend).await;
    let email = "changer@example.org";
    let user = account(&app, email, "Alice Martin").await;
    let other_device = User {
        totp_secret: user.totp_secret.clone(),
        ..User::visitor(email, "Alice Martin")
    };
    other_device.sign_in(&app).await.ok::<AuthState>();
    other_device.fresh_code(&app).await;
    assert_eq!(open_sessions(&app, email).await, 2);
    assert_eq!(open_otp_sessions(&app, email).await, 2);
    let before: OtpSessionInfo = user.call(&app, "otp_session", &[]).await.ok();

    change(&app, &user, PASSWORD, NEW_PASSWORD).await.ok::<()>();

    assert!(
        user.auth_state(&app).await.signed_in(),
        "this session stays"
    );
    let after: OtpSessionInfo = user.call(&app, "otp_session", &[]).await.ok();
    assert_eq!(
        after.otp_session_id, before.otp_session_id,
        "and its OTP session"
    );
    assert_eq!(
        other_device.auth_state(&app).await.user,
        None,
        "the other device is signed out"
    );
    assert_eq!(open_sessions(&app, email).await, 1);
    assert_eq!(open_otp_sessions(&app, email).await, 1);

    let elsewhere = User::visitor(email, "Alice Martin");
    assert_eq!(
        elsewhere.sign_in(&app).await.err(),
        AppError::BadCredentials
    );
    let pending: AuthState = elsewhere.sign_in_with(&app, NEW_PASSWORD).await.ok();
    assert!(
        pending.awaiting_second_factor(),
        "the second factor is still asked"
    );

    let (subject, text) = last_mail(&app, email).await;
    assert!(subject.contains("mot de passe changé"), "{subject}");
    assert!(text.contains("autres sessions"), "{text}");
    assert!(text.contains("/password/forgot"), "{text}");

    let event = last_event(&app, "password_changed").await;
    assert_eq!(event["details"]["by"], "profile", "{event}");
    assert_eq!(event["details"]["other_sessions_ended"], 1, "{event}");
    assert_eq!(
        event["details"]["otp_session_id"],
        before.otp_session_id.as_str()
    );
    assert_eq!(event["details"]["ip"], "127.0.0.1");
    assert!(event["actor"].as_str().is_some_and(|a| !a.is_empty()));
    assert_journal_intact(&app).await;
    app.stop().await;
}

/// A wrong current password is the user's error (401, nothing changed, journaled), and counts
/// with the failed sign-ins of the address: after 5 within 15 minutes, both the change and
/// the sign-in page wait (429), even with the right password.
async fn a_wrong_current_password_counts_as_a_failed_sign_in(backend: Backend) {
    let app = spawn_app(backend).await;
    let email = "guesser@example.org";
    let user = account(&app, email, "Alice Martin").await;
    let wrong = change(&app, &user, "not the password at all", NEW_PASSWORD).await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.err(), AppError::WrongPassword);
    assert!(user.auth_state(&app).await.signed_in(), "still signed in");
    assert_eq!(events(&app, "password_change_refused").await.len(), 1);
    assert!(events(&app, "password_changed").await.is_empty());

    let stranger = User::visitor(email, "Alice Martin");
    for _ in 0..3 {
        assert_eq!(
            stranger.sign_in_with(&app, "a guess").await.err(),
            AppError::BadCredentials
        );
    }
    assert_eq!(
        change(&app, &user, "one more guess", NEW_PASSWORD)
            .await
            .err(),
        AppError::WrongPassword
    );
    let limited = change(&app, &user, PASSWORD, NEW_PASSWORD).await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.err(), AppError::TooManyAttempts { minutes: 15 });
    assert_eq!(
        stranger.sign_in(&app).await.err(),
        AppError::TooManyAttempts { minutes: 15 }
    );
    // The window slides (the session is kept alive meanwhile); the old password still works.
    app.state.clock.advance(TimeDelta::minutes(10));
    assert!(user.auth_state(&app).await.signed_in());
    app.state.clock.advance(TimeDelta::minutes(5));
    user.fresh_code(&app).await;
    change(&app, &user, PASSWORD, NEW_PASSWORD).await.ok::<()>();
    assert_eq!(events(&app, "password_changed").await.len(), 1);
    app.stop().await;
}

/// Like every sensitive action: after the 15 minutes of the OTP session, a fresh code first
/// (403, the password unchanged); then the change goes through.
async fn a_change_needs_a_live_otp_session(backend: Backend) {
    let app = spawn_app(backend).await;
    let email = "slow@example.org";
    let user = account(&app, email, "Alice Martin").await;
    app.state.clock.advance(TimeDelta::minutes(10));
    assert!(user.auth_state(&app).await.signed_in());
    app.state.clock.advance(TimeDelta::minutes(5));
    let refused = change(&app, &user, PASSWORD, NEW_PASSWORD).await;
    assert_eq!(refused.status, 403);
    assert_eq!(refused.err(), AppError::OtpSessionRequired);
    assert!(events(&app, "password_changed").await.is_empty());
    let code = user.code_at(now_s(&app));
    user.second_factor(&app, &code).await.ok::<AuthState>();
    change(&app, &user, PASSWORD, NEW_PASSWORD).await.ok::<()>();
    assert_eq!(events(&app, "password_changed").await.len(), 1);
    app.stop().await;
}

/// Bad input is the user's: a new password that fails the sign-up rules (422), a missing
/// field (400), no session (401), no second factor yet (403); none changes the password.
async fn bad_changes_are_refused_with_4xx_and_change_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let email = "careful-change@example.org";
    let user = account(&app, email, "Alice Martin").await;
    let short = change(&app, &user, PASSWORD, "too short").await;
    assert_eq!(short.status, 422);
    assert_eq!(short.err(), AppError::Invalid(Invalid::Password));
    let missing = user
        .call(&app, "password_change", &[("password", NEW_PASSWORD)])
        .await;
    assert_eq!(missing.status, 400, "{}", missing.text());
    let visitor = User::visitor(email, "Alice Martin");
    let signed_out = change(&app, &visitor, PASSWORD, NEW_PASSWORD).await;
    assert_eq!(signed_out.status, 401);
    assert_eq!(signed_out.err(), AppError::SignInRequired);
    let newcomer = signed_in(&app, "newcomer@example.org", "Bob Durand").await;
    assert_eq!(
        change(&app, &newcomer, PASSWORD, NEW_PASSWORD).await.err(),
        AppError::SecondFactorSetupRequired
    );
    assert!(events(&app, "password_changed").await.is_empty());
    user.sign_out(&app).await;
    user.sign_in(&app).await.ok::<AuthState>();
    app.stop().await;
}
