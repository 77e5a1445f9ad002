//! Identity proofing with a real OpenID Connect provider (issue 14, ID-01, ID-02, ID-04,
//! policy §4.1): `oidc-provider` from the npm registry, started by the test
//! (`common::oidc_peer`), configured as an eIDAS provider. Through the running server and the
//! provider's own pages, at the HTTP level: a success (RS256 and ES256), a lower level refused,
//! a wrong nonce (a replayed ID token), a tampered token, an expired one, and a key rotation.
//! The identification evidence names the provider, the level, the subject and the session, and
//! passes pyHanko.

mod common;

use app::types::IdentityStatus;
use chrono::TimeDelta;
use common::entities::assert_identification_names;
use common::flows::{User, account};
use common::oidc_peer::OidcPeer;
use common::{Backend, TestApp, spawn_app_with};
use server::config::{IdentityProviderKind, OidcConfig};

on_both_databases!(id_01_an_eidas_provider_proves_identity_and_refuses_what_it_must,);

/// Where the provider sends people back (the default public URL of the tests' config).
const REDIRECT: &str = "http://localhost:3000/identity/oidc/callback";

async fn app_for(backend: Backend, peer: &OidcPeer, client_id: &str) -> TestApp {
    let issuer = peer.issuer.clone();
    let client_id = client_id.to_owned();
    let app = spawn_app_with(backend, move |config| {
        config.identity.provider = IdentityProviderKind::Oidc;
        config.identity.oidc = Some(OidcConfig {
            name: "test-oidc".to_owned(),
            issuer,
            client_id,
            client_secret: Some("pli-secret".to_owned()),
            client_secret_file: None,
            levels: ["eidas1", "eidas2", "eidas3"].map(str::to_owned).to_vec(),
            required_level: "eidas2".to_owned(),
            qualified: false,
        });
    })
    .await;
    // The provider dates its tokens by the machine's clock: the service's starts there too.
    let behind = chrono::Utc::now() - app.state.clock.now();
    app.state.clock.advance(behind);
    app
}

/// `user` proves their identity at the provider as `person` reaching `acr`; `before_callback`
/// runs once the provider sent them back, before Pli reads the answer. Returns the status and
/// why the request was refused, if it was.
async fn prove(
    app: &TestApp,
    peer: &OidcPeer,
    user: &User,
    (person, acr): (&str, &str),
    before_callback: impl AsyncFnOnce(),
) -> (IdentityStatus, Option<String>) {
    let authorize: String = user.call(app, "proofing_start", &[]).await.ok();
    assert!(authorize.starts_with(&peer.issuer), "{authorize}");
    for part in [
        "code_challenge_method=S256",
        "acr_values=eidas2",
        "nonce=",
        "state=",
    ] {
        assert!(authorize.contains(part), "{part}: {authorize}");
    }
    let back = peer.sign_in(&authorize, person, acr).await;
    before_callback().await;
    let callback = back.replacen("http://localhost:3000", &app.url, 1);
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .get(&callback)
        .send()
        .await
        .expect("callback");
    assert_eq!(response.status().as_u16(), 303, "{callback}");
    // The same answer again is refused: a request is answered once.
    let again = reqwest::get(&callback).await.expect("again");
    assert_eq!(again.status().as_u16(), 404);
    let request = back
        .split(['?', '&'])
        .find_map(|pair| pair.strip_prefix("state="))
        .expect("state");
    let failure: Option<String> =
        sqlx::query_scalar("SELECT failure FROM oidc_authorization WHERE id = $1")
            .bind(request)
            .fetch_one(app.state.db.pool())
            .await
            .expect("the request");
    let state = user.auth_state(app).await;
    (state.user.expect("signed in").identity, failure)
}

async fn id_01_an_eidas_provider_proves_identity_and_refuses_what_it_must(backend: Backend) {
    let mut peer = OidcPeer::start(REDIRECT).await;
    let app = app_for(backend, &peer, "pli-rs").await;

    // A lower level than eidas2 is refused, with its reason.
    let low = account(&app, "low@example.org", "Jeanne Dupont").await;
    let (status, failure) = prove(&app, &peer, &low, ("jeanne", "eidas1"), async || {}).await;
    assert_eq!(
        status,
        IdentityStatus::Failed {
            reason: failure.clone()
        }
    );
    assert_eq!(failure.as_deref(), Some("insufficient_level"));

    // Success (RS256): the verified identity, and its evidence.
    let jeanne = account(&app, "jeanne@example.org", "Jeanne Dupont").await;
    let (status, failure) = prove(&app, &peer, &jeanne, ("jeanne", "eidas2"), async || {}).await;
    assert_eq!(failure, None);
    assert!(
        matches!(&status, IdentityStatus::Verified { verified_name, qualified_provider: false }
            if verified_name == "Jeanne Marie DUPONT"),
        "{status:?}"
    );
    assert_identification_names(
        &app,
        "jeanne@example.org",
        &[
            "test-oidc",
            "eidas2",
            "jeanne",
            "Jeanne Marie DUPONT",
            "1985-04-12",
            "75056",
        ],
    )
    .await;

    // A wrong nonce: the provider answers with the ID token of the previous request.
    let karim = account(&app, "karim@example.org", "Karim Benali").await;
    peer.fault("replay").await;
    let (status, failure) = prove(&app, &peer, &karim, ("karim", "eidas3"), async || {}).await;
    assert_eq!(
        status,
        IdentityStatus::Failed {
            reason: failure.clone()
        }
    );
    assert_eq!(failure.as_deref(), Some("wrong_nonce"));

    // A tampered token: its content changed, its signature kept.
    peer.fault("tamper").await;
    let (status, failure) = prove(&app, &peer, &karim, ("karim", "eidas3"), async || {}).await;
    assert_eq!(
        status,
        IdentityStatus::Failed {
            reason: failure.clone()
        }
    );
    assert_eq!(failure.as_deref(), Some("bad_signature"));

    // The provider rotates its keys: a token signed with the new key is accepted.
    peer.rotate_keys().await;
    karim.sign_in_again(&app).await;
    let (status, failure) = prove(&app, &peer, &karim, ("karim", "eidas3"), async || {}).await;
    assert_eq!(failure, None);
    assert!(
        matches!(&status, IdentityStatus::Verified { verified_name, .. } if verified_name == "Karim BENALI"),
        "{status:?}"
    );
    // An expired token: the answer reaches Pli three minutes later (the provider's ID tokens
    // last two, the tolerated skew is one).
    let late = account(&app, "late@example.org", "Karim Benali").await;
    let (status, failure) = prove(&app, &peer, &late, ("karim", "eidas3"), async || {
        app.state.clock.advance(TimeDelta::minutes(3));
    })
    .await;
    assert_eq!(
        status,
        IdentityStatus::Failed {
            reason: failure.clone()
        }
    );
    assert_eq!(failure.as_deref(), Some("expired_token"));

    app.stop().await;

    // ES256: the other client signs its ID tokens with its EC key.
    let app = app_for(backend, &peer, "pli-es").await;
    let jeanne = account(&app, "jeanne@example.org", "Jeanne Dupont").await;
    let (status, failure) = prove(&app, &peer, &jeanne, ("jeanne", "eidas3"), async || {}).await;
    assert_eq!(failure, None);
    assert!(
        matches!(status, IdentityStatus::Verified { .. }),
        "{status:?}"
    );
    app.stop().await;

    // A provider that cannot be reached: the service is unavailable for now, and says so.
    drop(peer);
    let app = app_for(backend, &OidcPeer::gone(), "pli-rs").await;
    let user = account(&app, "jeanne@example.org", "Jeanne Dupont").await;
    let reply = user.call(&app, "proofing_start", &[]).await;
    assert_eq!(reply.status.as_u16(), 503);
    assert_eq!(
        reply.err(),
        app::error::AppError::IdentityProviderUnavailable
    );
    app.stop().await;
}
