//! The trusted staff for the back office's tests (issue 13): the two security officers of the
//! installation ceremony, and staff given a role under dual control by them.

use super::TestApp;
use super::flows::{User, account};

/// The security officers of the installation ceremony, Alice and Bob.
pub async fn officers(app: &TestApp) -> (User, User) {
    let alice = account(app, "alice@example.org", "Alice Martin").await;
    let bob = account(app, "bob@example.org", "Bob Durand").await;
    for officer in [&alice, &bob] {
        server::operators::ceremony::security_officer(
            &app.state.db,
            app.state.clock.now(),
            &officer.email,
        )
        .await
        .expect("security officer");
    }
    (alice, bob)
}

/// A new account given `role` under dual control by the two officers, accepted.
pub async fn staff(app: &TestApp, officers: &(User, User), email: &str, role: &str) -> User {
    let user = account(app, email, "Staff Member").await;
    let office: app::operators::BackOffice = officers
        .0
        .call(app, "role_request", &[("email", email), ("role", role)])
        .await
        .ok();
    let request = &office.requests.last().expect("request").id;
    let approve = [("request_id", request.as_str())];
    let _: app::operators::BackOffice = officers
        .1
        .call(app, "dual_control_approve", &approve)
        .await
        .ok();
    let offers: Vec<app::operators::AssignmentView> = user.call(app, "role_offers", &[]).await.ok();
    let accept = [("assignment_id", offers[0].id.as_str())];
    let _: Vec<app::operators::AssignmentView> = user.call(app, "role_accept", &accept).await.ok();
    user
}
