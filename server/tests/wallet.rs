//! Identity proofing with the EU digital identity wallet (issue 14, ID-01, ID-04; eIDAS Art. 5a,
//! 24(1a)(a)):
//! Pli verifies OpenID4VP presentations of a person identification credential in SD-JWT VC
//! format. The wallet and its issuers are real, started by the test (`common::wallet_peer`,
//! the OpenWallet Foundation's SD-JWT libraries from npm): they generate their keys and issue
//! the credentials. Through the running server, at the HTTP level: the same-device flow (the
//! link, then the browser back with the response code) and the cross-device flow (the QR
//! code), only the claims needed disclosed; a forged disclosure, a replayed presentation, an
//! untrusted issuer and a wrong nonce refused, each with its reason; a declined request; a
//! request answered once, and not after 15 minutes. The identification evidence passes pyHanko.

mod common;

use app::letters::{Reception, RecipientAuth};
use app::types::{IdentityStatus, WalletRequest};
use chrono::TimeDelta;
use common::entities::assert_identification_names;
use common::flows::{User, account, reception};
use common::scenario::Scenario;
use common::smtp::free_port;
use common::wallet_peer::{Presentation, WalletPeer};
use common::{Backend, TestApp, spawn_app_with};
use server::config::{IdentityProviderKind, WalletConfig};

on_both_databases!(id_01_id_04_the_eu_wallet_proves_identity_and_refuses_what_it_must,);

async fn app_for(backend: Backend, wallet: &WalletPeer) -> TestApp {
    let trusted = wallet.trusted_issuer();
    let wallet_url = wallet.wallet_url();
    // The wallet reaches Pli at its public URL: the server listens there.
    let port = free_port();
    let app = spawn_app_with(backend, move |config| {
        config.server.listen = ([127, 0, 0, 1], port).into();
        config.server.public_url = format!("http://127.0.0.1:{port}");
        config.identity.provider = IdentityProviderKind::Wallet;
        config.identity.wallet = Some(WalletConfig {
            name: "eudi-wallet".to_owned(),
            trusted_issuers: vec![trusted],
            credential_type: "urn:eudi:pid:1".to_owned(),
            wallet_url,
            level: "high".to_owned(),
            qualified: false,
        });
    })
    .await;
    // The wallet dates its key bindings by the machine's clock: the service's starts there too.
    let behind = chrono::Utc::now() - app.state.clock.now();
    app.state.clock.advance(behind);
    app
}

/// The wallet's request `user` is sent to: (its id, the same-device link, the QR code's
/// content).
async fn request(app: &TestApp, user: &User) -> (String, String, String) {
    let page: String = user.call(app, "proofing_start", &[]).await.ok();
    let id = page
        .strip_prefix(&format!("{}/identity/wallet/", app.url))
        .unwrap_or_else(|| panic!("Pli's wallet page: {page}"))
        .to_owned();
    let shown: WalletRequest = user.call(app, "wallet_status", &[("id", &id)]).await.ok();
    let WalletRequest::Waiting {
        cross_device_url,
        qr_png_base64,
        same_device_url,
    } = shown
    else {
        panic!("waiting for the wallet: {shown:?}")
    };
    assert!(!qr_png_base64.is_empty());
    for link in [&cross_device_url, &same_device_url] {
        assert!(link.starts_with("http://127.0.0.1:"), "{link}");
        assert!(link.contains("client_id=redirect_uri%3A"), "{link}");
        assert!(link.contains("request_uri="), "{link}");
    }
    (id, same_device_url, cross_device_url)
}

/// `visitor` proves their identity at the reception of `transaction` with the wallet (across
/// devices, with `fault`); what the reception then shows.
async fn at_reception(
    app: &TestApp,
    wallet: &WalletPeer,
    visitor: &User,
    (transaction, token): (&str, &str),
    fault: &str,
) -> Reception {
    let page: String = visitor
        .call(
            app,
            "reception_proofing_start",
            &[("transaction_id", transaction), ("token", token)],
        )
        .await
        .ok();
    let id = page.rsplit('/').next().expect("the request").to_owned();
    let shown: WalletRequest = visitor
        .call(app, "wallet_status", &[("id", &id)])
        .await
        .ok();
    let WalletRequest::Waiting {
        cross_device_url, ..
    } = shown
    else {
        panic!("waiting for the wallet: {shown:?}")
    };
    let _ = wallet.present(&cross_device_url, "karim", fault).await;
    reception(app, visitor, transaction, Some(token)).await.ok()
}

async fn identity(app: &TestApp, user: &User) -> IdentityStatus {
    user.auth_state(app).await.user.expect("signed in").identity
}

fn refused(presentation: &Presentation, reason: &str) {
    assert_eq!(presentation.status, 400, "{presentation:?}");
    assert_eq!(
        presentation.body["error_description"], reason,
        "{presentation:?}"
    );
}

async fn id_01_id_04_the_eu_wallet_proves_identity_and_refuses_what_it_must(backend: Backend) {
    let wallet = WalletPeer::start().await;
    let app = app_for(backend, &wallet).await;
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");

    // On the same device: the link opens the wallet, which discloses only what Pli asks for.
    let jeanne = account(&app, "jeanne@example.org", "Jeanne Dupont").await;
    let (id, link, _) = request(&app, &jeanne).await;
    let shared = wallet.present(&link, "jeanne", "none").await;
    assert_eq!(shared.status, 200, "{shared:?}");
    let mut disclosed = shared.disclosed.clone();
    disclosed.sort();
    assert_eq!(
        disclosed,
        ["birthdate", "family_name", "given_name", "place_of_birth"]
    );
    // The proofing counts once the browser that came back shows the response code.
    assert_eq!(identity(&app, &jeanne).await, IdentityStatus::Pending);
    let back = shared.redirect_uri.expect("the way back to Pli");
    assert!(back.contains(&format!("/identity/wallet/{id}/returned?response_code=")));
    let wrong = back.split("response_code=").next().expect("ok").to_owned() + "response_code=x";
    assert_eq!(
        no_redirect.get(&wrong).send().await.expect("ok").status(),
        404
    );
    let returned = no_redirect.get(&back).send().await.expect("back");
    assert_eq!(returned.status().as_u16(), 303);
    assert!(
        matches!(identity(&app, &jeanne).await, IdentityStatus::Verified { verified_name, qualified_provider: false }
            if verified_name == "Jeanne Marie DUPONT"),
    );
    let report = assert_identification_names(
        &app,
        "jeanne@example.org",
        &[
            "eudi-wallet",
            "high",
            "Jeanne Marie DUPONT",
            &id,
            "1985-04-12",
            "Paris, FR",
        ],
    )
    .await;
    // What the credential disclosed and nothing else: no address, no national number.
    let place: Option<String> =
        sqlx::query_scalar("SELECT birth_place FROM wallet_request WHERE id = $1")
            .bind(&id)
            .fetch_one(app.state.db.pool())
            .await
            .expect("request");
    assert_eq!(place.as_deref(), Some("Paris, FR"));
    assert!(!report.contains("FR-PID-0001") && !report.contains("rue de la Paix"));
    // The request is answered: neither its request object nor a second answer is taken.
    let object = reqwest::Url::parse(&link)
        .expect("ok")
        .query_pairs()
        .find(|(name, _)| name == "request_uri")
        .map(|(_, uri)| uri.into_owned())
        .expect("request_uri");
    assert_eq!(reqwest::get(&object).await.expect("ok").status(), 404);
    let again = reqwest::Client::new()
        .post(format!("{}/identity/wallet/response", app.url))
        .form(&[("state", id.as_str()), ("vp_token", r#"{"pid": ["x~"]}"#)])
        .send()
        .await
        .expect("again");
    assert_eq!(again.status(), 400);
    let again: serde_json::Value = again.json().await.expect("JSON");
    assert_eq!(again["error_description"], "unknown_request");

    // A recipient without an account proves their identity at the reception of a letter
    // Jeanne sends: a refused presentation says why there too, then the PID opens it.
    let _: () = jeanne.call(&app, "customer_dev_contract", &[]).await.ok();
    let sent = Scenario::new(&app)
        .by(&jeanne)
        .recipient("karim.b@example.net", "Karim Benali")
        .send()
        .await;
    let (transaction, token) = (&sent.deliveries[0].transaction, &sent.deliveries[0].token);
    let karim_b = User::visitor("karim.b@example.net", "Karim Benali");
    let view = at_reception(&app, &wallet, &karim_b, (transaction, token), "untrusted").await;
    assert_eq!(
        view.auth,
        RecipientAuth::ProofingFailed {
            reason: Some("untrusted_issuer".to_owned())
        }
    );
    let view = at_reception(&app, &wallet, &karim_b, (transaction, token), "none").await;
    assert!(
        matches!(&view.auth, RecipientAuth::Reception { verified_name, .. } if verified_name == "Karim BENALI"),
        "{:?}",
        view.auth
    );

    // Across devices: the QR code, read by the wallet on a phone; the page learns the outcome.
    let karim = account(&app, "karim@example.org", "Karim Benali").await;
    let (_, _, qr) = request(&app, &karim).await;
    let shared = wallet.present(&qr, "karim", "none").await;
    assert_eq!(shared.status, 200, "{shared:?}");
    assert_eq!(shared.redirect_uri, None, "no way back on another device");
    assert!(
        matches!(identity(&app, &karim).await, IdentityStatus::Verified { verified_name, .. }
            if verified_name == "Karim BENALI"),
    );

    // Refused presentations, each with its reason shown to the person.
    for (email, fault, reason) in [
        ("forged@example.org", "forged", "forged_disclosure"),
        ("replay@example.org", "replay", "wrong_nonce"),
        ("untrusted@example.org", "untrusted", "untrusted_issuer"),
        ("nonce@example.org", "wrong_nonce", "wrong_nonce"),
    ] {
        let user = account(&app, email, "Jeanne Dupont").await;
        let (_, _, qr) = request(&app, &user).await;
        refused(&wallet.present(&qr, "jeanne", fault).await, reason);
        assert_eq!(
            identity(&app, &user).await,
            IdentityStatus::Failed {
                reason: Some(reason.to_owned())
            },
            "{fault}"
        );
    }

    // The person declines in their wallet.
    let declines = account(&app, "declines@example.org", "Jeanne Dupont").await;
    let (_, link, _) = request(&app, &declines).await;
    let declined = wallet.decline(&link).await;
    assert_eq!(declined.status, 200, "{declined:?}");
    assert!(declined.disclosed.is_empty());
    assert_eq!(
        identity(&app, &declines).await,
        IdentityStatus::Failed {
            reason: Some("wallet_declined".to_owned())
        }
    );

    // A request waits 15 minutes for the wallet, no more.
    let late = account(&app, "late@example.org", "Jeanne Dupont").await;
    let (_, _, qr) = request(&app, &late).await;
    app.state.clock.advance(TimeDelta::minutes(16));
    let answer = no_redirect
        .post(format!("{}/_present", wallet.url))
        .json(&serde_json::json!({ "authorize_url": qr, "person": "jeanne" }))
        .send()
        .await
        .expect("ok");
    assert_eq!(answer.status(), 502, "the wallet cannot fetch the request");

    app.stop().await;
}
