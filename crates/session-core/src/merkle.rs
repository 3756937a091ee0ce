//! Merkle trees per RFC 6962 (as restated in RFC 9162 §2.1).
//!
//! - leaf hash `SHA-256(0x00 ‖ leaf)`, node hash `SHA-256(0x01 ‖ left ‖ right)`;
//! - a tree of `n > 1` leaves splits at the largest power of two below `n`
//!   (no odd-node duplication, so no CVE-2012-2459-style second preimages);
//! - the empty tree's root is `SHA-256("")`.
//!
//! Proof verification follows RFC 9162's index arithmetic, bounds every input
//! (`index < size`, at most [`MAX_INCLUSION_PATH`] or
//! [`MAX_CONSISTENCY_PATH`] hashes) and never panics.
//!
//! ```
//! use session_core::merkle::{MerkleTree, leaf_hash};
//!
//! let tree = MerkleTree::from_leaves([b"a".as_slice(), b"b", b"c"]);
//! let proof = tree.inclusion_proof(2)?;
//! proof.verify(&leaf_hash(b"c"), &tree.root())?;
//! # Ok::<(), session_core::Error>(())
//! ```

use sha2::{Digest, Sha256};

use crate::codec::{Decode, Encode, Reader, Versioned, Writer};
use crate::error::{Error, Result};
use crate::hash::hash;
use crate::id::Id;

/// Longest inclusion path accepted: one hash per level of a 2^64-leaf tree.
pub const MAX_INCLUSION_PATH: usize = 64;
/// Longest consistency path accepted (at most two hashes per level).
pub const MAX_CONSISTENCY_PATH: usize = 128;

/// `SHA-256(0x00 ‖ data)`.
pub fn leaf_hash(data: &[u8]) -> Id {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(data);
    Id(h.finalize().into())
}

/// `SHA-256(0x01 ‖ left ‖ right)`.
pub fn node_hash(left: &Id, right: &Id) -> Id {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left.as_bytes());
    h.update(right.as_bytes());
    Id(h.finalize().into())
}

/// The root of the empty tree, `SHA-256("")`.
pub fn empty_root() -> Id {
    hash(b"")
}

/// The root over already-hashed leaves (see [`leaf_hash`]).
pub fn root_from_leaf_hashes(leaf_hashes: &[Id]) -> Id {
    if leaf_hashes.is_empty() {
        return empty_root();
    }
    let mut level = leaf_hashes.to_vec();
    let mut n = level.len();
    // Bottom-up with the last odd node carried up unchanged: the same tree as
    // RFC 6962's recursive split at the largest power of two.
    while n > 1 {
        let half = n / 2;
        for i in 0..half {
            level[i] = node_hash(&level[2 * i], &level[2 * i + 1]);
        }
        if !n.is_multiple_of(2) {
            level[half] = level[n - 1];
            n = half + 1;
        } else {
            n = half;
        }
    }
    level[0]
}

/// The root over raw leaves.
pub fn root<I, T>(leaves: I) -> Id
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    let hashes: Vec<Id> = leaves.into_iter().map(|l| leaf_hash(l.as_ref())).collect();
    root_from_leaf_hashes(&hashes)
}

/// A complete tree kept in memory, for generating proofs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerkleTree {
    /// `levels[0]` holds the leaf hashes; `levels[j][i]` covers leaves
    /// `[i·2^j, min((i+1)·2^j, n))`.
    levels: Vec<Vec<Id>>,
}

impl MerkleTree {
    /// Builds a tree over already-hashed leaves.
    pub fn from_leaf_hashes(leaf_hashes: Vec<Id>) -> Self {
        let mut levels = vec![leaf_hashes];
        while let Some(last) = levels.last().filter(|l| l.len() > 1) {
            let next: Vec<Id> = last
                .chunks(2)
                .map(|pair| match pair {
                    [l, r] => node_hash(l, r),
                    [only, ..] => *only,
                    [] => empty_root(),
                })
                .collect();
            levels.push(next);
        }
        MerkleTree { levels }
    }

    /// Builds a tree over raw leaves.
    pub fn from_leaves<I, T>(leaves: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        Self::from_leaf_hashes(leaves.into_iter().map(|l| leaf_hash(l.as_ref())).collect())
    }

    /// Number of leaves.
    pub fn len(&self) -> usize {
        self.levels[0].len()
    }

    /// Whether the tree has no leaves.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The hash of leaf `index`, if it exists.
    pub fn leaf_hash(&self, index: usize) -> Option<Id> {
        self.levels[0].get(index).copied()
    }

    /// The tree's root.
    pub fn root(&self) -> Id {
        match self.levels.last().and_then(|l| l.first()) {
            Some(root) if !self.is_empty() => *root,
            _ => empty_root(),
        }
    }

    /// The root of the tree formed by the first `size` leaves.
    pub fn root_at(&self, size: usize) -> Result<Id> {
        if size > self.len() {
            return Err(Error::InvalidProof("size beyond the tree"));
        }
        if size == 0 {
            return Ok(empty_root());
        }
        Ok(self.subtree(0, size))
    }

    /// The inclusion proof (audit path) of leaf `index`.
    pub fn inclusion_proof(&self, index: usize) -> Result<InclusionProof> {
        if index >= self.len() {
            return Err(Error::InvalidProof("leaf index out of range"));
        }
        let mut path = Vec::new();
        let mut i = index;
        for level in &self.levels[..self.levels.len() - 1] {
            let sibling = i ^ 1;
            if let Some(h) = level.get(sibling) {
                path.push(*h);
            }
            i >>= 1;
        }
        Ok(InclusionProof {
            leaf_index: index as u64,
            tree_size: self.len() as u64,
            path,
        })
    }

    /// A proof that the tree of the first `old_size` leaves is a prefix of this tree.
    pub fn consistency_proof(&self, old_size: usize) -> Result<ConsistencyProof> {
        let n = self.len();
        if old_size > n {
            return Err(Error::InvalidProof("old size beyond the tree"));
        }
        let mut path = Vec::new();
        if old_size > 0 && old_size < n {
            self.subproof(old_size, 0, n, true, &mut path);
        }
        Ok(ConsistencyProof {
            old_size: old_size as u64,
            new_size: n as u64,
            path,
        })
    }

    /// RFC 6962 `SUBPROOF(m, D[start:start+n], b)`.
    fn subproof(&self, m: usize, start: usize, n: usize, complete: bool, out: &mut Vec<Id>) {
        if m == n {
            if !complete {
                out.push(self.subtree(start, n));
            }
            return;
        }
        let k = largest_power_of_two_below(n);
        if m <= k {
            self.subproof(m, start, k, complete, out);
            out.push(self.subtree(start + k, n - k));
        } else {
            self.subproof(m - k, start + k, n - k, false, out);
            out.push(self.subtree(start, k));
        }
    }

    /// `MTH(D[start:start+len])` for `len >= 1`, from the stored levels.
    fn subtree(&self, start: usize, len: usize) -> Id {
        let n = self.len();
        let level = len.next_power_of_two().trailing_zeros() as usize;
        let width = 1usize << level;
        if start.is_multiple_of(width) && start + len == (start + width).min(n) {
            return self.levels[level][start >> level];
        }
        let k = largest_power_of_two_below(len);
        node_hash(&self.subtree(start, k), &self.subtree(start + k, len - k))
    }
}

/// The largest power of two strictly below `n` (`n >= 2`).
fn largest_power_of_two_below(n: usize) -> usize {
    debug_assert!(n >= 2);
    1usize << (usize::BITS - 1 - (n - 1).leading_zeros())
}

/// An RFC 9162 inclusion proof: a leaf index, a tree size and the audit path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InclusionProof {
    /// Zero-based index of the leaf.
    pub leaf_index: u64,
    /// Number of leaves in the tree.
    pub tree_size: u64,
    /// Sibling hashes from the leaf upwards.
    pub path: Vec<Id>,
}

impl InclusionProof {
    /// The root this proof yields for `leaf_hash`, or an error if the proof is
    /// malformed for its index and size.
    pub fn root_from(&self, leaf_hash: &Id) -> Result<Id> {
        if self.path.len() > MAX_INCLUSION_PATH {
            return Err(Error::InvalidProof("path too long"));
        }
        if self.leaf_index >= self.tree_size {
            return Err(Error::InvalidProof("leaf index not below tree size"));
        }
        let mut fnode = self.leaf_index;
        let mut snode = self.tree_size - 1;
        let mut r = *leaf_hash;
        for p in &self.path {
            if snode == 0 {
                return Err(Error::InvalidProof("path longer than the tree is deep"));
            }
            if fnode & 1 == 1 || fnode == snode {
                r = node_hash(p, &r);
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            } else {
                r = node_hash(&r, p);
            }
            fnode >>= 1;
            snode >>= 1;
        }
        if snode != 0 {
            return Err(Error::InvalidProof("path shorter than the tree is deep"));
        }
        Ok(r)
    }

    /// Checks that `leaf_hash` sits at `leaf_index` in the tree with `root`.
    pub fn verify(&self, leaf_hash: &Id, root: &Id) -> Result<()> {
        if self.root_from(leaf_hash)? == *root {
            Ok(())
        } else {
            Err(Error::InvalidProof("root mismatch"))
        }
    }
}

/// An RFC 9162 consistency proof between two sizes of one append-only tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsistencyProof {
    /// Size of the older tree.
    pub old_size: u64,
    /// Size of the newer tree.
    pub new_size: u64,
    /// The proof hashes.
    pub path: Vec<Id>,
}

impl ConsistencyProof {
    /// Checks that the tree with `old_root` (of `old_size` leaves) is a prefix
    /// of the tree with `new_root` (of `new_size` leaves).
    pub fn verify(&self, old_root: &Id, new_root: &Id) -> Result<()> {
        let bad = |why| Err(Error::InvalidProof(why));
        let (m, n) = (self.old_size, self.new_size);
        if self.path.len() > MAX_CONSISTENCY_PATH {
            return bad("path too long");
        }
        if m > n {
            return bad("old size above new size");
        }
        if m == n {
            return if self.path.is_empty() && old_root == new_root {
                Ok(())
            } else {
                bad("equal sizes need equal roots and an empty path")
            };
        }
        if m == 0 {
            return if self.path.is_empty() && *old_root == empty_root() {
                Ok(())
            } else {
                bad("the empty tree needs the empty root and an empty path")
            };
        }
        let (seed, rest) = if m.is_power_of_two() {
            (*old_root, &self.path[..])
        } else {
            match self.path.split_first() {
                Some((first, rest)) => (*first, rest),
                None => return bad("empty path"),
            }
        };
        if rest.is_empty() {
            return bad("empty path");
        }
        let mut fnode = m - 1;
        let mut snode = n - 1;
        while fnode & 1 == 1 {
            fnode >>= 1;
            snode >>= 1;
        }
        let (mut fr, mut sr) = (seed, seed);
        for c in rest {
            if snode == 0 {
                return bad("path longer than the tree is deep");
            }
            if fnode & 1 == 1 || fnode == snode {
                fr = node_hash(c, &fr);
                sr = node_hash(c, &sr);
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            } else {
                sr = node_hash(&sr, c);
            }
            fnode >>= 1;
            snode >>= 1;
        }
        if snode != 0 {
            return bad("path shorter than the tree is deep");
        }
        if fr != *old_root || sr != *new_root {
            return bad("root mismatch");
        }
        Ok(())
    }
}

impl Encode for InclusionProof {
    fn encode_to(&self, w: &mut Writer) {
        w.u64(self.leaf_index);
        w.u64(self.tree_size);
        w.seq(&self.path);
    }
}

impl Decode for InclusionProof {
    const MIN_ENCODED_LEN: usize = 8 + 8 + 4;
    fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
        Ok(InclusionProof {
            leaf_index: r.u64()?,
            tree_size: r.u64()?,
            path: r.seq(MAX_INCLUSION_PATH, "inclusion path")?,
        })
    }
}

impl Versioned for InclusionProof {
    const NAME: &'static str = "InclusionProof";
    const VERSION: u8 = 1;
}

impl Encode for ConsistencyProof {
    fn encode_to(&self, w: &mut Writer) {
        w.u64(self.old_size);
        w.u64(self.new_size);
        w.seq(&self.path);
    }
}

impl Decode for ConsistencyProof {
    const MIN_ENCODED_LEN: usize = 8 + 8 + 4;
    fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
        Ok(ConsistencyProof {
            old_size: r.u64()?,
            new_size: r.u64()?,
            path: r.seq(MAX_CONSISTENCY_PATH, "consistency path")?,
        })
    }
}

impl Versioned for ConsistencyProof {
    const NAME: &'static str = "ConsistencyProof";
    const VERSION: u8 = 1;
}

#[cfg(test)]
#[path = "merkle_tests.rs"]
mod tests;
