//! Customers and who may send (issue 13; policy §4.3, §4.4; `domain::customers`), through the
//! server functions the customer space and the back office call:
//! - sending is refused to an account that is no customer's user, and to a customer whose
//!   contract ended;
//! - a business operator records a customer with its contract and invites its first
//!   administrator; the administrator invites users, sees the customer's letters, removes
//!   users (never the last administrator);
//! - invitations go to an address, by email, for 15 days; an account is one customer's user at
//!   a time; every step is journaled;
//! - the register and the customer's management are refused to others.

mod common;

use app::customers::{CustomerSpace, CustomerView};
use app::error::AppError;
use chrono::TimeDelta;
use common::entities::{call_err, grant};
use common::flows::{User, account, contact, draft, proven};
use common::records::{journal_actions_of, mails};
use common::{Backend, TestApp, spawn_app};
use domain::customers::CustomerRefusal as R;

on_both_databases!(
    senders_are_customers_under_contract,
    invitations_last_fifteen_days_and_are_for_their_address,
);

async fn space(app: &TestApp, user: &User) -> CustomerSpace {
    user.call(app, "customer_space", &[]).await.ok()
}

/// A business operator (the role given directly: dual control has its own tests).
async fn business_operator(app: &TestApp) -> User {
    let user = account(app, "commercial@example.org", "Bruno Commercial").await;
    grant(app, &user, "business_operator").await;
    user
}

/// Records the company customer `reference` with `admin` invited as its administrator.
async fn record(
    app: &TestApp,
    operator: &User,
    reference: &str,
    signed_on: &str,
    admin: &str,
) -> Result<CustomerView, AppError> {
    let form = [
        ("kind", "company"),
        ("name", "Martin Conseil SAS"),
        ("registry", "rcs_fr"),
        ("number", "732 829 320"),
        ("contract_reference", reference),
        ("contract_signed_on", signed_on),
        ("administrator_email", admin),
    ];
    let reply = operator.call(app, "customer_record", &form).await;
    if reply.status.is_success() {
        Ok(reply.ok())
    } else {
        Err(reply.err())
    }
}

/// `user` accepts the one invitation waiting for them.
async fn join(app: &TestApp, user: &User) {
    let invitations = space(app, user).await.invitations;
    assert_eq!(invitations.len(), 1, "{invitations:?}");
    let _: () = user
        .call(
            app,
            "customer_join",
            &[("invitation_id", &invitations[0].id)],
        )
        .await
        .ok();
}

/// A draft to a professional (no consent needed) sent by `user`: the server's answer.
async fn try_send(app: &TestApp, user: &User, subject: &str) -> Result<(), AppError> {
    // The professional contact, once per sender.
    let contacts: Vec<app::contacts::Contact> = user.call(app, "contacts", &[]).await.ok();
    let bob = match contacts.into_iter().find(|c| c.email == "bob@example.org") {
        Some(bob) => bob.id,
        None => {
            contact(
                app,
                user,
                "bob@example.org",
                "Bob Durand",
                Some("Durand SA"),
                None,
            )
            .await
        }
    };
    let id = draft(
        app,
        user,
        subject,
        &[&bob],
        &[("lettre.pdf", b"%PDF-1.7 lettre".to_vec())],
    )
    .await;
    let reply = user.call(app, "letter_send", &[("id", &id)]).await;
    if reply.status.is_success() {
        Ok(())
    } else {
        Err(reply.err())
    }
}

fn today(app: &TestApp) -> String {
    app.state.clock.now().format("%Y-%m-%d").to_string()
}

/// Covers policy §4.3 (senders are customers), §4.4 (a recipient becomes a sender only by
/// contract), OPS-01 (the business operator's register).
async fn senders_are_customers_under_contract(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = proven(&app, "alice@example.org", "Alice Martin").await;
    // Identity proven, but no contract: she may receive, not send.
    assert_eq!(
        try_send(&app, &alice, "Avant contrat").await,
        Err(AppError::Customer(R::NotACustomer))
    );
    assert!(space(&app, &alice).await.customer.is_none());

    // The register is the business operator's.
    let today = today(&app);
    assert_eq!(
        record(&app, &alice, "C-2026-042", &today, "alice@example.org").await,
        Err(AppError::OperatorOnly)
    );
    let visitor = User::visitor("x@example.org", "X");
    assert_eq!(
        call_err(&app, &visitor, "customers", &[]).await,
        AppError::SignInRequired
    );
    assert_eq!(
        call_err(&app, &alice, "customers", &[]).await,
        AppError::OperatorOnly
    );

    let bruno = business_operator(&app).await;
    let tomorrow = (app.state.clock.now() + TimeDelta::days(1))
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(
        record(&app, &bruno, "C-2026-042", &tomorrow, "alice@example.org").await,
        Err(AppError::Customer(R::ContractDate))
    );
    assert_eq!(
        record(&app, &bruno, " ", &today, "alice@example.org").await,
        Err(AppError::Customer(R::ContractReference))
    );
    let customer = record(&app, &bruno, "C-2026-042", &today, "alice@example.org")
        .await
        .expect("recorded");
    assert_eq!(customer.registry_number.as_deref(), Some("RCS 732 829 320"));
    assert_eq!(customer.invitations.len(), 1);
    assert_eq!(
        record(&app, &bruno, "C-2026-042", &today, "carol@example.org").await,
        Err(AppError::Customer(R::ContractExists))
    );

    // Alice is emailed, accepts, and sends; her letter is the customer's.
    let mail = mails(&app, "alice@example.org").await;
    assert!(
        mail.iter()
            .any(|(_, body)| body.contains("Martin Conseil SAS") && body.contains("/customer")),
        "{mail:?}"
    );
    join(&app, &alice).await;
    let mine = space(&app, &alice).await;
    assert_eq!(mine.role.as_deref(), Some("administrator"));
    try_send(&app, &alice, "Mise en demeure")
        .await
        .expect("sent");
    let mine = space(&app, &alice).await;
    assert_eq!(mine.letters.len(), 1);
    assert_eq!(mine.letters[0].subject, "Mise en demeure");

    // She invites Carol as a user; Carol joins, sends, and sees neither users nor letters.
    let carol = proven(&app, "carol@example.org", "Carol Petit").await;
    let invite = |email: &'static str| {
        [
            ("customer_id", customer.id.clone()),
            ("email", email.to_owned()),
            ("role", "user".to_owned()),
        ]
    };
    let form = invite("carol@example.org");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let _: () = alice.call(&app, "customer_invite", &form).await.ok();
    assert_eq!(
        call_err(&app, &alice, "customer_invite", &form).await,
        AppError::Customer(R::AlreadyInvited)
    );
    join(&app, &carol).await;
    try_send(&app, &carol, "Relance")
        .await
        .expect("sent by a user");
    let hers = space(&app, &carol).await;
    assert_eq!(hers.role.as_deref(), Some("user"));
    assert!(hers.letters.is_empty() && hers.customer.expect("customer").users.is_empty());
    assert_eq!(space(&app, &alice).await.letters.len(), 2);
    // A user does not manage the customer.
    let form_dave = invite("dave@example.org");
    let form_dave: Vec<(&str, &str)> = form_dave.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        call_err(&app, &carol, "customer_invite", &form_dave).await,
        AppError::Customer(R::AdministratorOnly)
    );

    // Alice removes Carol, who can no longer send and is told; the last administrator stays.
    let users = space(&app, &alice).await.customer.expect("customer").users;
    let carol_user = users
        .iter()
        .find(|u| u.email == "carol@example.org")
        .expect("carol");
    let alice_user = users
        .iter()
        .find(|u| u.email == "alice@example.org")
        .expect("alice");
    assert_eq!(
        call_err(
            &app,
            &carol,
            "customer_user_remove",
            &[("user_id", &alice_user.id)]
        )
        .await,
        AppError::Customer(R::AdministratorOnly)
    );
    let _: () = alice
        .call(&app, "customer_user_remove", &[("user_id", &carol_user.id)])
        .await
        .ok();
    assert_eq!(
        try_send(&app, &carol, "Après retrait").await,
        Err(AppError::Customer(R::NotACustomer))
    );
    assert!(
        mails(&app, "carol@example.org")
            .await
            .iter()
            .any(|(_, body)| body.contains("n'envoie plus")),
    );
    assert_eq!(
        call_err(
            &app,
            &bruno,
            "customer_user_remove",
            &[("user_id", &alice_user.id)]
        )
        .await,
        AppError::Customer(R::LastAdministrator)
    );

    // The operator ends the contract: no more letters, no more invitations.
    let _: () = bruno
        .call(&app, "customer_end", &[("customer_id", &customer.id)])
        .await
        .ok();
    assert_eq!(
        try_send(&app, &alice, "Après la fin").await,
        Err(AppError::Customer(R::ContractEnded))
    );
    assert_eq!(
        call_err(&app, &alice, "customer_invite", &form_dave).await,
        AppError::Customer(R::ContractEnded)
    );
    let register: Vec<CustomerView> = bruno.call(&app, "customers", &[]).await.ok();
    assert_eq!(register.len(), 1);
    assert_eq!(register[0].status, "ended");

    let journal = journal_actions_of(&app, "customers").await;
    for action in [
        "customer_recorded",
        "user_invited",
        "user_joined",
        "user_removed",
        "contract_ended",
    ] {
        assert!(journal.iter().any(|a| a == action), "{action}: {journal:?}");
    }
}

/// Covers policy §4.3: an invitation is for its address, for 15 days; one customer at a time.
async fn invitations_last_fifteen_days_and_are_for_their_address(backend: Backend) {
    let app = spawn_app(backend).await;
    let bruno = business_operator(&app).await;
    let today = today(&app);
    let first = record(&app, &bruno, "C-1", &today, "dora@example.org")
        .await
        .expect("recorded");
    let invitation = first.invitations[0].id.clone();
    // Somebody else cannot take Dora's invitation.
    let eve = proven(&app, "eve@example.org", "Ève Durand").await;
    assert_eq!(
        call_err(
            &app,
            &eve,
            "customer_join",
            &[("invitation_id", &invitation)]
        )
        .await,
        AppError::NotFound
    );
    // Past 15 days it is closed.
    let dora = proven(&app, "dora@example.org", "Dora Blanc").await;
    app.state.clock.advance(TimeDelta::days(16));
    dora.sign_in_again(&app).await;
    bruno.sign_in_again(&app).await;
    assert!(space(&app, &dora).await.invitations.is_empty());
    assert_eq!(
        call_err(
            &app,
            &dora,
            "customer_join",
            &[("invitation_id", &invitation)]
        )
        .await,
        AppError::Customer(R::InvitationClosed)
    );
    // A new one works; a second customer's invitation then waits until she leaves the first.
    let today = app.state.clock.now().format("%Y-%m-%d").to_string();
    let form = [
        ("customer_id", first.id.as_str()),
        ("email", "dora@example.org"),
        ("role", "administrator"),
    ];
    let _: () = bruno.call(&app, "customer_invite", &form).await.ok();
    join(&app, &dora).await;
    record(&app, &bruno, "C-2", &today, "dora@example.org")
        .await
        .expect("second customer");
    let waiting = space(&app, &dora).await.invitations;
    assert_eq!(waiting.len(), 1);
    assert_eq!(
        call_err(
            &app,
            &dora,
            "customer_join",
            &[("invitation_id", &waiting[0].id)]
        )
        .await,
        AppError::Customer(R::OtherCustomer)
    );
    // Declined, it is gone.
    let _: () = dora
        .call(
            &app,
            "customer_decline",
            &[("invitation_id", &waiting[0].id)],
        )
        .await
        .ok();
    assert!(space(&app, &dora).await.invitations.is_empty());
    // Dora, administrator, withdraws an invitation before its answer: Eve can no longer take
    // it; a stranger cannot withdraw one.
    let form = [
        ("customer_id", first.id.as_str()),
        ("email", "eve@example.org"),
        ("role", "user"),
    ];
    let _: () = dora.call(&app, "customer_invite", &form).await.ok();
    let pending = space(&app, &dora)
        .await
        .customer
        .expect("customer")
        .invitations;
    let to_eve = [("invitation_id", pending[0].id.as_str())];
    eve.sign_in_again(&app).await;
    assert_eq!(
        call_err(&app, &eve, "customer_invitation_withdraw", &to_eve).await,
        AppError::Customer(R::AdministratorOnly)
    );
    let _: () = dora
        .call(&app, "customer_invitation_withdraw", &to_eve)
        .await
        .ok();
    assert_eq!(
        call_err(&app, &eve, "customer_join", &to_eve).await,
        AppError::Customer(R::InvitationClosed)
    );
    assert!(
        journal_actions_of(&app, "customers")
            .await
            .iter()
            .any(|a| a == "invitation_withdrawn")
    );
    // The development contract is for accounts without a customer.
    assert_eq!(
        call_err(&app, &dora, "customer_dev_contract", &[]).await,
        AppError::Customer(R::OtherCustomer)
    );
}
