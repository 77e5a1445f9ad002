//! A test EU digital identity wallet and its credential issuers (issue 14), run by
//! `end2end/peers/eudi-wallet.mjs` with the OpenWallet Foundation's SD-JWT libraries from the
//! npm registry: it generates its keys, issues person identification credentials (SD-JWT VC)
//! from a trusted and an untrusted issuer, and presents them to a verifier over OpenID4VP —
//! honestly, or with a fault (`forged` disclosure, `replay`ed presentation, `untrusted`
//! issuer, `wrong_nonce`).

use serde_json::{Value, json};

use super::node_peer::NodePeer;
use super::smtp::free_port;

pub struct WalletPeer {
    pub url: String,
    _child: NodePeer,
}

/// What the wallet did and what the verifier answered.
#[derive(Debug, serde::Deserialize)]
pub struct Presentation {
    /// The verifier's HTTP status.
    pub status: u16,
    pub body: Value,
    pub redirect_uri: Option<String>,
    /// The claims the wallet disclosed.
    pub disclosed: Vec<String>,
}

impl WalletPeer {
    pub async fn start() -> WalletPeer {
        let port = free_port();
        let child = NodePeer::spawn("eudi-wallet.mjs", ["--port", &port.to_string()]);
        let url = format!("http://127.0.0.1:{port}");
        NodePeer::ready(&format!("{url}/_health")).await;
        WalletPeer { url, _child: child }
    }

    /// The issuer whose credentials the verifier trusts.
    pub fn trusted_issuer(&self) -> String {
        format!("{}/issuers/trusted", self.url)
    }

    /// Where the verifier's links and QR codes send (the wallet's "universal link").
    pub fn wallet_url(&self) -> String {
        format!("{}/authorize", self.url)
    }

    /// The wallet opens `request` (a link or a QR code's content) and shares `person`'s
    /// identity with `fault`, or declines.
    pub async fn present(&self, request: &str, person: &str, fault: &str) -> Presentation {
        self.call(json!({
            "authorize_url": request, "person": person, "issuer": "trusted", "fault": fault,
            "decline": false,
        }))
        .await
    }

    pub async fn decline(&self, request: &str) -> Presentation {
        self.call(json!({ "authorize_url": request, "person": "jeanne", "decline": true }))
            .await
    }

    async fn call(&self, body: Value) -> Presentation {
        let response = reqwest::Client::new()
            .post(format!("{}/_present", self.url))
            .json(&body)
            .send()
            .await
            .expect("the wallet");
        let status = response.status();
        let text = response.text().await.expect("the wallet's answer");
        assert!(status.is_success(), "the wallet failed: {status} {text}");
        serde_json::from_str(&text).expect("the wallet's JSON")
    }
}
