//! Epoch beacons: per-epoch randomness, chained by ID.

use crate::attestation::Statement;
use crate::codec::{Decode, Encode, Reader, Versioned, Writer};
use crate::domain::Domain;
use crate::error::{Error, Result};
use crate::hash::beacon_id;
use crate::id::Id;

/// An epoch's randomness, chained to the previous beacon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EpochBeacon {
    /// The epoch.
    pub epoch: u64,
    /// The epoch's randomness (VRF output or committee-attested value).
    pub randomness: Id,
    /// The previous beacon's ID ([`Id::ZERO`] for the first).
    pub previous_beacon: Id,
    /// The attestation over this beacon, once attested.
    pub attestation_id: Option<Id>,
}

impl EpochBeacon {
    /// `H("LUX:EpochBeacon:v1" ‖ epoch:u64 ‖ randomness ‖ previous_beacon)`.
    pub fn id(&self) -> Id {
        beacon_id(self.epoch, &self.randomness, &self.previous_beacon)
    }

    /// The beacon that follows `self` with `randomness`.
    pub fn next(&self, randomness: Id) -> Result<EpochBeacon> {
        Ok(EpochBeacon {
            epoch: self
                .epoch
                .checked_add(1)
                .ok_or(Error::InvalidSession("epoch counter exhausted"))?,
            randomness,
            previous_beacon: self.id(),
            attestation_id: None,
        })
    }

    /// Whether `self` directly follows `previous`.
    pub fn follows(&self, previous: &EpochBeacon) -> bool {
        previous.epoch.checked_add(1) == Some(self.epoch) && self.previous_beacon == previous.id()
    }

    /// The statement a committee attests for this beacon: domain
    /// `epoch/beacon`, subject the beacon ID, root the randomness.
    pub fn statement(&self) -> Statement {
        Statement {
            domain: Domain::EpochBeacon,
            subject_id: self.id(),
            commit_root: self.randomness,
            epoch: self.epoch,
        }
    }
}

impl Encode for EpochBeacon {
    fn encode_to(&self, w: &mut Writer) {
        w.u64(self.epoch);
        w.id(&self.randomness);
        w.id(&self.previous_beacon);
        w.option(self.attestation_id.as_ref());
    }
}

impl Decode for EpochBeacon {
    const MIN_ENCODED_LEN: usize = 8 + 32 + 32 + 1;
    fn decode_from(r: &mut Reader<'_>) -> Result<Self> {
        Ok(EpochBeacon {
            epoch: r.u64()?,
            randomness: r.id()?,
            previous_beacon: r.id()?,
            attestation_id: r.option("attestation id")?,
        })
    }
}

impl Versioned for EpochBeacon {
    const NAME: &'static str = "EpochBeacon";
    const VERSION: u8 = 1;
}
