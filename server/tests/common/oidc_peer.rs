//! A real OpenID provider for the tests (issue 14): `oidc-provider` from the npm registry, run
//! by `end2end/peers/oidc-provider.mjs` (its clients, test persons, levels and faults are
//! described there), and a browser that signs in at it.

use std::path::PathBuf;

use super::node_peer::NodePeer;
use super::smtp::free_port;

pub struct OidcPeer {
    pub issuer: String,
    port: u16,
    redirect: String,
    keys: PathBuf,
    child: NodePeer,
    _dir: tempfile::TempDir,
}

impl OidcPeer {
    /// Starts the provider, registering `redirect` for its clients.
    pub async fn start(redirect: &str) -> OidcPeer {
        let dir = tempfile::tempdir().expect("dir");
        let port = free_port();
        let keys = dir.path().join("keys.json");
        let child = spawn(port, redirect, &keys, false);
        let peer = OidcPeer {
            issuer: format!("http://127.0.0.1:{port}"),
            port,
            redirect: redirect.to_owned(),
            keys,
            child,
            _dir: dir,
        };
        peer.ready().await;
        peer
    }

    /// A provider that is not there (nothing listens at its issuer URL).
    pub fn gone() -> OidcPeer {
        let dir = tempfile::tempdir().expect("dir");
        let port = free_port();
        let child = NodePeer::none();
        OidcPeer {
            issuer: format!("http://127.0.0.1:{port}"),
            port,
            redirect: String::new(),
            keys: dir.path().join("keys.json"),
            child,
            _dir: dir,
        }
    }

    async fn ready(&self) {
        NodePeer::ready(&format!("{}/.well-known/openid-configuration", self.issuer)).await;
    }

    /// Restarts the provider with new signing keys, the old ones still published.
    pub async fn rotate_keys(&mut self) {
        self.child = NodePeer::none();
        self.child = spawn(self.port, &self.redirect, &self.keys, true);
        self.ready().await;
    }

    /// The next token response is `tamper`ed or a `replay` of the previous ID token.
    pub async fn fault(&self, mode: &str) {
        let response = reqwest::Client::new()
            .post(format!("{}/_faults", self.issuer))
            .form(&[("mode", mode)])
            .send()
            .await
            .expect("faults");
        assert!(response.status().is_success());
    }

    /// Signs in at the provider's page from `authorize` (the URL Pli sent the person to) as
    /// `person` reaching `acr`; returns the URL the provider sends them back to (Pli's
    /// callback with `code` and `state`), without following it.
    pub async fn sign_in(&self, authorize: &str, person: &str, acr: &str) -> String {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let mut next = authorize.to_owned();
        let mut posted = false;
        for _ in 0..10 {
            let response = if next.contains("/interaction/") && !posted {
                // The sign-in page, then its form.
                let page = client.get(&next).send().await.expect("sign-in page");
                assert!(page.status().is_success(), "{}", page.status());
                posted = true;
                client
                    .post(&next)
                    .form(&[("person", person), ("acr", acr)])
                    .send()
                    .await
                    .expect("sign in")
            } else {
                client.get(&next).send().await.expect("provider")
            };
            let location = response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .unwrap_or_else(|| panic!("no redirect from {next}: {}", response.status()))
                .to_owned();
            next = if location.starts_with('/') {
                format!("{}{location}", self.issuer)
            } else {
                location
            };
            if next.starts_with(&self.redirect) {
                return next;
            }
        }
        panic!("the provider never sent the person back");
    }
}

fn spawn(port: u16, redirect: &str, keys: &std::path::Path, rotate: bool) -> NodePeer {
    let mut args = vec![
        "--port".to_owned(),
        port.to_string(),
        "--redirect".to_owned(),
        redirect.to_owned(),
        "--keys".to_owned(),
        keys.display().to_string(),
    ];
    if rotate {
        args.push("--rotate".to_owned());
    }
    NodePeer::spawn("oidc-provider.mjs", args)
}
