//! The Merkle tree of the transparency log (issue 12), as RFC 9162 (Certificate Transparency
//! v2) §2.1 defines it: the tree head of `n` leaves, the inclusion proof of a leaf, the
//! consistency proof between two sizes of the same log, and the verification of both.
//!
//! RFC 9162 §2.1.1: "The hash of a list with one entry (also known as a leaf hash) is
//! MTH({d(0)}) = HASH(0x00 || d(0))", and for `n > 1`, with `k` the largest power of two
//! smaller than `n`, "MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n]))"; the empty tree's
//! hash is the hash of the empty string. The prefixes keep a leaf from passing for a node.
//!
//! Proofs are lists of hashes whose length grows with the logarithm of the log's size. The
//! functions here take the log's leaf hashes as a slice: a service computes from what it
//! stores, a verifier needs only the proof, the sizes and the heads it kept.

use sha2::{Digest, Sha256};

/// A SHA-256 hash: a leaf hash, a node hash or a tree head.
pub type Hash = [u8; 32];

/// The hash of a leaf whose entry is `entry` (RFC 9162 §2.1.1).
pub fn leaf_hash(entry: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x00]);
    hasher.update(entry);
    hasher.finalize().into()
}

/// The hash of an interior node over its two children.
fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x01]);
    hasher.update(left);
    hasher.update(right);
    hasher.finalize().into()
}

/// The largest power of two smaller than `n` (for `n > 1`): where MTH splits a list.
fn split(n: usize) -> usize {
    debug_assert!(n > 1);
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

/// The tree head of `leaves` (leaf hashes, in log order): MTH of the list.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves {
        [] => Sha256::digest([]).into(),
        [leaf] => *leaf,
        _ => {
            let k = split(leaves.len());
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// The inclusion proof of leaf `index` in the tree of `leaves` (RFC 9162 §2.1.3.1,
/// `PATH(m, D[n])`): the hashes from the leaf's sibling up to the root's other child. `None`
/// when `index` is not a leaf of the tree.
pub fn inclusion_proof(leaves: &[Hash], index: usize) -> Option<Vec<Hash>> {
    (index < leaves.len()).then(|| {
        let mut proof = Vec::new();
        path(leaves, index, 0, leaves.len(), &mut proof);
        proof
    })
}

/// Where the proofs take their subtree hashes from: a slice of leaves (each subtree hashed
/// when asked) or a [`Tree`] (complete subtrees kept).
trait Subtrees {
    /// MTH of the `len` leaves from `start`. The proofs only ask for the subtrees of RFC 9162's
    /// recursion, whose complete parts are aligned on their size.
    fn hash(&self, start: usize, len: usize) -> Hash;
}

impl Subtrees for [Hash] {
    fn hash(&self, start: usize, len: usize) -> Hash {
        root(&self[start..start + len])
    }
}

/// `PATH(m, D[start:start+n])`, appended to `proof`.
fn path<T: Subtrees + ?Sized>(t: &T, m: usize, start: usize, n: usize, proof: &mut Vec<Hash>) {
    if n <= 1 {
        return;
    }
    let k = split(n);
    if m < k {
        path(t, m, start, k, proof);
        proof.push(t.hash(start + k, n - k));
    } else {
        path(t, m - k, start + k, n - k, proof);
        proof.push(t.hash(start, k));
    }
}

/// Whether `proof` shows that `leaf` (a leaf hash) is leaf `index` of the tree of `size`
/// leaves whose head is `head` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(leaf: &Hash, index: u64, size: u64, proof: &[Hash], head: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut fn_, mut sn) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if sn == 0 {
            return false;
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash(p, &r);
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    sn == 0 && r == *head
}

/// The consistency proof between the log's first `old_size` leaves and all of `leaves`
/// (RFC 9162 §2.1.4.1, `PROOF(m, D[n])`). `None` when `old_size` is larger than the log.
pub fn consistency_proof(leaves: &[Hash], old_size: usize) -> Option<Vec<Hash>> {
    consistency(leaves, old_size, leaves.len())
}

fn consistency<T: Subtrees + ?Sized>(t: &T, old_size: usize, size: usize) -> Option<Vec<Hash>> {
    if old_size > size {
        return None;
    }
    let mut proof = Vec::new();
    if old_size > 0 {
        subproof(t, old_size, 0, size, true, &mut proof);
    }
    Some(proof)
}

/// `SUBPROOF(m, D[start:start+n], b)`, appended to `proof`.
fn subproof<T: Subtrees + ?Sized>(
    t: &T,
    m: usize,
    start: usize,
    n: usize,
    complete: bool,
    proof: &mut Vec<Hash>,
) {
    if m == n {
        if !complete {
            proof.push(t.hash(start, n));
        }
        return;
    }
    let k = split(n);
    if m <= k {
        subproof(t, m, start, k, complete, proof);
        proof.push(t.hash(start + k, n - k));
    } else {
        subproof(t, m - k, start + k, n - k, false, proof);
        proof.push(t.hash(start, k));
    }
}

/// Whether `proof` shows that the tree of `old_size` leaves with head `old_head` is the
/// beginning of the tree of `new_size` leaves with head `new_head` (RFC 9162 §2.1.4.2): that
/// nothing the old head covered was removed, reordered or changed.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_head: &Hash,
    new_head: &Hash,
    proof: &[Hash],
) -> bool {
    if old_size > new_size {
        return false;
    }
    if old_size == new_size {
        return proof.is_empty() && old_head == new_head;
    }
    if old_size == 0 {
        // The empty tree is the beginning of every tree; there is nothing to prove.
        return proof.is_empty();
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if old_size.is_power_of_two() {
        path.push(*old_head);
    }
    path.extend_from_slice(proof);
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    let (mut fn_, mut sn) = (old_size - 1, new_size - 1);
    while fn_ & 1 == 1 {
        fn_ >>= 1;
        sn >>= 1;
    }
    let (mut fr, mut sr) = (*first, *first);
    for c in rest {
        if sn == 0 {
            return false;
        }
        if fn_ & 1 == 1 || fn_ == sn {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    sn == 0 && fr == *old_head && sr == *new_head
}

/// A log kept in memory with the hashes of its complete subtrees, so that a head or a proof
/// for any size costs O(log² n) hashes instead of rehashing every leaf: what a service answers
/// with. Level `h` holds the hash of each complete subtree of `2^h` leaves, left to right.
#[derive(Clone, Debug, Default)]
pub struct Tree {
    levels: Vec<Vec<Hash>>,
}

impl Tree {
    /// An empty log.
    pub fn new() -> Tree {
        Tree::default()
    }

    /// How many leaves the log has.
    pub fn len(&self) -> usize {
        self.levels.first().map_or(0, Vec::len)
    }

    /// Whether the log has no leaf.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends a leaf hash, and the complete subtrees it completes.
    pub fn push(&mut self, leaf: Hash) {
        let mut node = leaf;
        for height in 0.. {
            if self.levels.len() == height {
                self.levels.push(Vec::new());
            }
            let level = &mut self.levels[height];
            level.push(node);
            let n = level.len();
            if n % 2 == 1 {
                break;
            }
            node = node_hash(&level[n - 2], &level[n - 1]);
        }
    }

    /// The tree head of the first `size` leaves; `None` beyond the log.
    pub fn root(&self, size: usize) -> Option<Hash> {
        match size {
            0 => Some(Sha256::digest([]).into()),
            _ if size > self.len() => None,
            _ => Some(self.hash(0, size)),
        }
    }

    /// The inclusion proof of leaf `index` in the tree of the first `size` leaves; `None` when
    /// `index` is not a leaf of that tree or `size` is beyond the log.
    pub fn inclusion_proof(&self, index: usize, size: usize) -> Option<Vec<Hash>> {
        (index < size && size <= self.len()).then(|| {
            let mut proof = Vec::new();
            path(self, index, 0, size, &mut proof);
            proof
        })
    }

    /// The consistency proof between the first `old_size` leaves and the first `size`; `None`
    /// when `old_size > size` or `size` is beyond the log.
    pub fn consistency_proof(&self, old_size: usize, size: usize) -> Option<Vec<Hash>> {
        (size <= self.len())
            .then(|| consistency(self, old_size, size))
            .flatten()
    }
}

impl Subtrees for Tree {
    fn hash(&self, start: usize, len: usize) -> Hash {
        if len.is_power_of_two() {
            let height = len.trailing_zeros() as usize;
            if let Some(hash) = self.levels.get(height).and_then(|l| l.get(start >> height)) {
                return *hash;
            }
        }
        if len <= 1 {
            return self.levels[0][start];
        }
        let k = split(len);
        node_hash(&self.hash(start, k), &self.hash(start + k, len - k))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "unit tests")]

    use super::*;

    fn hex(hash: &Hash) -> String {
        hash.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn unhex(text: &str) -> Hash {
        let bytes: Vec<u8> = (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect();
        bytes.try_into().unwrap()
    }

    /// The reference inputs of RFC 6962's test data (Certificate Transparency), which RFC 9162
    /// hashes the same way.
    fn reference_leaves() -> Vec<Hash> {
        let entries: [&[u8]; 8] = [
            b"",
            &[0x00],
            &[0x10],
            &[0x20, 0x21],
            &[0x30, 0x31],
            &[0x40, 0x41, 0x42, 0x43],
            &[0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
            &[
                0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d,
                0x6e, 0x6f,
            ],
        ];
        entries.iter().map(|e| leaf_hash(e)).collect()
    }

    /// The reference tree heads for 0 to 8 leaves.
    const HEADS: [&str; 9] = [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    #[test]
    fn tree_heads_match_the_reference() {
        let leaves = reference_leaves();
        for n in 0..=8 {
            assert_eq!(hex(&root(&leaves[..n])), HEADS[n], "{n} leaves");
        }
    }

    #[test]
    fn proofs_match_the_reference() {
        let leaves = reference_leaves();
        // (leaf index, tree size, proof)
        let inclusion: [(usize, usize, &[&str]); 3] = [
            (
                0,
                8,
                &[
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                5,
                8,
                &[
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ],
            ),
            (
                1,
                5,
                &[
                    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                ],
            ),
        ];
        for (index, size, expected) in inclusion {
            let proof = inclusion_proof(&leaves[..size], index).unwrap();
            assert_eq!(proof.iter().map(hex).collect::<Vec<_>>(), expected);
            assert!(verify_inclusion(
                &leaves[index],
                index as u64,
                size as u64,
                &proof,
                &unhex(HEADS[size])
            ));
        }
        // (old size, new size, proof)
        let consistency: [(usize, usize, &[&str]); 3] = [
            (
                1,
                8,
                &[
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
                ],
            ),
            (
                6,
                8,
                &[
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                ],
            ),
            (
                2,
                5,
                &[
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                ],
            ),
        ];
        for (old, new, expected) in consistency {
            let proof = consistency_proof(&leaves[..new], old).unwrap();
            assert_eq!(proof.iter().map(hex).collect::<Vec<_>>(), expected);
            assert!(verify_consistency(
                old as u64,
                new as u64,
                &unhex(HEADS[old]),
                &unhex(HEADS[new]),
                &proof
            ));
        }
    }

    /// Trees of every size up to 40: every leaf's proof verifies and fails for another leaf,
    /// another index or another head; every pair of sizes is consistent, and a history with one
    /// leaf changed, removed or moved is not.
    #[test]
    fn every_proof_of_every_size_verifies_and_a_rewritten_history_does_not() {
        let leaves: Vec<Hash> = (0..40_u32).map(|i| leaf_hash(&i.to_be_bytes())).collect();
        for n in 1..=leaves.len() {
            let tree = &leaves[..n];
            let head = root(tree);
            for i in 0..n {
                let proof = inclusion_proof(tree, i).unwrap();
                let (index, size) = (i as u64, n as u64);
                assert!(verify_inclusion(&tree[i], index, size, &proof, &head));
                assert!(!verify_inclusion(
                    &leaf_hash(b"x"),
                    index,
                    size,
                    &proof,
                    &head
                ));
                assert!(!verify_inclusion(
                    &tree[i],
                    index,
                    size,
                    &proof,
                    &leaf_hash(b"x")
                ));
                if n > 1 {
                    let other = (i + 1) % n;
                    assert!(!verify_inclusion(
                        &tree[i],
                        other as u64,
                        size,
                        &proof,
                        &head
                    ));
                }
            }
            assert_eq!(inclusion_proof(tree, n), None);
            for m in 0..=n {
                let proof = consistency_proof(tree, m).unwrap();
                let old = root(&tree[..m]);
                assert!(
                    verify_consistency(m as u64, n as u64, &old, &head, &proof),
                    "{m} → {n}"
                );
            }
        }
        // One history of 20 leaves, then the same 20 rewritten, grown to 30.
        let (old_size, new_size) = (20_u64, 30_usize);
        let old_head = root(&leaves[..20]);
        let mut changed = leaves[..new_size].to_vec();
        changed[7] = leaf_hash(b"back-dated");
        let mut removed = leaves[..=new_size].to_vec();
        removed.remove(3);
        let mut moved = leaves[..new_size].to_vec();
        moved.swap(2, 11);
        for rewritten in [changed, removed, moved] {
            let proof = consistency_proof(&rewritten, 20).unwrap();
            let head = root(&rewritten);
            let size = rewritten.len() as u64;
            assert!(!verify_consistency(
                old_size, size, &old_head, &head, &proof
            ));
        }
    }

    #[test]
    fn proofs_grow_with_the_logarithm_of_the_size() {
        let leaves: Vec<Hash> = (0..1024_u32).map(|i| leaf_hash(&i.to_be_bytes())).collect();
        assert_eq!(inclusion_proof(&leaves, 517).unwrap().len(), 10);
        assert!(consistency_proof(&leaves, 300).unwrap().len() <= 2 * 10);
    }

    #[test]
    fn a_kept_tree_answers_as_the_leaves_do() {
        let leaves: Vec<Hash> = (0..70_u32).map(|i| leaf_hash(&i.to_be_bytes())).collect();
        let mut tree = Tree::new();
        assert_eq!(tree.root(0), Some(root(&[])));
        for (n, leaf) in leaves.iter().enumerate() {
            tree.push(*leaf);
            assert_eq!(tree.len(), n + 1);
        }
        for size in 0..=leaves.len() {
            let prefix = &leaves[..size];
            assert_eq!(tree.root(size), Some(root(prefix)), "head of {size}");
            for index in 0..size {
                assert_eq!(
                    tree.inclusion_proof(index, size),
                    inclusion_proof(prefix, index),
                    "inclusion of {index} in {size}"
                );
            }
            for old in 0..=size {
                assert_eq!(
                    tree.consistency_proof(old, size),
                    consistency_proof(prefix, old),
                    "consistency {old} → {size}"
                );
            }
        }
        assert_eq!(tree.root(71), None);
        assert_eq!(tree.inclusion_proof(70, 70), None);
        assert_eq!(tree.consistency_proof(5, 71), None);
        assert_eq!(tree.consistency_proof(6, 5), None);
    }
}
