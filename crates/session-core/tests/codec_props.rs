//! Property tests: `decode(encode(x)) == x` for every stored and wire type,
//! and no input makes a decoder or verifier panic.

#![allow(clippy::unwrap_used)]

use proptest::collection::vec;
use proptest::prelude::*;
use session_core::merkle::{ConsistencyProof, InclusionProof};
use session_core::{
    Attestation, Committee, Domain, EpochBeacon, EquivocationEvidence, Id, OracleRecord,
    OracleRequest, QuorumCertificate, Receipt, ReceiptProof, RequestKind, Session, SessionState,
    Statement, Step, StepKind, StepState, Versioned, fuzz,
};
use session_crypto::{SIGNATURE_LEN, Signature};

fn arb_id() -> impl Strategy<Value = Id> {
    any::<[u8; 32]>().prop_map(Id)
}

fn arb_sig() -> impl Strategy<Value = Signature> {
    vec(any::<u8>(), SIGNATURE_LEN).prop_map(|b| Signature::from_bytes(&b).unwrap())
}

fn arb_domain() -> impl Strategy<Value = Domain> {
    prop::sample::select(Domain::ALL.to_vec())
}

fn arb_statement() -> impl Strategy<Value = Statement> {
    (arb_domain(), arb_id(), arb_id(), any::<u64>()).prop_map(
        |(domain, subject_id, commit_root, epoch)| Statement {
            domain,
            subject_id,
            commit_root,
            epoch,
        },
    )
}

fn arb_attestation() -> impl Strategy<Value = Attestation> {
    (arb_statement(), arb_id(), arb_sig()).prop_map(|(statement, signer, signature)| Attestation {
        statement,
        signer,
        signature,
    })
}

fn arb_step_kind() -> impl Strategy<Value = StepKind> {
    prop_oneof![
        (".{0,40}", vec(any::<u8>(), 0..64))
            .prop_map(|(function, args)| StepKind::Compute { function, args }),
        (".{0,80}", vec(any::<u8>(), 0..64))
            .prop_map(|(url, payload)| StepKind::WriteExternal { url, payload }),
        ".{0,80}".prop_map(|url| StepKind::ReadExternal { url }),
    ]
}

fn arb_opt_id() -> impl Strategy<Value = Option<Id>> {
    prop::option::of(arb_id())
}

fn arb_step() -> impl Strategy<Value = Step> {
    (
        (
            any::<u32>(),
            arb_step_kind(),
            arb_id(),
            arb_id(),
            any::<u32>(),
        ),
        (
            arb_opt_id(),
            prop::sample::select(vec![
                StepState::Pending,
                StepState::Executing,
                StepState::Waiting,
                StepState::Completed,
                StepState::Failed,
            ]),
            arb_opt_id(),
            arb_opt_id(),
            arb_opt_id(),
        ),
    )
        .prop_map(
            |(
                (index, kind, tx_id, input_hash, retry),
                (request_id, state, output_hash, oracle_commit_root, attestation_id),
            )| Step {
                index,
                kind,
                tx_id,
                input_hash,
                retry,
                request_id,
                state,
                output_hash,
                oracle_commit_root,
                attestation_id,
            },
        )
}

#[derive(Debug, Clone)]
enum Op {
    Add(StepKind),
    Start,
    Begin,
    Retry,
    Complete(Id, Id, Id),
    Finalize(Id),
    Fail(String),
}

fn arb_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => arb_step_kind().prop_map(Op::Add),
        1 => Just(Op::Start),
        3 => Just(Op::Begin),
        1 => Just(Op::Retry),
        3 => (arb_id(), arb_id(), arb_id()).prop_map(|(a, b, c)| Op::Complete(a, b, c)),
        1 => arb_id().prop_map(Op::Finalize),
        1 => ".{0,20}".prop_map(Op::Fail),
    ]
}

/// Sessions reached by random operation sequences through the public methods.
fn arb_session() -> impl Strategy<Value = Session> {
    (
        arb_id(),
        any::<u64>(),
        arb_id(),
        vec(arb_id(), 0..8),
        vec(arb_op(), 0..40),
    )
        .prop_map(|(service, epoch, tx, mut committee, ops)| {
            committee.sort_unstable();
            committee.dedup();
            let mut s = Session::new(service, epoch, tx, committee).unwrap();
            for op in ops {
                let op_dbg = format!("{op:?}");
                let io = s.current().is_some_and(|st| st.kind.requires_oracle());
                let _ = match op {
                    Op::Add(kind) => s.add_step(kind, tx, Id::ZERO).map(drop),
                    Op::Start => s.start(),
                    Op::Begin => s.begin_step().map(drop),
                    Op::Retry => s.retry_step().map(drop),
                    Op::Complete(out, root, att) if io => {
                        s.complete_step(out, Some(root), Some(att))
                    }
                    Op::Complete(out, ..) => s.complete_step(out, None, None),
                    Op::Finalize(r) => s.finalize(r, r, r),
                    Op::Fail(why) => s.fail(&why),
                };
                if let Err(e) = s.validate() {
                    panic!("{e}: after {op_dbg}: {s:#?}");
                }
            }
            s
        })
}

fn arb_inclusion() -> impl Strategy<Value = InclusionProof> {
    (any::<u64>(), any::<u64>(), vec(arb_id(), 0..=64)).prop_map(|(leaf_index, tree_size, path)| {
        InclusionProof {
            leaf_index,
            tree_size,
            path,
        }
    })
}

fn arb_receipt() -> impl Strategy<Value = Receipt> {
    (
        arb_id(),
        any::<u32>(),
        arb_id(),
        arb_id(),
        arb_id(),
        arb_sig(),
    )
        .prop_map(
            |(session_id, step, message_hash, sender, receiver, signature)| Receipt {
                session_id,
                step,
                message_hash,
                sender,
                receiver,
                signature,
            },
        )
}

fn round_trip<T: Versioned + PartialEq + std::fmt::Debug>(value: &T) {
    let bytes = value.encode();
    assert_eq!(&T::decode(&bytes).unwrap(), value);
    // Trailing bytes and truncation are rejected.
    let mut long = bytes.clone();
    long.push(0);
    assert!(T::decode(&long).is_err());
    assert!(T::decode(&bytes[..bytes.len() - 1]).is_err());
    // An unknown version is rejected.
    let mut v = bytes;
    v[0] = v[0].wrapping_add(1);
    assert!(T::decode(&v).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn session_round_trip(s in arb_session()) {
        round_trip(&s);
        prop_assert!(matches!(
            s.state,
            SessionState::Pending | SessionState::Running | SessionState::WaitingIo
                | SessionState::Finalized | SessionState::Failed
        ));
    }

    #[test]
    fn step_round_trip(s in arb_step()) {
        round_trip(&s);
    }

    #[test]
    fn statement_and_attestation_round_trip(a in arb_attestation()) {
        round_trip(&a.statement);
        round_trip(&a);
    }

    #[test]
    fn certificate_round_trip(st in arb_statement(), sigs in vec((arb_id(), arb_sig()), 0..4)) {
        let mut signatures = sigs;
        signatures.sort_by_key(|s| s.0);
        signatures.dedup_by(|a, b| a.0 == b.0);
        round_trip(&QuorumCertificate { statement: st, signatures });
    }

    #[test]
    fn equivocation_round_trip(first in arb_attestation(), second in arb_attestation()) {
        round_trip(&EquivocationEvidence { first, second });
    }

    #[test]
    fn oracle_round_trip(
        ids in (arb_id(), arb_id(), arb_id(), arb_id()),
        step in any::<u32>(),
        retry in any::<u32>(),
        read in any::<bool>(),
        data in vec(any::<u8>(), 0..256),
        signature in arb_sig(),
    ) {
        let req = OracleRequest {
            service_id: ids.0,
            session_id: ids.1,
            step,
            retry,
            tx_id: ids.2,
            kind: if read { RequestKind::Read } else { RequestKind::Write },
            input_hash: ids.3,
        };
        round_trip(&req);
        round_trip(&OracleRecord { request_id: req.id(), submitter: ids.0, data, signature });
    }

    #[test]
    fn receipt_round_trip(receipt in arb_receipt(), proof in arb_inclusion()) {
        round_trip(&receipt);
        round_trip(&ReceiptProof { receipt, proof: proof.clone() });
        round_trip(&proof);
    }

    #[test]
    fn consistency_round_trip(old_size in any::<u64>(), new_size in any::<u64>(), path in vec(arb_id(), 0..=128)) {
        round_trip(&ConsistencyProof { old_size, new_size, path });
    }

    #[test]
    fn beacon_round_trip(epoch in any::<u64>(), r in arb_id(), p in arb_id(), a in arb_opt_id()) {
        round_trip(&EpochBeacon { epoch, randomness: r, previous_beacon: p, attestation_id: a });
    }

    #[test]
    fn committee_round_trip(service_id in arb_id(), epoch in any::<u64>(), seed in arb_id(), members in vec(arb_id(), 0..30)) {
        let mut members = members;
        members.sort_unstable();
        members.dedup();
        round_trip(&Committee { service_id, epoch, seed, members });
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Arbitrary bytes, fed to every decoder through the fuzz entry point.
    #[test]
    fn arbitrary_bytes_never_panic(data in vec(any::<u8>(), 0..512)) {
        fuzz::codec(&data);
        fuzz::merkle(&data);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Valid encodings with one byte changed or cut short.
    #[test]
    fn mutated_encodings_never_panic(s in arb_session(), pos in any::<prop::sample::Index>(), byte in any::<u8>(), cut in any::<prop::sample::Index>()) {
        let bytes = s.encode();
        let mut m = bytes.clone();
        let i = pos.index(m.len());
        m[i] = byte;
        for tag in 0..session_core::fuzz::CODEC_TYPES {
            let mut input = vec![tag];
            input.extend_from_slice(&m);
            fuzz::codec(&input);
            let mut input = vec![tag];
            input.extend_from_slice(&bytes[..cut.index(bytes.len())]);
            fuzz::codec(&input);
        }
    }
}
