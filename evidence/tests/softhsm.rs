//! The HSM boundary and the development PKI against a real SoftHSM2 token, with OpenSSL and
//! pkcs11-tool as independent judges.
//!
//! All SoftHSM tests live in this one test binary: `SOFTHSM2_CONF` is read at `C_Initialize`,
//! and the PKCS#11 library is initialised once per process. The fixture gives the process its
//! own token directory; each test then creates its own token in it (one label per test).
//!
//! Needs softhsm2 (module path overridable with `PLI_PKCS11_MODULE`), opensc's pkcs11-tool and
//! openssl.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::SystemTime;

use evidence::pki::Role;
use evidence::{
    DevPki, Error, Hsm, HsmConfig, KeyOutcome, KeySigner, check_certificate_matches_key,
};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::traits::PublicKeyParts;
use sha2::Sha256;
use signature::{Keypair, Signer, Verifier};

use common::tools::run;

const USER_PIN: &str = "1234-user";
const SO_PIN: &str = "5678-so";

/// This process's SoftHSM token directory, created and announced through `SOFTHSM2_CONF`
/// before the first PKCS#11 call.
fn softhsm_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| common::softhsm_dir("softhsm-"))
}

fn config(token_label: &str) -> HsmConfig {
    softhsm_dir();
    HsmConfig {
        module: common::module(),
        token_label: token_label.to_owned(),
        user_pin: USER_PIN.to_owned(),
        so_pin: Some(SO_PIN.to_owned()),
    }
}

/// A fresh token for one test.
fn token(token_label: &str) -> (HsmConfig, Hsm) {
    let cfg = config(token_label);
    assert!(
        Hsm::init_token_if_missing(&cfg).expect("init token"),
        "token {token_label} should be new"
    );
    let hsm = Hsm::open(&cfg).expect("open token");
    (cfg, hsm)
}

#[test]
fn token_init_and_key_generation_are_idempotent_and_keys_stay_in_the_token() {
    let (cfg, hsm) = token("t-keys");
    assert!(!Hsm::init_token_if_missing(&cfg).expect("second init"));

    assert_eq!(
        hsm.ensure_rsa_key("k").expect("generate"),
        KeyOutcome::Created
    );
    assert_eq!(
        hsm.ensure_rsa_key("k").expect("again"),
        KeyOutcome::Existing
    );
    // Another handle on the same token sees the same key.
    let other = Hsm::open(&cfg).expect("reopen");
    assert_eq!(
        other.ensure_rsa_key("k").expect("again"),
        KeyOutcome::Existing
    );
    assert_eq!(
        hsm.public_key("k").expect("public key"),
        other.public_key("k").expect("public key")
    );
    assert_eq!(hsm.public_key("k").expect("public key").size() * 8, 3072);

    let protection = hsm.key_protection("k").expect("attributes");
    assert!(protection.sensitive, "{protection:?}");
    assert!(!protection.extractable, "{protection:?}");
    assert!(protection.always_sensitive, "{protection:?}");
    assert!(protection.never_extractable, "{protection:?}");
    assert!(protection.local, "{protection:?}");

    // An independent reading of the same objects: opensc's pkcs11-tool, another process.
    let listing = run(
        "pkcs11-tool",
        &[
            "--module",
            &cfg.module.to_string_lossy(),
            "--token-label",
            "t-keys",
            "--login",
            "--pin",
            USER_PIN,
            "--list-objects",
            "--type",
            "privkey",
        ],
    );
    assert_eq!(
        listing.matches("Private Key Object; RSA").count(),
        1,
        "{listing}"
    );
    assert!(listing.contains("label:      k"), "{listing}");
    assert!(
        listing.contains("sensitive, always sensitive, never extractable, local"),
        "{listing}"
    );
}

#[test]
fn missing_token_wrong_pin_and_missing_key_are_reported() {
    let (cfg, hsm) = token("t-errors");
    let absent = HsmConfig {
        token_label: "t-absent".to_owned(),
        ..cfg.clone()
    };
    assert!(matches!(
        Hsm::open(&absent),
        Err(Error::TokenNotFound { .. })
    ));
    let no_so_pin = HsmConfig {
        so_pin: None,
        ..absent
    };
    assert!(matches!(
        Hsm::init_token_if_missing(&no_so_pin),
        Err(Error::SoPinRequired { .. })
    ));
    assert!(matches!(
        hsm.sign_sha256_rsa("nothing", b"x"),
        Err(Error::KeyNotFound { .. })
    ));
    drop(hsm);

    let wrong = HsmConfig {
        user_pin: "wrong".to_owned(),
        ..cfg
    };
    let err = Hsm::open(&wrong).expect_err("wrong PIN must fail");
    assert!(matches!(err, Error::WrongPin { .. }), "{err}");
}

#[test]
fn token_signature_verifies_with_the_token_public_key() {
    let (_, hsm) = token("t-sign");
    hsm.ensure_rsa_key("seal").expect("generate");
    let data = b"Pli evidence: letter 42 was delivered";
    let bytes = hsm.sign_sha256_rsa("seal", data).expect("sign");
    assert_eq!(bytes.len(), 384);

    let key = VerifyingKey::<Sha256>::new(hsm.public_key("seal").expect("public key"));
    let signature = Signature::try_from(bytes.as_slice()).expect("signature");
    key.verify(data, &signature).expect("signature verifies");
    assert!(key.verify(b"another letter", &signature).is_err());

    assert!(matches!(
        hsm.sign_sha256_rsa("nothing", data),
        Err(Error::KeyNotFound { .. })
    ));

    // The same through the RustCrypto traits that x509-cert and cms use, checked before it is
    // returned: the same signature (PKCS#1 v1.5 is deterministic), and it verifies.
    let signer = KeySigner::new(&hsm, "seal").expect("signer");
    let signature: Signature = signer.try_sign(data).expect("sign");
    assert_eq!(signature::SignatureEncoding::to_vec(&signature), bytes);
    signer
        .verifying_key()
        .verify(data, &signature)
        .expect("signature verifies");
}

/// A pooled session remembers the handles of the keys it used; a key destroyed and generated
/// again under the same label (by another process here) is looked up again, not reported as a
/// failure.
#[test]
fn a_key_generated_again_under_its_label_is_found_again() {
    let (cfg, hsm) = token("t-rekey");
    hsm.ensure_rsa_key("seal").expect("generate");
    let data = b"letter 7";
    let old = hsm
        .sign_sha256_rsa("seal", data)
        .expect("sign (the handle is cached)");
    let module = cfg.module.display().to_string();
    for kind in ["privkey", "pubkey"] {
        run(
            "pkcs11-tool",
            &[
                "--module",
                &module,
                "--token-label",
                "t-rekey",
                "--login",
                "--pin",
                USER_PIN,
                "--delete-object",
                "--type",
                kind,
                "--label",
                "seal",
            ],
        );
    }
    assert_eq!(
        hsm.ensure_rsa_key("seal").expect("generate again"),
        KeyOutcome::Created
    );
    let new = hsm
        .sign_sha256_rsa("seal", data)
        .expect("sign with the new key");
    assert_ne!(new, old, "signed with the new key, not the destroyed one");
    let key = VerifyingKey::<Sha256>::new(hsm.public_key("seal").expect("public key"));
    let signature = Signature::try_from(new.as_slice()).expect("signature");
    key.verify(data, &signature)
        .expect("verifies with the new public key");
}

#[test]
fn eight_threads_sign_at_once_through_one_hsm() {
    let (_, hsm) = token("t-threads");
    hsm.ensure_rsa_key("seal").expect("generate");
    let key = VerifyingKey::<Sha256>::new(hsm.public_key("seal").expect("public key"));
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..8)
            .map(|worker| {
                let hsm = hsm.clone();
                let key = key.clone();
                scope.spawn(move || {
                    for i in 0..5 {
                        let data = format!("worker {worker} message {i}");
                        let bytes = hsm.sign_sha256_rsa("seal", data.as_bytes()).expect("sign");
                        let signature = Signature::try_from(bytes.as_slice()).expect("sig");
                        key.verify(data.as_bytes(), &signature).expect("verifies");
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().expect("worker panicked");
        }
    });
}

/// One development PKI for the tests below (three RSA-3072 key generations are slow).
struct Pki {
    hsm: Hsm,
    dir: PathBuf,
    pki: DevPki,
}

fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| {
        let (_, hsm) = token("t-pki");
        let dir = softhsm_dir().join("pki");
        let pki =
            DevPki::ensure(&hsm, &dir, common::PUBLIC_URL, SystemTime::now()).expect("dev PKI");
        Pki { hsm, dir, pki }
    })
}

#[test]
fn dev_pki_is_idempotent_and_openssl_validates_the_chain() {
    let Pki { hsm, dir, pki } = pki();
    let again =
        DevPki::ensure(hsm, dir, common::PUBLIC_URL, SystemTime::now()).expect("second ensure");
    assert_eq!(&again, pki, "a second ensure must not re-issue anything");
    for role in Role::ALL {
        let on_disk = std::fs::read_to_string(dir.join(role.file_name())).expect("pem");
        assert_eq!(on_disk, pki.pem(role).expect("pem"));
        assert!(!pki.der(role).expect("der").is_empty());
    }

    let root = dir.join("root.pem");
    let seal = dir.join("seal.pem");
    let tsa = dir.join("tsa.pem");
    let (root, seal, tsa) = (
        root.to_string_lossy(),
        seal.to_string_lossy(),
        tsa.to_string_lossy(),
    );
    let verify = |args: &[&str]| {
        let out = run("openssl", args);
        assert!(out.trim_end().ends_with(": OK"), "{out}");
    };
    verify(&["verify", "-x509_strict", "-CAfile", &root, &root]);
    verify(&["verify", "-x509_strict", "-CAfile", &root, &seal]);
    verify(&[
        "verify",
        "-x509_strict",
        "-purpose",
        "smimesign",
        "-CAfile",
        &root,
        &seal,
    ]);
    // OpenSSL's timestampsign purpose demands exactly id-kp-timeStamping, critical (RFC 3161 §2.3).
    verify(&[
        "verify",
        "-x509_strict",
        "-purpose",
        "timestampsign",
        "-CAfile",
        &root,
        &tsa,
    ]);
    // And the seal is not a time-stamping unit.
    let refused = Command::new("openssl")
        .args([
            "verify",
            "-purpose",
            "timestampsign",
            "-CAfile",
            &root,
            &seal,
        ])
        .output()
        .expect("openssl");
    assert!(!refused.status.success());

    let text = |file: &str| run("openssl", &["x509", "-noout", "-text", "-in", file]);
    let root_text = text(&root);
    assert!(root_text.contains("Public-Key: (3072 bit)"), "{root_text}");
    assert!(root_text.contains("CA:TRUE"), "{root_text}");
    assert!(
        root_text.contains("Certificate Sign, CRL Sign"),
        "{root_text}"
    );
    assert!(root_text.contains("sha256WithRSAEncryption"), "{root_text}");
    assert!(
        root_text.contains("CN = Pli development root CA (NOT QUALIFIED)"),
        "{root_text}"
    );
    let seal_text = text(&seal);
    assert!(seal_text.contains("Public-Key: (3072 bit)"), "{seal_text}");
    assert!(
        seal_text.contains("Digital Signature, Non Repudiation"),
        "{seal_text}"
    );
    assert!(seal_text.contains("E-mail Protection"), "{seal_text}");
    assert!(
        seal_text.contains("X509v3 Authority Key Identifier"),
        "{seal_text}"
    );
    assert!(
        seal_text.contains("CN = Pli development evidence seal (NOT QUALIFIED)"),
        "{seal_text}"
    );
    let tsa_text = text(&tsa);
    assert!(tsa_text.contains("Public-Key: (3072 bit)"), "{tsa_text}");
    assert!(
        tsa_text.contains("X509v3 Extended Key Usage: critical\n                Time Stamping"),
        "{tsa_text}"
    );

    // Validity: from one day before issuance, for 20 / 3 / 5 calendar years.
    for (role, years) in [(Role::Root, 20), (Role::Seal, 3), (Role::Tsa, 5)] {
        let validity = &pki.certificate(role).tbs_certificate.validity;
        let (from, to) = (
            validity.not_before.to_date_time(),
            validity.not_after.to_date_time(),
        );
        assert_eq!(to.year() - from.year(), years, "{role:?}");
        assert_eq!(
            (to.month(), to.day()),
            (from.month(), from.day()),
            "{role:?}"
        );
        let age = SystemTime::now()
            .duration_since(validity.not_before.to_system_time())
            .expect("not before is in the past");
        assert!(age.as_secs().abs_diff(86_400) < 600, "{role:?}: {age:?}");
    }

    // The certificates certify the token keys.
    for role in Role::ALL {
        let key = hsm.public_key(role.key_label()).expect("public key");
        check_certificate_matches_key(pki.certificate(role), &key, role.key_label())
            .expect("certificate matches its key");
    }
}

#[test]
fn a_certificate_for_another_key_is_rejected_with_a_clear_error() {
    let Pki { hsm, pki, .. } = pki();
    let seal_key = hsm.public_key("seal").expect("public key");
    let err = check_certificate_matches_key(&pki.tsa, &seal_key, "seal")
        .expect_err("the TSA certificate is not for the seal key");
    assert!(
        matches!(err, Error::CertificateKeyMismatch { .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the configured certificate \"CN=Pli development time-stamping unit (NOT QUALIFIED),\
         O=Pli (development),C=FR\" does not match the token key 'seal'"
    );
}

#[test]
fn dev_pki_reissues_only_what_is_missing_or_wrong() {
    let Pki { hsm, pki, .. } = pki();
    let dir = softhsm_dir().join("pki-repair");
    let first = DevPki::ensure(hsm, &dir, common::PUBLIC_URL, SystemTime::now()).expect("ensure");
    assert_ne!(&first, pki, "another directory gets its own certificates");

    // A seal.pem that holds the TSA certificate is replaced; root and TSA are kept.
    std::fs::copy(dir.join("tsa.pem"), dir.join("seal.pem")).expect("copy");
    let repaired =
        DevPki::ensure(hsm, &dir, common::PUBLIC_URL, SystemTime::now()).expect("ensure");
    assert_eq!(repaired.root, first.root);
    assert_eq!(repaired.tsa, first.tsa);
    assert_ne!(repaired.seal, first.seal);
    let seal_key = hsm.public_key("seal").expect("public key");
    check_certificate_matches_key(&repaired.seal, &seal_key, "seal").expect("matches");

    // A missing root re-issues the whole chain.
    std::fs::remove_file(dir.join("root.pem")).expect("remove");
    let reissued =
        DevPki::ensure(hsm, &dir, common::PUBLIC_URL, SystemTime::now()).expect("ensure");
    assert_ne!(reissued.root, repaired.root);
    assert_ne!(reissued.seal, repaired.seal);
    assert_ne!(reissued.tsa, repaired.tsa);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|entry| entry.expect("entry").file_name())
        .filter(|name| name.to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}
