//! Test fixtures shared by the evidence test binaries: one SoftHSM token directory per test
//! process, announced through `SOFTHSM2_CONF` before the first PKCS#11 call, and the
//! development token (keys + PKI) in it; sealing with it ([`sealing`]); the independent tools
//! that judge the results ([`tools`]).

#![allow(dead_code, reason = "each test binary uses part of the fixtures")]
#![allow(
    clippy::unwrap_used,
    reason = "test fixtures: a panic is the failure report"
)]

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use evidence::pades::{Issuer, Party, Sessions};
use evidence::{DevPki, Hsm, HsmConfig};

pub mod sealing;
pub mod tools;

/// Creates this process's SoftHSM token directory (kept for the life of the process, under
/// the target directory) and points `SOFTHSM2_CONF` at it. Call it once, from inside the test
/// binary's `OnceLock` fixture, before anything loads the PKCS#11 module.
pub fn softhsm_dir(prefix: &str) -> PathBuf {
    let dir = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("temp dir")
        .keep();
    let tokens = dir.join("tokens");
    std::fs::create_dir_all(&tokens).unwrap();
    let conf = dir.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .unwrap();
    #[allow(
        unsafe_code,
        reason = "SOFTHSM2_CONF must be in the environment before C_Initialize; it is set once, \
                  inside the caller's OnceLock, before any test loads the module or spawns a process"
    )]
    // SAFETY: called once per process from a OnceLock initialiser that every test goes
    // through first; the OnceLock makes the other threads wait, so none reads the environment
    // concurrently.
    unsafe {
        std::env::set_var("SOFTHSM2_CONF", &conf);
    }
    dir
}

/// The PKCS#11 module under test (`PLI_PKCS11_MODULE`, default SoftHSM2).
pub fn module() -> PathBuf {
    std::env::var_os("PLI_PKCS11_MODULE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/lib/softhsm/libsofthsm2.so"))
}

/// The public URL the test PKIs publish their revocation data under (nothing listens there
/// unless a test serves it).
pub const PUBLIC_URL: &str = "http://127.0.0.1:3000";

/// A token labelled `label` in this process's SoftHSM directory, with the development keys
/// and PKI (`dir/pki`).
pub fn dev_token(dir: &Path, label: &str) -> (Hsm, DevPki) {
    let cfg = HsmConfig {
        module: module(),
        token_label: label.to_owned(),
        user_pin: "1234-user".to_owned(),
        so_pin: Some("5678-so".to_owned()),
    };
    Hsm::init_token_if_missing(&cfg).expect("init token");
    let hsm = Hsm::open(&cfg).expect("open token");
    let pki =
        DevPki::ensure(&hsm, &dir.join("pki"), PUBLIC_URL, SystemTime::now()).expect("dev PKI");
    (hsm, pki)
}

// Realistic parties of the sample evidences (accents and long names on purpose).

pub fn issuer() -> Issuer {
    Issuer {
        name: "Pli (développement)".to_owned(),
        url: "https://pli.example".to_owned(),
        time_zone: None,
    }
}

pub fn sender() -> Party {
    Party::new(
        "Élodie Lefèvre",
        "usr_01HZX3K8Q4",
        "elodie.lefevre@example.fr",
    )
}

pub fn recipient() -> Party {
    Party::new(
        "François Dubœuf",
        "usr_01HZX9Q2M7",
        "francois.duboeuf@example.org",
    )
}

pub fn sessions(now: SystemTime) -> Sessions {
    Sessions {
        login_session_id: "ls_9f2c41d7a0b34e55".to_owned(),
        login_time: now - Duration::from_secs(612),
        otp_session_id: "otp_71ad03c9e2f84b10".to_owned(),
    }
}
