//! The transparency log's proofs (issue 12): their size at 1, 1,000 and 100,000 leaves (they
//! grow with log₂ n), and what answering costs with the kept tree ([`merkle::Tree`]) against
//! hashing the leaves afresh ([`merkle::inclusion_proof`] over the slice), measured in the same
//! run. `cargo bench -p evidence --bench log` (no HSM needed).

use std::time::{Duration, Instant};

use evidence::merkle::{self, Hash, Tree};

/// Runs `f` for at least `at_least`, returns the mean time of one call.
fn mean(at_least: Duration, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    let mut calls = 0_u32;
    while calls < 3 || start.elapsed() < at_least {
        f();
        calls += 1;
    }
    start.elapsed() / calls
}

fn main() {
    let sizes = [1_usize, 1_000, 100_000];
    let leaves: Vec<Hash> = (0..*sizes.iter().max().unwrap_or(&1) as u64)
        .map(|i| merkle::leaf_hash(format!("pli-log-v1\nevidence-{i}\n{i}\n").as_bytes()))
        .collect();
    println!("transparency log proofs (RFC 9162, SHA-256: 32 bytes a hash)");
    println!(
        "{:>8} {:>18} {:>22} {:>14} {:>14} {:>8}",
        "leaves", "inclusion (bytes)", "consistency (bytes)", "kept tree", "from leaves", "ratio"
    );
    for size in sizes {
        let prefix = &leaves[..size];
        let mut tree = Tree::new();
        prefix.iter().for_each(|leaf| tree.push(*leaf));
        let head = tree.root(size).unwrap_or_default();
        // The longest inclusion proof (the last leaf of a full subtree) and the consistency
        // proof from about half the log.
        let index = size.saturating_sub(1) / 2;
        let inclusion = tree.inclusion_proof(index, size).unwrap_or_default();
        assert!(merkle::verify_inclusion(
            &prefix[index],
            index as u64,
            size as u64,
            &inclusion,
            &head
        ));
        let old = size.div_ceil(2);
        let consistency = tree.consistency_proof(old, size).unwrap_or_default();
        let old_head = tree.root(old).unwrap_or_default();
        assert!(merkle::verify_consistency(
            old as u64,
            size as u64,
            &old_head,
            &head,
            &consistency
        ));
        // What one inclusion proof costs the service: with the kept tree, and from the leaves.
        let budget = Duration::from_millis(300);
        let kept = mean(budget, || {
            std::hint::black_box(tree.inclusion_proof(index, size));
        });
        let afresh = mean(budget, || {
            std::hint::black_box(merkle::inclusion_proof(prefix, index));
        });
        println!(
            "{size:>8} {:>18} {:>22} {:>14} {:>14} {:>7.0}×",
            format!("{} ({})", inclusion.len() * 32, inclusion.len()),
            format!("{} ({})", consistency.len() * 32, consistency.len()),
            format!("{:.1} µs", kept.as_secs_f64() * 1e6),
            format!("{:.1} µs", afresh.as_secs_f64() * 1e6),
            afresh.as_secs_f64() / kept.as_secs_f64().max(1e-9),
        );
    }
    println!(
        "(bytes and hashes of one proof; \"ratio\": time from the leaves / time with the kept \
         tree, same run)"
    );
}
