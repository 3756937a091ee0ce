//! Registered public keys kept in memory.
//!
//! A participant's key never changes (its ID is the hash of the key), so a
//! cached key is never stale. Two tiers, each bounded by count and evicting
//! the least recently used:
//!
//! - **prepared** keys, for signature checks: every send is verified against
//!   its sender's key, and a [prepared](PublicIdentity::prepare) key skips
//!   the three quarters of an ML-DSA-65 verification that depend on the key
//!   alone. Only verification fills this tier (admission and the signature
//!   pass of foreign blocks), so it holds the most recent *senders*.
//! - **parsed** keys, for reads (GetSession lists every participant's key):
//!   small, and never prepared, so reading large sessions cannot push
//!   senders out of the prepared tier.

use std::num::NonZeroUsize;

use lru::LruCache;
use parking_lot::Mutex;
use session_core::Id;
use session_crypto::PublicIdentity;

use crate::error::Result;

/// How many prepared keys a [`KeyCache`] keeps by default. A prepared key
/// takes about 40 KiB with its public identity: ~40 MiB at most.
pub const DEFAULT_KEY_CACHE_SIZE: usize = 1024;

/// How many parsed keys (for reads) a [`KeyCache`] keeps: ~3.2 KiB each,
/// ~26 MiB at most.
pub const PARSED_KEY_CACHE_SIZE: usize = 8192;

/// Participant keys: the most recent senders' prepared for verification,
/// the most recently read ones parsed.
///
/// ```
/// use session_core::Id;
/// use session_crypto::Identity;
/// use session_vm::KeyCache;
///
/// let alice = Identity::generate();
/// let id = Id::new(alice.id().0);
/// let cache = KeyCache::new(2);
/// // A read keeps the key parsed, not prepared.
/// assert!(!cache.parsed(&id, || Ok(alice.public().clone()))?.is_prepared());
/// // Verification prepares it (without loading it again).
/// let key = cache.prepared(&id, || unreachable!())?;
/// assert!(key.is_prepared());
/// assert_eq!(cache.parsed(&id, || unreachable!())?, key);
/// # Ok::<(), session_vm::Error>(())
/// ```
pub struct KeyCache {
    tiers: Mutex<Tiers>,
}

struct Tiers {
    prepared: LruCache<Id, PublicIdentity>,
    parsed: LruCache<Id, PublicIdentity>,
}

impl KeyCache {
    /// A cache of at most `capacity` prepared keys (at least one) and
    /// [`PARSED_KEY_CACHE_SIZE`] parsed ones.
    pub fn new(capacity: usize) -> Self {
        let size = |n: usize| NonZeroUsize::new(n).unwrap_or(NonZeroUsize::MIN);
        Self {
            tiers: Mutex::new(Tiers {
                prepared: LruCache::new(size(capacity)),
                parsed: LruCache::new(size(PARSED_KEY_CACHE_SIZE)),
            }),
        }
    }

    /// The key of participant `id`, prepared, for checking its signatures.
    /// On a miss it is taken from the parsed tier or, failing that, from
    /// `load` (which must supply the key whose hash is `id`), then prepared
    /// — outside the cache's lock — and kept in the prepared tier.
    pub fn prepared(
        &self,
        id: &Id,
        load: impl FnOnce() -> Result<PublicIdentity>,
    ) -> Result<PublicIdentity> {
        let parsed = {
            let mut tiers = self.tiers.lock();
            if let Some(key) = tiers.prepared.get(id) {
                return Ok(key.clone());
            }
            // Leaves the parsed tier: prepared, it is 12x larger.
            tiers.parsed.pop(id)
        };
        let key = match parsed {
            Some(key) => key,
            None => load()?,
        };
        key.prepare();
        self.tiers.lock().prepared.put(*id, key.clone());
        Ok(key)
    }

    /// The key of participant `id` for reading: from either tier (a read
    /// does not count as use of a prepared key), else from `load` and kept
    /// parsed.
    pub fn parsed(
        &self,
        id: &Id,
        load: impl FnOnce() -> Result<PublicIdentity>,
    ) -> Result<PublicIdentity> {
        {
            let mut tiers = self.tiers.lock();
            if let Some(key) = tiers.prepared.peek(id) {
                return Ok(key.clone());
            }
            if let Some(key) = tiers.parsed.get(id) {
                return Ok(key.clone());
            }
        }
        let key = load()?;
        self.tiers.lock().parsed.put(*id, key.clone());
        Ok(key)
    }

    /// How many prepared keys it keeps at most.
    pub fn capacity(&self) -> usize {
        self.tiers.lock().prepared.cap().get()
    }

    /// Drops every key (they are loaded again when next needed).
    pub fn clear(&self) {
        let mut tiers = self.tiers.lock();
        tiers.prepared.clear();
        tiers.parsed.clear();
    }

    /// Prepared keys held now.
    pub fn len(&self) -> usize {
        self.tiers.lock().prepared.len()
    }

    /// Whether no prepared key is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Parsed (unprepared) keys held now.
    pub fn parsed_len(&self) -> usize {
        self.tiers.lock().parsed.len()
    }
}

impl Default for KeyCache {
    fn default() -> Self {
        Self::new(DEFAULT_KEY_CACHE_SIZE)
    }
}

impl std::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyCache")
            .field("prepared", &self.len())
            .field("parsed", &self.parsed_len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use session_crypto::Identity;

    fn id_of(identity: &Identity) -> Id {
        Id::new(identity.id().0)
    }

    #[test]
    fn keeps_the_most_recently_used_keys() {
        let people: Vec<Identity> = (0..3).map(|_| Identity::generate()).collect();
        let cache = KeyCache::new(2);
        let loads = std::cell::Cell::new(0);
        let get = |i: usize| {
            cache
                .prepared(&id_of(&people[i]), || {
                    loads.set(loads.get() + 1);
                    Ok(people[i].public().clone())
                })
                .unwrap()
        };
        assert!(get(0).is_prepared());
        get(1);
        get(0); // 0 is now the most recent; 1 goes next.
        assert_eq!(loads.get(), 2);
        get(2);
        assert_eq!((cache.len(), loads.get()), (2, 3));
        get(0);
        assert_eq!(loads.get(), 3, "0 was kept");
        get(1);
        assert_eq!(loads.get(), 4, "1 was evicted");
    }

    #[test]
    fn a_failed_load_is_not_kept() {
        let cache = KeyCache::new(4);
        let id = Id::new([7; 32]);
        let err = cache
            .prepared(&id, || Err(crate::Error::Corrupt("participant key".into())))
            .unwrap_err();
        assert!(matches!(err, crate::Error::Corrupt(_)));
        let err = cache
            .parsed(&id, || Err(crate::Error::Corrupt("participant key".into())))
            .unwrap_err();
        assert!(matches!(err, crate::Error::Corrupt(_)));
        assert!(cache.is_empty() && cache.parsed_len() == 0);
    }

    /// Reads never prepare keys or push senders out of the prepared tier.
    #[test]
    fn reads_leave_the_prepared_tier_alone() {
        let people: Vec<Identity> = (0..4).map(|_| Identity::generate()).collect();
        let cache = KeyCache::new(1);
        let sender = cache
            .prepared(&id_of(&people[0]), || Ok(people[0].public().clone()))
            .unwrap();
        for p in &people[1..] {
            let read = cache.parsed(&id_of(p), || Ok(p.public().clone())).unwrap();
            assert!(!read.is_prepared());
        }
        assert_eq!((cache.len(), cache.parsed_len()), (1, 3));
        // The sender is still prepared, and a read of it finds that copy.
        let again = cache.parsed(&id_of(&people[0]), || unreachable!()).unwrap();
        assert!(again.is_prepared() && again == sender);
        // Verifying a read key moves it to the prepared tier (evicting the
        // least recent sender, capacity 1) without loading it again.
        let moved = cache
            .prepared(&id_of(&people[1]), || unreachable!())
            .unwrap();
        assert!(moved.is_prepared());
        assert_eq!((cache.len(), cache.parsed_len()), (1, 2));
    }
}

#[cfg(test)]
mod chain_tests {
    use std::sync::Arc;

    use session_crypto::Identity;
    use session_store::MemoryStore;

    use crate::tx::{CreateSession, SendMessage, Tx};
    use crate::{Chain, ChainOptions, Genesis, Vm, statement};

    /// The chain's size option reaches the cache, and admission, readers and
    /// the VM share that one cache.
    #[test]
    fn chain_options_size_the_shared_cache() {
        let genesis = Genesis {
            config: crate::Config::default(),
            chain_id: None,
        };
        let vm = Vm::open(Arc::new(MemoryStore::new()), &genesis).unwrap();
        let options = ChainOptions {
            key_cache_size: 3,
            ..ChainOptions::default()
        };
        let chain = Chain::new(vm, options);
        assert_eq!(chain.with_vm(|vm| vm.key_cache().capacity()), 3);
        let chain_id = *chain.reader().chain_id();
        let (a, b) = (Identity::generate(), Identity::generate());
        let (create, sid) = CreateSession::signed(&chain_id, 0, &a, &[b.public()]);
        chain.admit(Tx::CreateSession(create)).unwrap();
        chain.seal_pending().unwrap();
        assert!(chain.with_vm(|vm| vm.key_cache().is_empty()));
        let sender = session_core::Id::new(a.id().0);
        let ct = b"hi".to_vec();
        let sig = a.sign(&statement::send_message(&chain_id, &sid, &sender, &ct));
        chain
            .admit(Tx::SendMessage(SendMessage {
                session_id: sid,
                sender,
                ciphertext: ct,
                signature: sig,
            }))
            .unwrap();
        // Admission prepared the sender's key in the VM's cache.
        assert_eq!(chain.with_vm(|vm| vm.key_cache().len()), 1);
        assert!(chain.reader().key(&sender).unwrap().is_prepared());
        // Reading the session parses the other participant's key only.
        let info = chain.reader().session(&sid).unwrap().unwrap();
        assert_eq!(info.public_keys.len(), 2);
        assert!(!info.public_keys[1].is_prepared());
        assert_eq!(chain.with_vm(|vm| vm.key_cache().len()), 1);
    }

    /// A stored key that does not hash to the ID it is filed under (a
    /// damaged store) is refused, so it is never cached for that ID.
    #[test]
    fn a_key_filed_under_another_id_is_refused() {
        use session_store::Store;

        use crate::state::{View, keys};

        let store = MemoryStore::new();
        let (a, b) = (Identity::generate(), Identity::generate());
        let id_b = session_core::Id::new(b.id().0);
        store
            .put(&keys::key(&id_b), &a.public().to_bytes())
            .unwrap();
        let view = View::new(&store, &[]);
        let err = crate::exec::load_key(&view, &id_b).unwrap_err();
        assert!(matches!(err, crate::Error::Corrupt(_)), "{err:?}");
        store
            .put(&keys::key(&id_b), &b.public().to_bytes())
            .unwrap();
        assert_eq!(crate::exec::load_key(&view, &id_b).unwrap(), *b.public());
    }
}
