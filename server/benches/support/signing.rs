//! The raw signing baseline of the benchmarks: the seal key of the token, signing on threads.

use std::time::{Duration, Instant};

use evidence::Hsm;

/// `signatures` signatures with the seal key on `threads` threads; the time they took.
pub fn sign_on(hsm: &Hsm, label: &str, threads: usize, signatures: usize) -> Duration {
    let started = Instant::now();
    std::thread::scope(|scope| {
        for t in 0..threads {
            let count = signatures / threads + usize::from(t < signatures % threads);
            scope.spawn(move || {
                for i in 0..count {
                    let message = format!("evidence {t} {i}");
                    hsm.sign_sha256_rsa(label, message.as_bytes()).unwrap();
                }
            });
        }
    });
    started.elapsed()
}
