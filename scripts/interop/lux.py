"""Lux Session formats, implemented from their specifications on top of the
independent ML-KEM / ML-DSA implementations in kyber-py and dilithium-py.

- identity: public identity = kem_pk || dsa_pk, ID = "07" + hex(Blake2b-256)
- compat (Go reference): kem_ct || nonce(24) || XChaCha20-Poly1305(key = ss)
- envelope v2: docs/envelope.md
- legacy 05: Ed25519 + libsodium-style X25519, box from session_crypto::legacy
"""

from dilithium_py.ml_dsa import ML_DSA_65
from kyber_py.ml_kem import ML_KEM_768

from primitives import (
    blake2b_256,
    ed25519_pk_to_x25519,
    ed25519_public_key,
    ed25519_sk_to_x25519,
    hkdf_sha256,
    x25519,
    xchacha20poly1305_decrypt,
)

KEM_CT_LEN = 1088
SIG_LEN = 3309
LABEL = b"lux-session/envelope/v2"
KDF_LABEL = b"lux-session/envelope/v2/aead"
SIG_LABEL = b"lux-session/envelope/v2/sig"
HEADER_LEN = 1 + KEM_CT_LEN + 32


class Identity:
    """A post-quantum identity derived from its seeds with kyber-py / dilithium-py."""

    def __init__(self, kem_seed: bytes, dsa_seed: bytes):
        self.ek, self.dk = ML_KEM_768.key_derive(kem_seed)
        self.pk, self.sk = ML_DSA_65.key_derive(dsa_seed)
        self.public = self.ek + self.pk
        self.id = blake2b_256(self.public)

    def id_text(self):
        return "07" + self.id.hex()


def split_public(public: bytes):
    assert len(public) == 1184 + 1952
    return public[:1184], public[1184:]


def compat_decrypt(recipient: Identity, data: bytes) -> bytes:
    ss = ML_KEM_768.decaps(recipient.dk, data[:KEM_CT_LEN])
    nonce = data[KEM_CT_LEN : KEM_CT_LEN + 24]
    return xchacha20poly1305_decrypt(ss, nonce, data[KEM_CT_LEN + 24 :])


def compat_verify(dsa_pk: bytes, signed: bytes) -> bytes:
    sig, msg = signed[:SIG_LEN], signed[SIG_LEN:]
    if not ML_DSA_65.verify(dsa_pk, msg, sig):
        raise ValueError("compat signature does not verify")
    return msg


def bucket(n: int) -> int:
    if n <= 65536:
        b = 256
        while b < n:
            b *= 2
        return b
    return -(-n // 65536) * 65536


def envelope_open(recipient: Identity, context: bytes, env: bytes, sender_public: bytes):
    """Opens an envelope v2 exactly as docs/envelope.md describes.

    Returns (sender_id, plaintext, intermediates)."""
    assert env[0] == 0x02, "version"
    header, body = env[:HEADER_LEN], env[HEADER_LEN:]
    kem_ct, recipient_id = header[1 : 1 + KEM_CT_LEN], header[1 + KEM_CT_LEN :]
    assert recipient_id == recipient.id, "recipient"
    ss = ML_KEM_768.decaps(recipient.dk, kem_ct)
    ct_hash, ctx_hash = blake2b_256(kem_ct), blake2b_256(context)
    okm = hkdf_sha256(LABEL, ss, KDF_LABEL + b"\x02" + recipient_id + ct_hash + ctx_hash, 56)
    key, nonce = okm[:32], okm[32:]
    inner = xchacha20poly1305_decrypt(key, nonce, body, header)
    sender_id, sig, padded = inner[:32], inner[32 : 32 + SIG_LEN], inner[32 + SIG_LEN :]
    n = int.from_bytes(padded[:4], "big")
    assert len(padded) == bucket(4 + n), "bucket"
    assert all(b == 0 for b in padded[4 + n :]), "padding"
    plaintext = padded[4 : 4 + n]
    assert blake2b_256(sender_public) == sender_id, "sender"
    stmt = SIG_LABEL + b"\x02" + ctx_hash + sender_id + recipient_id + ct_hash + blake2b_256(plaintext)
    _, dsa_pk = split_public(sender_public)
    if not ML_DSA_65.verify(dsa_pk, stmt, sig, ctx=LABEL):
        raise ValueError("envelope signature does not verify")
    return sender_id, plaintext, {"shared_secret": ss, "aead_key": key, "aead_nonce": nonce, "statement": stmt}


MANY_LABEL = b"lux-session/envelope/v3"
ENTRY_LEN = 32 + KEM_CT_LEN + 48


def envelope_open_many(recipient: Identity, context: bytes, env: bytes, sender_public: bytes):
    """Opens a multi-recipient envelope v3 as docs/envelope.md describes.

    Returns (sender_id, plaintext, recipient_ids)."""
    assert env[0] == 0x03, "version"
    n = int.from_bytes(env[1:3], "big")
    assert 1 <= n <= 1024, "count"
    header, body = env[: 3 + n * ENTRY_LEN], env[3 + n * ENTRY_LEN :]
    entries = [header[3 + i * ENTRY_LEN : 3 + (i + 1) * ENTRY_LEN] for i in range(n)]
    ids = [e[:32] for e in entries]
    assert len(set(ids)) == n, "duplicate recipient"
    mine = [e for e in entries if e[:32] == recipient.id]
    assert mine, "recipient"
    kem_ct, wrapped = mine[0][32 : 32 + KEM_CT_LEN], mine[0][32 + KEM_CT_LEN :]
    ss = ML_KEM_768.decaps(recipient.dk, kem_ct)
    ct_hash, ctx_hash = blake2b_256(kem_ct), blake2b_256(context)
    okm = hkdf_sha256(
        MANY_LABEL, ss, b"lux-session/envelope/v3/wrap\x03" + recipient.id + ct_hash + ctx_hash, 56
    )
    content_key = xchacha20poly1305_decrypt(okm[:32], okm[32:], wrapped, b"\x03" + recipient.id + ct_hash)
    okm = hkdf_sha256(MANY_LABEL, content_key, b"lux-session/envelope/v3/body\x03" + ctx_hash, 56)
    inner = xchacha20poly1305_decrypt(okm[:32], okm[32:], body, header)
    sender_id, sig, padded = inner[:32], inner[32 : 32 + SIG_LEN], inner[32 + SIG_LEN :]
    m = int.from_bytes(padded[:4], "big")
    assert len(padded) == bucket(4 + m) and all(b == 0 for b in padded[4 + m :]), "padding"
    plaintext = padded[4 : 4 + m]
    assert blake2b_256(sender_public) == sender_id, "sender"
    stmt = (
        b"lux-session/envelope/v3/sig\x03"
        + ctx_hash
        + sender_id
        + blake2b_256(b"".join(ids))
        + blake2b_256(b"".join(e[32 : 32 + KEM_CT_LEN] for e in entries))
        + blake2b_256(plaintext)
    )
    _, dsa_pk = split_public(sender_public)
    if not ML_DSA_65.verify(dsa_pk, stmt, sig, ctx=MANY_LABEL):
        raise ValueError("envelope signature does not verify")
    return sender_id, plaintext, ids


class Legacy:
    """A legacy 05 identity from its Ed25519 seed."""

    def __init__(self, seed: bytes):
        self.seed = seed
        self.ed_pk = ed25519_public_key(seed)
        self.x_sk = ed25519_sk_to_x25519(seed)
        self.x_pk = ed25519_pk_to_x25519(self.ed_pk)
        assert x25519(self.x_sk, (9).to_bytes(32, "little")) == self.x_pk

    def id_text(self):
        return "05" + self.x_pk.hex()

    def decrypt(self, data: bytes) -> bytes:
        assert data[0] == 0x01, "legacy box version"
        eph = data[1:33]
        shared = x25519(self.x_sk, eph)
        assert shared != bytes(32), "non-contributory"
        okm = hkdf_sha256(b"lux-session/legacy-box/v1", shared, eph + self.x_pk, 56)
        return xchacha20poly1305_decrypt(okm[:32], okm[32:], data[33:], b"\x01" + eph + self.x_pk)
