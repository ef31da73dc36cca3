"""The ``http`` connector kind against a real local server: signing, results, error classes, redirects."""

from __future__ import annotations

import json

import pytest

from connectors.exceptions import ConnectorConfigInvalid, ConnectorRejected, ConnectorUnavailable
from connectors.registries import connector_kind_registry
from connectors.signing import DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, verify
from tests.connectors.conftest import SECRET
from tests.connectors.webhook_server import Reply


def http():
    return connector_kind_registry.get("http")


def config(url: str, **extra):
    return {"url": url, "secret": SECRET, "timeout": 2, **extra}


def test_http_is_registered_once_in_the_registry():
    assert "http" in connector_kind_registry.types()


def test_call_posts_signed_json_and_returns_the_answer(webhook):
    webhook.replies.append(Reply(200, {"data": {"contract_no": "HT-1"}}))
    result = http().call("register", {"amount": 8000, "title": "服务器采购"},
                         config(webhook.url, headers={"X-Api-Key": "k1"}), key="legal", delivery_id="outbox:7")
    assert result == {"data": {"contract_no": "HT-1"}}
    (got,) = webhook.received
    assert got.path == "/hook"
    assert got.json() == {"operation": "register", "input": {"amount": 8000, "title": "服务器采购"}}
    assert got.headers[SIGNATURE_HEADER] == sign(SECRET, got.headers[TIMESTAMP_HEADER], got.body)
    assert verify(SECRET, got.headers[TIMESTAMP_HEADER], got.body, got.headers[SIGNATURE_HEADER])
    assert not verify("another-secret-0123456789", got.headers[TIMESTAMP_HEADER], got.body,
                      got.headers[SIGNATURE_HEADER])
    assert got.headers[DELIVERY_HEADER] == "outbox:7"
    assert got.headers["X-Api-Key"] == "k1"


def test_signature_refuses_old_timestamps():
    body = b"{}"
    assert verify(SECRET, "1000", body, sign(SECRET, "1000", body), now=1100)
    assert not verify(SECRET, "1000", body, sign(SECRET, "1000", body), now=2000)
    assert not verify(SECRET, "x", body, sign(SECRET, "x", body))


@pytest.mark.parametrize("status", [500, 502, 503, 429, 408])
def test_server_trouble_is_retryable(webhook, status):
    webhook.replies.append(Reply(status, {"error": "busy"}, headers={"Retry-After": "120"}))
    with pytest.raises(ConnectorUnavailable) as info:
        http().call(None, {}, config(webhook.url))
    assert info.value.retryable and info.value.code == "connector_unavailable"
    assert info.value.retry_after == 120
    assert f"HTTP {status}" in info.value.formatted()


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_not_retryable(webhook, status):
    webhook.replies.append(Reply(status, {"error": "no", "secret_detail": "身份证 110101..."}))
    with pytest.raises(ConnectorRejected) as info:
        http().call(None, {}, config(webhook.url))
    assert not info.value.retryable and info.value.code == "connector_rejected"
    assert "110101" not in info.value.formatted()  # the remote's body never reaches the message


def test_timeout_and_refused_connection_are_retryable(webhook):
    webhook.replies.append(Reply(200, {}, delay=1.5))
    with pytest.raises(ConnectorUnavailable, match="no answer within 0.3 s"):
        http().call(None, {}, config(webhook.url, timeout=0.3))
    port = webhook.port
    webhook.__exit__()
    with pytest.raises(ConnectorUnavailable):
        http().call(None, {}, config(f"http://127.0.0.1:{port}/hook", timeout=1))


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", json.dumps("text").encode()])
def test_answers_that_are_not_a_json_object_are_refused(webhook, body):
    webhook.replies.append(Reply(200, body))
    with pytest.raises(ConnectorRejected):
        http().call(None, {}, config(webhook.url))


def test_empty_answer_is_an_empty_result(webhook):
    webhook.replies.append(Reply(200, b""))
    assert http().call(None, {}, config(webhook.url)) == {}


def test_redirect_to_another_host_is_not_followed(webhook):
    webhook.replies.append(Reply(307, {}, headers={"Location": "http://example.invalid/steal"}))
    with pytest.raises(ConnectorRejected, match="another host"):
        http().call(None, {}, config(webhook.url))
    assert len(webhook.received) == 1


def test_redirect_on_the_same_origin_keeps_method_and_body(webhook):
    webhook.replies.append(Reply(308, {}, headers={"Location": "/hook/v2"}))
    webhook.replies.append(Reply(200, {"ok": 1}))
    assert http().call("op", {"a": 1}, config(webhook.url)) == {"ok": 1}
    first, second = webhook.received
    assert second.path == "/hook/v2" and second.body == first.body


def test_other_redirects_are_refused(webhook):
    webhook.replies.append(Reply(302, {}, headers={"Location": "/elsewhere"}))
    with pytest.raises(ConnectorRejected, match="redirect not followed"):
        http().call(None, {}, config(webhook.url))


@pytest.mark.parametrize("cfg, path", [
    ({"url": "ftp://example.com/x", "secret": SECRET}, "url"),
    ({"url": "file:///etc/passwd", "secret": SECRET}, "url"),
    ({"url": "http://user:pw@example.com/x", "secret": SECRET}, "url"),
    ({"url": "https://example.com/x", "secret": "short"}, "secret"),
    ({"url": "https://example.com/x"}, "config"),
    ({"url": "https://example.com/x", "secret": SECRET, "timeout": 600}, "timeout"),
    ({"url": "https://example.com/x", "secret": SECRET, "headers": {"X-Qiaoban-Signature": "x"}}, "headers"),
    ({"url": "https://example.com/x", "secret": SECRET, "verify": False}, "config"),
])
def test_config_is_checked(cfg, path):
    with pytest.raises(ConnectorConfigInvalid) as info:
        http().check_config("legal", cfg)
    assert info.value.code == "connector_config_invalid"
    assert info.value.details == {"path": path}


def test_public_config_masks_the_secret():
    assert http().public_config({"url": "https://x.example", "secret": SECRET}) == {
        "url": "https://x.example", "secret": "***"}
