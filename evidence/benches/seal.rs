//! Evidence sealing throughput against the raw signing rate of the same SoftHSM token.
//!
//! Prints, in one run: the raw RSA-3072 signature rate of the token (`C_Sign`, SHA-256), the
//! end-to-end rate of sealed + time-stamped evidence PDFs (render, dry-run sizing, HSM seal,
//! built-in TSA token — a second HSM signature — CMS, finish), and their ratio to the ideal
//! (raw rate ÷ 2 signatures per evidence). Target: ≥ 0.70. Also the evidence PDFs' mean
//! size and the share of it that is unused signature space (the profile sized from a real
//! token, as the server does at start-up).
//!
//! `cargo bench -p evidence --bench seal` (or `make bench`). Both rates are measured
//! sequentially on one thread, after a warm-up, for about `PLI_BENCH_SECONDS` (default 5) each.

#![allow(
    clippy::unwrap_used,
    reason = "benchmark: a panic is the failure report"
)]

use std::time::{Duration, Instant, SystemTime};

use evidence::pades::{
    ContentDigest, Evidence, EvidenceKind, Issuer, Party, SealProfile, Sessions,
};
use evidence::pki::Role;
use evidence::timestamp::{DevTsa, LocalTimeStamper};
use evidence::{DevPki, Hsm, HsmConfig, KeySigner};

fn main() {
    let seconds: u64 = std::env::var("PLI_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let budget = Duration::from_secs(seconds);
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("softhsm2.conf");
    std::fs::create_dir_all(dir.path().join("tokens")).unwrap();
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            dir.path().join("tokens").display()
        ),
    )
    .unwrap();
    #[allow(
        unsafe_code,
        reason = "benchmark set-up: single-threaded, before the PKCS#11 module loads"
    )]
    // SAFETY: no other thread exists yet.
    unsafe {
        std::env::set_var("SOFTHSM2_CONF", &conf);
    }
    let config = HsmConfig {
        module: "/usr/lib/softhsm/libsofthsm2.so".into(),
        token_label: "bench".into(),
        user_pin: "1234".into(),
        so_pin: Some("5678".into()),
    };
    Hsm::init_token_if_missing(&config).unwrap();
    let hsm = Hsm::open(&config).unwrap();
    let pki = DevPki::ensure(
        &hsm,
        &dir.path().join("pki"),
        "http://127.0.0.1:3000",
        SystemTime::now(),
    )
    .unwrap();
    let signer = KeySigner::new(&hsm, Role::Seal.key_label()).unwrap();
    let tsa = LocalTimeStamper(
        DevTsa::from_dev_pki(&hsm, &pki, "1.3.6.1.4.1.32473.2.1".parse().unwrap()).unwrap(),
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // The server's profile: the seal certificate and the root, sized from a real token.
    let profile = runtime
        .block_on(
            SealProfile::new(pki.seal.clone(), vec![pki.root.clone()])
                .unwrap()
                .sized_for(&tsa),
        )
        .unwrap();

    // Raw signatures: the same token, the same key, the same mechanism.
    let message = [7u8; 256];
    let raw = rate(budget, || {
        hsm.sign_sha256_rsa(Role::Seal.key_label(), &message)
            .unwrap();
    });

    // Sealed evidence, end to end.
    let mut n = 0u64;
    let (mut bytes, mut unused, mut pdfs) = (0usize, 0usize, 0usize);
    let sealed = rate(budget, || {
        n += 1;
        let evidence = deposit(n);
        let pdf = runtime
            .block_on(evidence::pades::seal(
                &evidence,
                &profile,
                &signer,
                &tsa,
                SystemTime::now(),
            ))
            .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        bytes += pdf.len();
        unused += padding(&pdf);
        pdfs += 1;
    });

    let ideal = raw / 2.0;
    let ratio = sealed / ideal;
    println!("raw RSA-3072 signatures (SoftHSM, 1 thread): {raw:8.1} /s");
    println!("sealed + time-stamped evidence PDFs:          {sealed:8.1} /s");
    println!("ideal (raw / 2 signatures per evidence):      {ideal:8.1} /s");
    println!(
        "ratio sealed / ideal: {ratio:.2} (target >= 0.70) {}",
        if ratio >= 0.70 { "OK" } else { "BELOW TARGET" }
    );
    println!(
        "evidence PDF: {} bytes on average, {:.1} % unused signature space",
        bytes / pdfs.max(1),
        100.0 * unused as f64 / bytes.max(1) as f64
    );
}

/// The unused bytes of a sealed PDF: the zero digits after the CMS in its `/Contents`.
fn padding(pdf: &[u8]) -> usize {
    let key = pdf.windows(10).rposition(|w| w == b"/Contents ").unwrap();
    let start = key + pdf[key..].iter().position(|&b| b == b'<').unwrap() + 1;
    let end = start + pdf[start..].iter().position(|&b| b == b'>').unwrap();
    let hex = std::str::from_utf8(&pdf[start..end]).unwrap();
    let byte = |i: usize| usize::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    // A DER SEQUENCE with a long-form length: 30 8n, then n length bytes.
    assert_eq!(byte(0), 0x30);
    let n = byte(1) & 0x7f;
    let len = (0..n).fold(0, |acc, i| acc * 256 + byte(2 + i));
    hex.len() - 2 * (2 + n + len)
}

/// Runs `f` for a short warm-up, then for `budget`; returns calls per second.
fn rate(budget: Duration, mut f: impl FnMut()) -> f64 {
    let warm = Instant::now();
    while warm.elapsed() < budget / 10 {
        f();
    }
    let start = Instant::now();
    let mut calls = 0u64;
    while start.elapsed() < budget {
        f();
        calls += 1;
    }
    calls as f64 / start.elapsed().as_secs_f64()
}

/// A realistic deposit evidence (LET-04).
fn deposit(n: u64) -> Evidence {
    let now = SystemTime::now();
    let mut evidence = Evidence::new(
        EvidenceKind::Deposit,
        format!("bench-{n}"),
        now,
        "1.3.6.1.4.1.32473.1.1",
        Issuer {
            name: "Pli".into(),
            url: "https://pli.example".into(),
            time_zone: None,
        },
    );
    evidence.sender = Some(Party::new("Alice Martin", "user-1", "alice@example.org"));
    evidence.letter_id = Some(format!("letter-{n}"));
    evidence.subject = Some("Mise en demeure".into());
    evidence.submission_time = Some(now);
    evidence.sessions = Some(Sessions {
        login_session_id: "login-1".into(),
        login_time: now,
        otp_session_id: "otp-1".into(),
    });
    evidence.digests = vec![ContentDigest::sha256_of(
        "contrat.pdf",
        Some(format!("file-{n}")),
        b"contrat",
    )];
    evidence
}
