"""A software WebAuthn authenticator that speaks the wire format a browser hands to a server.

It reads the options JSON Twofold returns (what `parseCreationOptionsFromJSON` and
`parseRequestOptionsFromJSON` take) and answers with the JSON of `credential.toJSON()`: ES256
key pairs, authenticator data, client data JSON, attestation "none". Arguments let a test play
a phishing page (another origin), another site (another RP id) or a cloned key (a counter
going backwards).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import encode_cbor

from tests.support.graphql import ORIGIN

_UP, _UV, _BE, _BS, _AT = 0x01, 0x04, 0x08, 0x10, 0x40


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Credential:
    credential_id: bytes
    private_key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    sign_count: int = 0


class SoftwareAuthenticator:
    """One authenticator holding any number of credentials (a key with several accounts)."""

    def __init__(self, *, backup_eligible: bool = False, counts: bool = True) -> None:
        self.credentials: list[Credential] = []
        self.backup_eligible = backup_eligible
        self.counts = counts

    def _flags(self, user_verified: bool) -> int:
        flags = _UP | (_UV if user_verified else 0)
        if self.backup_eligible:
            flags |= _BE | _BS
        return flags

    def create(
        self,
        options_json: str,
        *,
        origin: str = ORIGIN,
        rp_id: str | None = None,
        user_verified: bool = True,
    ) -> str:
        """`navigator.credentials.create` then `credential.toJSON()`, as a string."""
        options = json.loads(options_json)
        rp = rp_id or options["rp"]["id"]
        key = ec.generate_private_key(ec.SECP256R1())
        numbers = key.public_key().public_numbers()
        cose = {
            1: 2,  # kty: EC2
            3: -7,  # alg: ES256
            -1: 1,  # crv: P-256
            -2: numbers.x.to_bytes(32, "big"),
            -3: numbers.y.to_bytes(32, "big"),
        }
        credential = Credential(
            os.urandom(32), key, rp, _unb64url(options["user"]["id"]), sign_count=0
        )
        self.credentials.append(credential)
        auth_data = (
            hashlib.sha256(rp.encode()).digest()
            + bytes([self._flags(user_verified) | _AT])
            + struct.pack(">I", credential.sign_count)
            + bytes(16)  # AAGUID: none
            + struct.pack(">H", len(credential.credential_id))
            + credential.credential_id
            + encode_cbor(cose)
        )
        attestation = encode_cbor({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        return json.dumps(
            {
                "id": b64url(credential.credential_id),
                "rawId": b64url(credential.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64url(client_data),
                    "attestationObject": b64url(attestation),
                    "transports": ["usb"],
                },
                "clientExtensionResults": {},
                "authenticatorAttachment": "cross-platform",
            }
        )

    def get(
        self,
        options_json: str,
        *,
        origin: str = ORIGIN,
        rp_id: str | None = None,
        user_verified: bool = True,
        sign_count: int | None = None,
        credential: Credential | None = None,
    ) -> str:
        """`navigator.credentials.get` then `credential.toJSON()`, as a string."""
        options = json.loads(options_json)
        chosen = credential or self._allowed(options)
        if sign_count is not None:
            chosen.sign_count = sign_count
        elif self.counts:
            chosen.sign_count += 1
        rp = rp_id or options.get("rpId") or chosen.rp_id
        auth_data = (
            hashlib.sha256(rp.encode()).digest()
            + bytes([self._flags(user_verified)])
            + struct.pack(">I", chosen.sign_count)
        )
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signature = chosen.private_key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return json.dumps(
            {
                "id": b64url(chosen.credential_id),
                "rawId": b64url(chosen.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": b64url(client_data),
                    "authenticatorData": b64url(auth_data),
                    "signature": b64url(signature),
                    "userHandle": b64url(chosen.user_handle),
                },
                "clientExtensionResults": {},
                "authenticatorAttachment": "cross-platform",
            }
        )

    def _allowed(self, options: dict[str, Any]) -> Credential:
        allowed = {_unb64url(c["id"]) for c in options.get("allowCredentials", [])}
        for credential in self.credentials:
            if not allowed or credential.credential_id in allowed:
                return credential
        raise LookupError("this authenticator holds none of the allowed credentials")

    @staticmethod
    def _client_data(kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}
        ).encode()
