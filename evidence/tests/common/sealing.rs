//! Sealing as the service seals in development: the `seal` key of this process's SoftHSM
//! token, the development PKI and the development TSA (key `dev-tsa` in the same token).

use std::path::PathBuf;
use std::time::SystemTime;

use evidence::pades::{self, Evidence, SealProfile};
use evidence::pki::Role;
use evidence::timestamp::{DevTsa, LocalTimeStamper};
use evidence::{Certificate, DevPki, Hsm, KeySigner};

/// Example evidence policy OID under the documentation arc (RFC 5612: IANA PEN 32473).
pub const POLICY_OID: &str = "1.3.6.1.4.1.32473.1.1";
/// Example TSA policy OID, same arc.
pub const TSA_POLICY_OID: const_oid::ObjectIdentifier =
    const_oid::ObjectIdentifier::new_unwrap("1.3.6.1.4.1.32473.2.1");

/// The token, the development PKI, the seal profile and the development TSA of one test
/// process.
pub struct DevSealing {
    /// This process's directory (SoftHSM tokens, `pki/`, outputs in `out/`).
    pub dir: PathBuf,
    pub hsm: Hsm,
    pub pki: DevPki,
    pub signer: KeySigner,
    pub profile: SealProfile,
    /// The development TSA, in-process.
    pub tsa: LocalTimeStamper,
    /// The development root's PEM file: trust anchor of the seal and of the TSA.
    pub root_pem: PathBuf,
}

impl DevSealing {
    /// Creates this process's SoftHSM directory (see [`super::softhsm_dir`]: once per process,
    /// from the test binary's `OnceLock`) and a token labelled `label` in it.
    pub fn new(prefix: &str, label: &str) -> Self {
        let dir = super::softhsm_dir(prefix);
        let (hsm, pki) = super::dev_token(&dir, label);
        let signer = KeySigner::new(&hsm, Role::Seal.key_label()).expect("seal key");
        let profile = SealProfile::new(pki.seal.clone(), Vec::new()).expect("profile");
        let tsa = LocalTimeStamper(
            DevTsa::from_dev_pki(&hsm, &pki, TSA_POLICY_OID).expect("development TSA"),
        );
        let root_pem = dir.join("pki").join(Role::Root.file_name());
        DevSealing {
            dir,
            hsm,
            pki,
            signer,
            profile,
            tsa,
            root_pem,
        }
    }

    /// The trust roots of verification: the development root.
    pub fn roots(&self) -> Vec<Certificate> {
        vec![self.pki.root.clone()]
    }

    /// `evidence` sealed in one call ([`pades::seal`]).
    pub async fn seal(&self, evidence: &Evidence) -> Vec<u8> {
        pades::seal(
            evidence,
            &self.profile,
            &self.signer,
            &self.tsa,
            SystemTime::now(),
        )
        .await
        .expect("seal")
    }

    /// Writes `bytes` to `out/name` in this process's directory; returns the file's path.
    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let dir = self.dir.join("out");
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(name);
        std::fs::write(&file, bytes).unwrap();
        file
    }
}
