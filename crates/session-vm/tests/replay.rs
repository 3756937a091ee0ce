//! Determinism: replaying a chain's blocks into a fresh state gives the same
//! state roots, the same tip and the same stored state.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use session_core::Id;
use session_crypto::Identity;
use session_store::{MemoryStore, RedbStore, Store};
use session_vm::tx::{AckMessages, CloseSession, CreateSession, SendMessage, Tx};
use session_vm::{Chain, ChainOptions, Config, Genesis, Vm, statement};

fn pid(i: &Identity) -> Id {
    Id::new(i.id().0)
}

fn dump(store: &dyn Store) -> Vec<(Vec<u8>, Vec<u8>)> {
    store.scan(b"vm:", None, usize::MAX).unwrap()
}

#[test]
fn replayed_blocks_give_the_same_state() {
    let genesis = Genesis {
        config: Config {
            genesis_time: 1_700_000_000,
            ..Config::default()
        },
        chain_id: None,
    };
    let store_a: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let chain = Chain::new(
        Vm::open(store_a.clone(), &genesis).unwrap(),
        ChainOptions::default(),
    );
    let chain_id = *chain.reader().chain_id();
    let people: Vec<Identity> = (0..4).map(|_| Identity::generate()).collect();

    // A mixed history: sessions, messages, acks, a close, a rejected replay.
    for round in 0..3u64 {
        let members = [&people[0], &people[1 + round as usize]];
        let (create, sid) =
            CreateSession::signed(&chain_id, round, members[0], &[members[1].public()]);
        chain.admit(Tx::CreateSession(create)).unwrap();
        chain.seal_pending().unwrap();
        for n in 0..5u8 {
            let from = members[usize::from(n % 2)];
            let ct = vec![n; 100 + usize::from(n)];
            let sig = from.sign(&statement::send_message(&chain_id, &sid, &pid(from), &ct));
            chain
                .admit(Tx::SendMessage(SendMessage {
                    session_id: sid,
                    sender: pid(from),
                    ciphertext: ct,
                    signature: sig,
                }))
                .unwrap();
        }
        chain.seal_pending().unwrap();
        let ack = statement::ack_messages(&chain_id, &sid, &pid(members[1]), 3);
        chain
            .admit(Tx::AckMessages(AckMessages {
                session_id: sid,
                sender: pid(members[1]),
                up_to: 3,
                signature: members[1].sign(&ack),
            }))
            .unwrap();
        if round == 1 {
            let close = statement::close_session(&chain_id, &sid, &pid(members[0]));
            chain
                .admit(Tx::CloseSession(CloseSession {
                    session_id: sid,
                    sender: pid(members[0]),
                    signature: members[0].sign(&close),
                }))
                .unwrap();
        }
        chain.seal_pending().unwrap();
    }
    let tip = chain.tip();
    assert_eq!(tip.height, 9);

    // Replay every accepted block into a fresh store, verifying each.
    let store_b: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let mut replica = Vm::open(store_b.clone(), &genesis).unwrap();
    assert_eq!(replica.chain_id(), &chain_id);
    chain.with_vm(|vm| {
        for h in 1..=tip.height {
            let id = vm.block_id_at_height(h).unwrap().unwrap();
            let block = vm.get_block(&id).unwrap().unwrap();
            let verified = replica.verify_block(&block.bytes, u64::MAX / 2).unwrap();
            assert_eq!(verified.id, id);
            replica.accept_block(&id).unwrap();
        }
    });
    assert_eq!(replica.last_accepted(), tip);
    assert_eq!(dump(&*store_a), dump(&*store_b));
}

/// A chain in memory with a fixed genesis time (which a replica needs too),
/// and two people.
fn chain_of_two() -> (Chain, Genesis, Identity, Identity) {
    let genesis = Genesis {
        config: Config {
            genesis_time: 1_700_000_000,
            ..Config::default()
        },
        chain_id: None,
    };
    let chain = Chain::new(
        Vm::open(Arc::new(MemoryStore::new()), &genesis).unwrap(),
        ChainOptions::default(),
    );
    (chain, genesis, Identity::generate(), Identity::generate())
}

#[test]
fn a_tampered_block_is_rejected_without_trace() {
    let (chain, genesis, a, b) = chain_of_two();
    let chain_id = *chain.reader().chain_id();
    let (create, _) = CreateSession::signed(&chain_id, 0, &a, &[b.public()]);
    chain.admit(Tx::CreateSession(create)).unwrap();
    chain.seal_pending().unwrap();
    let good = chain.with_vm(|vm| {
        let id = vm.block_id_at_height(1).unwrap().unwrap();
        vm.get_block(&id).unwrap().unwrap()
    });

    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let mut replica = Vm::open(store.clone(), &genesis).unwrap();
    let before = dump(&*store);
    // A flipped byte inside the signature, and a wrong state root.
    let mut bad_sig = good.bytes.to_vec();
    let n = bad_sig.len();
    bad_sig[n - 10] ^= 1;
    assert!(replica.verify_block(&bad_sig, u64::MAX / 2).is_err());
    let mut bad_root = good.bytes.to_vec();
    bad_root[60] ^= 1;
    assert!(replica.verify_block(&bad_root, u64::MAX / 2).is_err());
    for cut in [0, 1, 50, 85, n - 1] {
        assert!(
            replica
                .verify_block(&good.bytes[..cut], u64::MAX / 2)
                .is_err()
        );
    }
    assert_eq!(replica.processing_count(), 0);
    assert_eq!(dump(&*store), before);
    // The genuine block still verifies and can be rejected without trace.
    replica.verify_block(&good.bytes, u64::MAX / 2).unwrap();
    let returned = replica.reject_block(&good.id).unwrap();
    assert_eq!(returned.len(), 1);
    assert_eq!(dump(&*store), before);
}

#[test]
fn pruned_messages_leave_no_copy_in_the_block_store() {
    pruning_leaves_no_copy(Arc::new(MemoryStore::new()), None);
}

#[test]
fn pruned_messages_leave_no_copy_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let store = RedbStore::open(dir.path().join("chain.redb")).unwrap();
    pruning_leaves_no_copy(Arc::new(store), Some(dir.path()));
}

/// Every byte of every file below `dir`, recursively.
fn files_below(dir: &std::path::Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_below(&path));
        } else {
            out.push(std::fs::read(&path).unwrap());
        }
    }
    out
}

/// A message past retention is pruned from the state, its block and, when
/// `disk` is given, from every file the store keeps there.
fn pruning_leaves_no_copy(store: Arc<dyn Store>, disk: Option<&std::path::Path>) {
    let t0 = 1_700_000_000;
    let genesis = Genesis {
        config: Config {
            genesis_time: t0,
            session_ttl: 3_600,
            retention_days: 1,
            ..Config::default()
        },
        chain_id: None,
    };
    let mut vm = Vm::open(store.clone(), &genesis).unwrap();
    let chain_id = *vm.chain_id();
    let (a, b) = (Identity::generate(), Identity::generate());
    let create = |nonce: u64| {
        let (tx, sid) = CreateSession::signed(&chain_id, nonce, &a, &[b.public()]);
        (Tx::CreateSession(tx), sid)
    };
    let seal = |vm: &mut Vm, tx: &Tx, time: u64| {
        let (block, outcomes) = vm.build_block(vec![(tx.clone(), None)], time).unwrap();
        assert!(outcomes[0].is_ok(), "{outcomes:?}");
        let block = block.unwrap();
        vm.accept_block(&block.id).unwrap();
        block.id
    };
    let (tx, sid) = create(0);
    seal(&mut vm, &tx, t0 + 1);
    let secret = b"a ciphertext that must not outlive its retention".to_vec();
    let sig = a.sign(&statement::send_message(&chain_id, &sid, &pid(&a), &secret));
    let send = Tx::SendMessage(SendMessage {
        session_id: sid,
        sender: pid(&a),
        ciphertext: secret.clone(),
        signature: sig,
    });
    let with_message = seal(&mut vm, &send, t0 + 2);
    let contains = |v: &[u8]| v.windows(secret.len()).any(|w| w == secret.as_slice());
    let holds_secret = |store: &dyn Store| {
        dump(store).iter().any(|(_, v)| contains(v))
            || disk.is_some_and(|d| files_below(d).iter().any(|f| contains(f)))
    };
    assert!(holds_secret(&*store));
    if let Some(d) = disk {
        // The search sees the stored ciphertext, so its absence later means something.
        assert!(files_below(d).iter().any(|f| contains(f)));
    }
    assert_eq!(
        vm.get_block(&with_message).unwrap().unwrap().block.txs[0],
        send
    );

    // Two days later any block runs housekeeping: the message goes, everywhere.
    let (later, _) = create(1);
    seal(&mut vm, &later, t0 + 2 * 86_400);
    assert!(!holds_secret(&*store));
    assert_eq!(vm.get_block(&with_message).unwrap(), None);
    // The block is still known as accepted at its height.
    assert_eq!(vm.block_id_at_height(2).unwrap(), Some(with_message));
}

/// Blocks verified by another node check sends against the sender's cached,
/// prepared key: a forged signature must still fail there.
#[test]
fn a_forged_send_is_refused_with_the_senders_key_cached() {
    let (chain, genesis, a, b) = chain_of_two();
    let chain_id = *chain.reader().chain_id();
    let (create, sid) = CreateSession::signed(&chain_id, 0, &a, &[b.public()]);
    chain.admit(Tx::CreateSession(create)).unwrap();
    chain.seal_pending().unwrap();
    for text in [&b"first"[..], b"second"] {
        let sig = a.sign(&statement::send_message(&chain_id, &sid, &pid(&a), text));
        chain
            .admit(Tx::SendMessage(SendMessage {
                session_id: sid,
                sender: pid(&a),
                ciphertext: text.to_vec(),
                signature: sig,
            }))
            .unwrap();
        chain.seal_pending().unwrap();
    }
    let blocks: Vec<_> = chain.with_vm(|vm| {
        (1..=3)
            .map(|h| {
                let id = vm.block_id_at_height(h).unwrap().unwrap();
                vm.get_block(&id).unwrap().unwrap()
            })
            .collect()
    });

    let store: Arc<dyn Store> = Arc::new(MemoryStore::new());
    let mut replica = Vm::open(store.clone(), &genesis).unwrap();
    for block in &blocks[..2] {
        replica.verify_block(&block.bytes, u64::MAX / 2).unwrap();
        replica.accept_block(&block.id).unwrap();
    }
    let cached = replica
        .key_cache()
        .prepared(&pid(&a), || panic!("the sender's key was cached"))
        .unwrap();
    assert!(cached.is_prepared());
    let before = dump(&*store);
    let good = &blocks[2];
    let n = good.bytes.len();
    for at in [n - 10, n - 1000, n - 3000] {
        let mut forged = good.bytes.to_vec();
        forged[at] ^= 0x40;
        assert!(
            replica.verify_block(&forged, u64::MAX / 2).is_err(),
            "byte {at} from the end"
        );
    }
    assert_eq!(dump(&*store), before);
    replica.verify_block(&good.bytes, u64::MAX / 2).unwrap();
    replica.accept_block(&good.id).unwrap();
    assert_eq!(replica.last_accepted().height, 3);
}
