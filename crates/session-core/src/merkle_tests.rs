use super::*;

fn h(hex: &str) -> Id {
    Id::from_hex(hex).unwrap()
}

/// The leaves of Certificate Transparency's reference tree (RFC 6962 test data,
/// as in certificate-transparency's merkle_tree_test and transparency-dev/merkle).
const CT_LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];

/// Roots of the trees of the first 1..=8 leaves.
const CT_ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

fn ct_tree() -> MerkleTree {
    MerkleTree::from_leaves(CT_LEAVES.iter().map(|l| hex::decode(l).unwrap()))
}

/// (leaf index, tree size, path) — the known inclusion proofs.
fn ct_inclusion() -> Vec<(u64, u64, Vec<Id>)> {
    vec![
        (
            0,
            8,
            vec![
                h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
                h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            ],
        ),
        (
            5,
            8,
            vec![
                h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
                h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
                h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            ],
        ),
        (
            2,
            3,
            vec![h(
                "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            )],
        ),
        (
            1,
            5,
            vec![
                h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
                h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            ],
        ),
    ]
}

/// (old size, new size, path) — the known consistency proofs.
fn ct_consistency() -> Vec<(u64, u64, Vec<Id>)> {
    vec![
        (1, 1, vec![]),
        (
            1,
            8,
            vec![
                h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
                h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            ],
        ),
        (
            6,
            8,
            vec![
                h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
                h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
                h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            ],
        ),
        (
            2,
            5,
            vec![
                h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
                h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            ],
        ),
    ]
}

#[test]
fn ct_roots() {
    assert_eq!(
        empty_root(),
        h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    );
    assert_eq!(root_from_leaf_hashes(&[]), empty_root());
    assert_eq!(MerkleTree::from_leaf_hashes(vec![]).root(), empty_root());
    let tree = ct_tree();
    for (n, want) in CT_ROOTS.iter().enumerate() {
        let leaves: Vec<Vec<u8>> = CT_LEAVES[..=n]
            .iter()
            .map(|l| hex::decode(l).unwrap())
            .collect();
        assert_eq!(root(&leaves), h(want), "root of {} leaves", n + 1);
        assert_eq!(MerkleTree::from_leaves(&leaves).root(), h(want));
        assert_eq!(tree.root_at(n + 1).unwrap(), h(want));
    }
}

#[test]
fn ct_inclusion_proofs() {
    for (index, size, path) in ct_inclusion() {
        let leaves: Vec<Vec<u8>> = CT_LEAVES[..size as usize]
            .iter()
            .map(|l| hex::decode(l).unwrap())
            .collect();
        let tree = MerkleTree::from_leaves(&leaves);
        let proof = tree.inclusion_proof(index as usize).unwrap();
        let want = InclusionProof {
            leaf_index: index,
            tree_size: size,
            path,
        };
        assert_eq!(proof, want, "generated proof ({index}, {size})");
        let leaf = leaf_hash(&leaves[index as usize]);
        let root = h(CT_ROOTS[size as usize - 1]);
        want.verify(&leaf, &root).unwrap();
        for bad in corrupt_inclusion(&want) {
            assert!(bad.verify(&leaf, &root).is_err(), "{bad:?}");
        }
        assert!(want.verify(&leaf_hash(b"WrongLeaf"), &root).is_err());
        assert!(want.verify(&leaf, &empty_root()).is_err());
    }
}

#[test]
fn ct_consistency_proofs() {
    let tree = ct_tree();
    for (m, n, path) in ct_consistency() {
        let want = ConsistencyProof {
            old_size: m,
            new_size: n,
            path,
        };
        let sub = MerkleTree::from_leaves(
            CT_LEAVES[..n as usize]
                .iter()
                .map(|l| hex::decode(l).unwrap()),
        );
        assert_eq!(sub.consistency_proof(m as usize).unwrap(), want);
        let (r1, r2) = (
            tree.root_at(m as usize).unwrap(),
            tree.root_at(n as usize).unwrap(),
        );
        want.verify(&r1, &r2).unwrap();
        if !want.path.is_empty() {
            for bad in corrupt_consistency(&want) {
                assert!(bad.verify(&r1, &r2).is_err(), "{bad:?}");
            }
            assert!(want.verify(&r2, &r1).is_err());
            assert!(want.verify(&r1, &empty_root()).is_err());
        }
    }
}

#[test]
fn consistency_edge_cases() {
    let r1 = hash(b"don't care 1");
    let r2 = hash(b"don't care 2");
    let p = |m, n, path: Vec<Id>| ConsistencyProof {
        old_size: m,
        new_size: n,
        path,
    };
    assert!(p(0, 0, vec![]).verify(&r1, &r2).is_err());
    assert!(p(1, 1, vec![]).verify(&r1, &r2).is_err());
    assert!(p(1, 1, vec![]).verify(&r2, &r2).is_ok());
    assert!(p(0, 1, vec![]).verify(&empty_root(), &r2).is_ok());
    assert!(p(1, 0, vec![]).verify(&r1, &r2).is_err());
    assert!(p(2, 1, vec![]).verify(&r1, &r2).is_err());
    assert!(p(1, 2, vec![]).verify(&r1, &r2).is_err());
    assert!(
        p(1, 1, vec![empty_root()])
            .verify(&empty_root(), &empty_root())
            .is_err()
    );
    assert!(
        p(0, 1, vec![empty_root()])
            .verify(&empty_root(), &empty_root())
            .is_err()
    );
    assert!(p(3, u64::MAX, vec![r1; 200]).verify(&r1, &r2).is_err());
}

fn corrupt_inclusion(p: &InclusionProof) -> Vec<InclusionProof> {
    let with = |i: u64, s: u64, path: Vec<Id>| InclusionProof {
        leaf_index: i,
        tree_size: s,
        path,
    };
    let (i, s, path) = (p.leaf_index, p.tree_size, p.path.clone());
    let mut out = vec![
        with(i.wrapping_sub(1), s, path.clone()),
        with(i + 1, s, path.clone()),
        with(i ^ 2, s, path.clone()),
        with(i, s * 2, path.clone()),
        with(i, s / 2, path.clone()),
        with(i, s, [path.clone(), vec![Id::ZERO]].concat()),
        with(i, s, [vec![Id::ZERO], path.clone()].concat()),
    ];
    for k in 0..path.len() {
        let mut bad = path.clone();
        bad[k].0[0] ^= 8;
        out.push(with(i, s, bad));
    }
    if !path.is_empty() {
        out.push(with(i, s, path[..path.len() - 1].to_vec()));
    }
    out
}

fn corrupt_consistency(p: &ConsistencyProof) -> Vec<ConsistencyProof> {
    let with = |m: u64, n: u64, path: Vec<Id>| ConsistencyProof {
        old_size: m,
        new_size: n,
        path,
    };
    let (m, n, path) = (p.old_size, p.new_size, p.path.clone());
    let mut out = vec![
        with(m - 1, n, path.clone()),
        with(m + 1, n, path.clone()),
        with(m ^ 2, n, path.clone()),
        with(m, n * 2, path.clone()),
        with(m, n / 2, path.clone()),
        with(m, n, vec![]),
        with(m, n, [path.clone(), vec![Id::ZERO]].concat()),
        with(m, n, [vec![Id::ZERO], path.clone()].concat()),
        with(m, n, [vec![path[0]], path.clone()].concat()),
        with(m, n, path[..path.len() - 1].to_vec()),
    ];
    for k in 0..path.len() {
        let mut bad = path.clone();
        bad[k].0[0] ^= 16;
        out.push(with(m, n, bad));
    }
    out
}

/// RFC 6962's recursive definitions, written naively, as the model.
fn mth(leaves: &[Id]) -> Id {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = largest_power_of_two_below(n);
            node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
        }
    }
}

fn path(m: usize, leaves: &[Id]) -> Vec<Id> {
    let n = leaves.len();
    if n <= 1 {
        return vec![];
    }
    let k = largest_power_of_two_below(n);
    if m < k {
        [path(m, &leaves[..k]), vec![mth(&leaves[k..])]].concat()
    } else {
        [path(m - k, &leaves[k..]), vec![mth(&leaves[..k])]].concat()
    }
}

#[test]
fn every_size_matches_the_recursive_definition() {
    let all: Vec<Id> = (0u32..70).map(|i| leaf_hash(&i.to_be_bytes())).collect();
    for n in 0..=all.len() {
        let leaves = &all[..n];
        let tree = MerkleTree::from_leaf_hashes(leaves.to_vec());
        let root = mth(leaves);
        assert_eq!(tree.root(), root, "size {n}");
        assert_eq!(root_from_leaf_hashes(leaves), root, "size {n}");
        for i in 0..n {
            let proof = tree.inclusion_proof(i).unwrap();
            assert_eq!(proof.path, path(i, leaves), "path {i} of {n}");
            proof.verify(&leaves[i], &root).unwrap();
            // Another leaf's hash never verifies at this position.
            assert!(proof.verify(&leaves[(i + 1) % n], &root).is_err() || n == 1);
        }
        assert!(tree.inclusion_proof(n).is_err());
        for m in 0..=n {
            let proof = tree.consistency_proof(m).unwrap();
            proof.verify(&mth(&leaves[..m]), &root).unwrap();
            assert_eq!(tree.root_at(m).unwrap(), mth(&leaves[..m]));
            if m > 0 && m < n {
                assert!(proof.verify(&mth(&leaves[..m - 1]), &root).is_err());
            }
        }
    }
}

#[test]
fn hostile_inclusion_proofs_fail_cleanly() {
    let leaf = leaf_hash(b"x");
    let cases = [
        (0, 0, vec![]),
        (1, 1, vec![]),
        (u64::MAX, u64::MAX, vec![leaf; 64]),
        (0, u64::MAX, vec![leaf; 64]),
        (u64::MAX - 1, u64::MAX, vec![leaf; 65]),
        (0, 1, vec![leaf]),
        (0, 2, vec![]),
    ];
    for (i, s, path) in cases {
        let p = InclusionProof {
            leaf_index: i,
            tree_size: s,
            path,
        };
        assert!(p.verify(&leaf, &leaf).is_err(), "{i} {s}");
    }
    // A single-leaf tree's root is the leaf hash and its path is empty.
    let p = InclusionProof {
        leaf_index: 0,
        tree_size: 1,
        path: vec![],
    };
    p.verify(&leaf, &leaf).unwrap();
}

#[test]
fn proofs_round_trip_through_the_codec() {
    let tree = ct_tree();
    let p = tree.inclusion_proof(5).unwrap();
    assert_eq!(InclusionProof::decode(&p.encode()).unwrap(), p);
    let c = tree.consistency_proof(3).unwrap();
    assert_eq!(ConsistencyProof::decode(&c.encode()).unwrap(), c);
    let mut long = p.encode();
    long.push(0);
    assert_eq!(InclusionProof::decode(&long), Err(Error::TrailingBytes(1)));
}
