"""RFC 6238 time-based codes with pyotp: 30 s steps, one step of drift each way. Pure."""

from __future__ import annotations

import hmac
import io
from datetime import datetime

import pyotp
import segno

STEP_SECONDS = 30
DRIFT_STEPS = 1


def time_step(at: datetime) -> int:
    return int(at.timestamp()) // STEP_SECONDS


def matching_step(secret_b32: str, code: str, at: datetime) -> int | None:
    """The time step whose code equals `code` within the drift window, else None."""
    totp = pyotp.TOTP(secret_b32, interval=STEP_SECONDS)
    current = time_step(at)
    found = None
    # Compare against every candidate so timing does not reveal which one matched.
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            found = step
    return found


def provisioning_uri(secret_b32: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret_b32, interval=STEP_SECONDS).provisioning_uri(
        name=account, issuer_name=issuer
    )


def grouped(secret_b32: str) -> str:
    """The secret in groups of four for typing into an app by hand."""
    return " ".join(secret_b32[i : i + 4] for i in range(0, len(secret_b32), 4))


def qr_code_svg(uri: str) -> str:
    """The URI as an SVG QR code with its namespace: it renders inline in a page and as an
    image (`<img src="data:image/svg+xml,...">`). No XML declaration."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(
        out, kind="svg", xmldecl=False, nl=False, scale=4, dark="#000", light="#fff"
    )
    return out.getvalue().decode()
