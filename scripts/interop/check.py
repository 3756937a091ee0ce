#!/usr/bin/env python3
"""Checks session-crypto's outputs with independent implementations.

    cargo run -p session-crypto --example interop_export -- /tmp/ours.json
    python3 scripts/interop/check.py /tmp/ours.json [VECTOR_FILE ...]

VECTOR_FILE: crates/session-crypto/tests/data/envelope_v2.json or envelope_v3.json.

Verifies, using kyber-py / dilithium-py and the pure-Python primitives here:
our public keys derive from the same seeds, our ML-KEM ciphertexts decapsulate
to our shared secrets, our hedged and deterministic ML-DSA signatures verify
(and fail for another message or context), our compat ciphertexts and signed
messages open, our envelopes (v2 and multi-recipient v3) open per
docs/envelope.md, and our legacy keys,
Ed25519 signatures and boxes check out. With a second argument, the published
envelope vectors are opened (and for v2 every intermediate value compared).
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from dilithium_py.ml_dsa import ML_DSA_65  # noqa: E402
from kyber_py.ml_kem import ML_KEM_768  # noqa: E402

import lux  # noqa: E402
from primitives import blake2b_256, ed25519_verify, self_test  # noqa: E402

B = bytes.fromhex


def check_pq(c):
    ident = lux.Identity(B(c["kem_seed"]), B(c["dsa_seed"]))
    assert ident.public.hex() == c["public_identity"], "public identity differs"
    assert ident.id_text() == c["id"], "ID differs"
    assert ML_KEM_768.decaps(ident.dk, B(c["kem_ciphertext"])).hex() == c["shared_secret"], "KEM"
    msg, ctx = B(c["message"]), B(c["context"])
    assert ML_DSA_65.verify(ident.pk, msg, B(c["signature_with_context"]), ctx=ctx), "sig+ctx"
    assert not ML_DSA_65.verify(ident.pk, msg, B(c["signature_with_context"]), ctx=b"x"), "ctx moved"
    assert ML_DSA_65.verify(ident.pk, msg, B(c["signature"])), "sig"
    assert not ML_DSA_65.verify(ident.pk, msg + b"!", B(c["signature"])), "msg moved"
    det = ML_DSA_65.sign(ident.sk, msg, ctx=ctx, deterministic=True)
    assert det.hex() == c["deterministic_signature"], "deterministic signature differs"
    assert lux.compat_decrypt(ident, B(c["compat_ciphertext"])) == msg, "compat decrypt"
    assert lux.compat_verify(ident.pk, B(c["compat_signed"])) == msg, "compat signed"


def check_envelope(e, published=False):
    sender = lux.Identity(B(e["sender_kem_seed"]), B(e["sender_dsa_seed"]))
    recipient = lux.Identity(B(e["recipient_kem_seed"]), B(e["recipient_dsa_seed"]))
    sid, pt, inter = lux.envelope_open(recipient, B(e["context"]), B(e["envelope"]), sender.public)
    assert sid == sender.id and pt.hex() == e["plaintext"], "envelope contents"
    if published:
        assert "07" + sid.hex() == e["sender_id"]
        for k in ("shared_secret", "aead_key", "aead_nonce", "statement"):
            assert inter[k].hex() == e[k], f"envelope vector {e['name']}: {k} differs"
        assert blake2b_256(B(e["plaintext"])).hex() == e["plaintext_hash"]
        # The vectors' signature is deterministic: dilithium-py must produce it too.
        det = ML_DSA_65.sign(sender.sk, inter["statement"], ctx=lux.LABEL, deterministic=True)
        assert det.hex() == e["signature"], "deterministic envelope signature differs"
    # A different context must not open.
    try:
        lux.envelope_open(recipient, B(e["context"]) + b"x", B(e["envelope"]), sender.public)
    except ValueError:
        pass
    else:
        raise AssertionError("envelope opened under the wrong context")


def check_envelope_many(e):
    sender = lux.Identity(B(e["sender_kem_seed"]), B(e["sender_dsa_seed"]))
    kem_seeds = e["recipient_kem_seeds"]
    for k, d in zip(kem_seeds, e["recipient_dsa_seeds"]):
        r = lux.Identity(B(k), B(d))
        sid, pt, ids = lux.envelope_open_many(r, B(e["context"]), B(e["envelope"]), sender.public)
        assert sid == sender.id and pt.hex() == e["plaintext"], "v3 envelope contents"
        if "recipient_ids" in e:
            assert ["07" + i.hex() for i in ids] == e["recipient_ids"]


def check_legacy(l):
    old = lux.Legacy(B(l["seed"]))
    assert old.id_text() == l["id"], "legacy ID differs"
    msg = B(l["message"])
    assert ed25519_verify(old.ed_pk, msg, B(l["signature"])), "Ed25519 signature"
    assert not ed25519_verify(old.ed_pk, msg + b"!", B(l["signature"]))
    assert old.decrypt(B(l["box"])) == msg, "legacy box"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    self_test()
    with open(sys.argv[1]) as f:
        ours = json.load(f)
    for c in ours["pq"]:
        check_pq(c)
    for e in ours["envelopes"]:
        check_envelope(e)
    for e in ours.get("envelopes_many", []):
        check_envelope_many(e)
    check_legacy(ours["legacy"])
    n = len(ours["pq"]) + len(ours["envelopes"]) + len(ours.get("envelopes_many", [])) + 1
    for path in sys.argv[2:]:
        with open(path) as f:
            vectors = json.load(f)["vectors"]
        for v in vectors:
            if "recipient_kem_seeds" in v:
                check_envelope_many(v)
            else:
                check_envelope(v, published=True)
        n += len(vectors)
    print(f"interop ok: {n} groups of session-crypto outputs accepted by kyber-py/dilithium-py")


if __name__ == "__main__":
    main()
