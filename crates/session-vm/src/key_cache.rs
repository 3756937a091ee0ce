//! Registered public keys kept in memory, prepared for verification.
//!
//! A participant's key never changes (its ID is the hash of the key), so a
//! cached key is never stale. Every send is verified against its sender's
//! key; a [prepared](PublicIdentity::prepare) key skips the half of an
//! ML-DSA-65 verification that depends on the key alone. The cache keeps the
//! most recently used senders, bounded by count.

use std::num::NonZeroUsize;

use lru::LruCache;
use parking_lot::Mutex;
use session_core::Id;
use session_crypto::PublicIdentity;

use crate::error::Result;

/// How many keys a [`KeyCache`] keeps by default. A prepared key takes
/// about 40 KiB with its public identity, so this is ~40 MiB at most.
pub const DEFAULT_KEY_CACHE_SIZE: usize = 1024;

/// The most recently used participant keys, prepared for verification.
///
/// ```
/// use session_core::Id;
/// use session_crypto::Identity;
/// use session_vm::KeyCache;
///
/// let alice = Identity::generate();
/// let id = Id::new(alice.id().0);
/// let cache = KeyCache::new(2);
/// let key = cache.get_or_load(&id, || Ok(alice.public().clone()))?;
/// assert!(key.is_prepared());
/// // A hit does not load again.
/// let again = cache.get_or_load(&id, || unreachable!())?;
/// assert_eq!(again, key);
/// # Ok::<(), session_vm::Error>(())
/// ```
pub struct KeyCache {
    keys: Mutex<LruCache<Id, PublicIdentity>>,
}

impl KeyCache {
    /// A cache of at most `capacity` keys (at least one).
    pub fn new(capacity: usize) -> Self {
        Self {
            keys: Mutex::new(LruCache::new(
                NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }

    /// The prepared key of participant `id`; on a miss, `load` supplies it
    /// (it must be the key whose hash is `id`) and it is prepared and kept.
    /// Loading and preparing run outside the cache's lock.
    pub fn get_or_load(
        &self,
        id: &Id,
        load: impl FnOnce() -> Result<PublicIdentity>,
    ) -> Result<PublicIdentity> {
        if let Some(key) = self.keys.lock().get(id) {
            return Ok(key.clone());
        }
        let key = load()?;
        key.prepare();
        self.keys.lock().put(*id, key.clone());
        Ok(key)
    }

    /// How many keys it keeps at most.
    pub fn capacity(&self) -> usize {
        self.keys.lock().cap().get()
    }

    /// Drops every key (they are loaded again when next needed).
    pub fn clear(&self) {
        self.keys.lock().clear();
    }

    /// Keys held now.
    pub fn len(&self) -> usize {
        self.keys.lock().len()
    }

    /// Whether no key is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
            .field("len", &self.len())
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
                .get_or_load(&id_of(&people[i]), || {
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
            .get_or_load(&id, || Err(crate::Error::Corrupt("participant key".into())))
            .unwrap_err();
        assert!(matches!(err, crate::Error::Corrupt(_)));
        assert!(cache.is_empty());
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
    }
}
