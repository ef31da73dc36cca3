"""``http``: a signed JSON webhook. POST ``{"operation", "input"}`` to a URL; the JSON answer is the result.

Standard library only (``http.client``): one request per call, a timeout on every socket
operation, an HMAC-SHA256 signature over timestamp and body, no redirects except to the
same scheme, host and port (307/308, which keep method and body). Server trouble (5xx,
408, 425, 429), timeouts and refused connections are retryable; other 4xx, other
redirects and answers that are not a JSON object are not.
"""

from __future__ import annotations

import http.client
import json
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from connectors.exceptions import ConnectorConfigInvalid, ConnectorRejected, ConnectorUnavailable
from connectors.registries import ConnectorKind
from connectors.signing import DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

DEFAULT_TIMEOUT = 10.0
MAX_TIMEOUT = 60.0  # the outbox lease must outlast a call (runtime.instances.outbox.LEASE)
MAX_RESPONSE_BYTES = 1024 * 1024
MAX_REDIRECTS = 3
RETRYABLE_STATUS = frozenset({408, 425, 429})
USER_AGENT = "Qiaoban-Connector/1"
# Headers the connector sets itself; a configured header must not replace them.
RESERVED_HEADERS = frozenset(h.lower() for h in (
    "Content-Type", "Content-Length", "Host", "User-Agent", SIGNATURE_HEADER, TIMESTAMP_HEADER, DELIVERY_HEADER,
))


class HttpConnector(ConnectorKind):
    type = "http"
    label = {"zh": "HTTP 回调（JSON）", "en": "HTTP webhook (JSON)"}
    secret_keys = ("secret",)
    config_schema: Mapping[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["url", "secret"],
        "properties": {
            "url": {"type": "string", "minLength": 8, "maxLength": 2000},
            # Shared with the receiver, which checks the signature header.
            "secret": {"type": "string", "minLength": 16, "maxLength": 500},
            "timeout": {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_TIMEOUT},
            "headers": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 2000},
                        "maxProperties": 20},
        },
    }

    def check_config(self, key: str, config: Mapping[str, Any]) -> None:
        """Schema, then: an http(s) URL with a host and no credentials; no reserved headers."""
        super().check_config(key, config)
        _check_url(key, config["url"])
        reserved = sorted(h for h in config.get("headers") or {} if h.lower() in RESERVED_HEADERS)
        if reserved:
            raise ConnectorConfigInvalid(params={"key": key, "reason": f"header {reserved[0]} is set by the platform"},
                                         details={"path": "headers"})

    def call(self, operation: str | None, input: Mapping[str, Any], config: Mapping[str, Any], *,
             key: str = "", delivery_id: str | None = None) -> dict[str, Any]:
        """POST the signed envelope; return the answer's JSON object."""
        self.check_config(key, config)
        body = json.dumps({"operation": operation, "input": dict(input)}, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")
        timestamp = str(int(time.time()))
        headers = {
            **dict(config.get("headers") or {}),
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(str(config["secret"]), timestamp, body),
        }
        if delivery_id:
            headers[DELIVERY_HEADER] = delivery_id
        timeout = float(config.get("timeout") or DEFAULT_TIMEOUT)
        url = str(config["url"])
        for _ in range(MAX_REDIRECTS + 1):
            answer = _post(url, body, headers, timeout)
            if answer.status in (307, 308) and answer.location:
                target = urljoin(url, answer.location)
                if _origin(target) != _origin(url):
                    raise ConnectorRejected(params={"reason": f"HTTP {answer.status}: redirect to another host "
                                                              "not followed"})
                url = target
                continue
            return _result(answer)
        raise ConnectorRejected(params={"reason": "too many redirects"})


def _check_url(key: str, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConnectorConfigInvalid(params={"key": key, "reason": "the URL must start with http:// or https://"},
                                     details={"path": "url"})
    if parts.username or parts.password:
        raise ConnectorConfigInvalid(params={"key": key, "reason": "put credentials in headers, not in the URL"},
                                     details={"path": "url"})


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, (parts.hostname or "").lower(), port


@dataclass(frozen=True)
class _Answer:
    status: int
    reason: str
    body: bytes  # at most MAX_RESPONSE_BYTES + 1 bytes (one more tells "too large")
    location: str | None
    retry_after: float | None


def _post(url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> _Answer:
    """One POST. Network trouble is retryable."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConnectorRejected(params={"reason": "redirect to a URL that is not http(s)"})
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout,
                                           context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request("POST", path, body=body, headers=dict(headers))
        response = conn.getresponse()
        return _Answer(response.status, response.reason, response.read(MAX_RESPONSE_BYTES + 1),
                       response.getheader("Location"), _seconds(response.getheader("Retry-After")))
    except ssl.SSLCertVerificationError:
        # A certificate that does not verify will not fix itself on the next try.
        raise ConnectorRejected(params={"reason": "the server's TLS certificate is not trusted"}) from None
    except TimeoutError:
        raise ConnectorUnavailable(params={"reason": f"no answer within {timeout:g} s"}) from None
    except (OSError, http.client.HTTPException) as exc:
        raise ConnectorUnavailable(params={"reason": type(exc).__name__}) from None
    finally:
        conn.close()


def _seconds(value: str | None) -> float | None:
    """Retry-After in seconds (the HTTP-date form is ignored: the outbox's own backoff applies)."""
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def _result(response: _Answer) -> dict[str, Any]:
    status, answer = response.status, response.body
    if status in RETRYABLE_STATUS or status >= 500:
        raise ConnectorUnavailable(params={"reason": f"HTTP {status}"}, details={"status": status},
                                   retry_after=response.retry_after)
    if status >= 300:
        where = "redirect not followed" if 300 <= status < 400 else (response.reason or "refused")
        raise ConnectorRejected(params={"reason": f"HTTP {status}: {where}"}, details={"status": status})
    if len(answer) > MAX_RESPONSE_BYTES:
        raise ConnectorRejected(params={"reason": "the answer is larger than 1 MiB"}, details={"status": status})
    if not answer.strip():
        return {}
    try:
        value = json.loads(answer.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ConnectorRejected(params={"reason": "the answer is not JSON"}, details={"status": status}) from None
    if not isinstance(value, dict):
        raise ConnectorRejected(params={"reason": "the answer is not a JSON object"}, details={"status": status})
    return value
