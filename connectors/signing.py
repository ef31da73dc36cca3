"""Webhook signatures: HMAC-SHA256 over ``"<timestamp>.<body>"`` with the connector's shared secret.

The receiver recomputes the digest from the ``X-Qiaoban-Timestamp`` header and the raw
body, compares in constant time and refuses old timestamps (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Qiaoban-Signature"
TIMESTAMP_HEADER = "X-Qiaoban-Timestamp"
DELIVERY_HEADER = "X-Qiaoban-Delivery"  # stable across retries of one outbox row: receivers de-duplicate on it
SCHEME = "sha256"
DEFAULT_TOLERANCE = 300  # seconds


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """Return the signature header value ``sha256=<hex>`` for ``body`` sent at ``timestamp``."""
    message = str(timestamp).encode("ascii") + b"." + body
    return f"{SCHEME}=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, tolerance: int = DEFAULT_TOLERANCE,
           now: float | None = None) -> bool:
    """True when ``signature`` matches and ``timestamp`` is within ``tolerance`` seconds of now."""
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except (TypeError, ValueError):
        return False
    if age > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature or "")
