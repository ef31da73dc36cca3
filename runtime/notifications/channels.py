"""Outside channels: e-mail through Django's mail backend, and the three group-robot webhooks.

Robot formats follow each platform's custom-robot documentation:

- **DingTalk** (钉钉自定义机器人): ``POST <webhook>&timestamp=<ms>&sign=<sign>`` with
  ``{"msgtype": "markdown", "markdown": {"title", "text"}, "at": {"atMobiles": [...],
  "isAtAll": false}}``; ``sign = urlencode(base64(HMAC-SHA256(key=secret,
  msg=f"{timestamp}\\n{secret}")))``; the answer ``{"errcode": 0, "errmsg": "ok"}``.
- **Feishu / Lark** (飞书自定义机器人): ``POST <webhook>`` with ``{"timestamp": "<s>", "sign":
  ..., "msg_type": "post", "content": {"post": {"zh_cn"|"en_us": {"title", "content":
  [[{"tag": "text", "text"}, {"tag": "a", "text", "href"}]]}}}}``; ``sign =
  base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b""))``; the answer ``{"code": 0}``.
  Rich-text ``post`` elements are plain text by construction: user text cannot become markup.
- **WeCom** (企业微信群机器人): ``POST <webhook with ?key=...>`` with ``{"msgtype": "markdown",
  "markdown": {"content"}}``, no signing (the key in the URL is the credential); mentions by
  mobile exist only for ``text`` messages, so markdown messages mention nobody; the answer
  ``{"errcode": 0, "errmsg": "ok"}``.

The HTTP round trip reuses the connector framework's standard-library client
(``connectors.connector_types.http._post``/``_result``): timeouts, size limit, retryable
5xx/429/timeouts vs. final 4xx. A JSON answer with a non-zero error code is a failure.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from connectors.connector_types.http import _post, _result
from connectors.exceptions import ConnectorError
from runtime.notifications.templates import Rendered

ROBOT_TIMEOUT = 10.0
USER_AGENT = "Qiaoban-Notifications/1"


class ChannelError(Exception):
    """Sending failed; ``retryable`` tells whether another try may succeed."""

    def __init__(self, reason: str, *, retryable: bool = True, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after


# --- e-mail ------------------------------------------------------------------------------------------

def send_email(to: str, text: Rendered, html: Rendered) -> None:
    """One message with a plain-text body and an HTML alternative (Django's configured backend)."""
    message = EmailMultiAlternatives(subject=text.subject, body=text.body, to=[to],
                                     from_email=settings.DEFAULT_FROM_EMAIL)
    message.attach_alternative(f"<html><body><p>{html.body}</p></body></html>", "text/html")
    try:
        message.send(fail_silently=False)
    except OSError as exc:  # smtplib.SMTPException is an OSError: refused, timeouts, resets
        raise ChannelError(f"mail server: {type(exc).__name__}") from None


# --- robots -------------------------------------------------------------------------------------------

def dingtalk_sign(secret: str, timestamp_ms: str) -> str:
    """DingTalk's signature: urlencode(base64(HMAC-SHA256(secret, "<timestamp>\\n<secret>")))."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def feishu_sign(secret: str, timestamp_s: str) -> str:
    """Feishu's signature: base64(HMAC-SHA256(key="<timestamp>\\n<secret>", message empty))."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


@dataclass(frozen=True)
class RobotMessage:
    """What a robot posts: the plain title, the markdown body (escaped), plain lines and the link."""

    title: str
    markdown: str
    lines: tuple[str, ...]
    url: str | None
    link_label: str
    mobiles: tuple[str, ...] = ()
    lang: str = "zh-hans"


def _with_query(url: str, **params: str) -> str:
    parts = urllib.parse.urlsplit(url)
    query = parts.query + ("&" if parts.query else "") + "&".join(f"{k}={v}" for k, v in params.items())
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def dingtalk_request(webhook: str, secret: str, msg: RobotMessage, *, now: float | None = None
                     ) -> tuple[str, dict[str, Any]]:
    """URL and JSON body of a DingTalk markdown message (signed when the robot has a secret)."""
    text = msg.markdown
    if msg.mobiles:  # DingTalk shows an @ only when the text names the mobile too
        text += "\n\n" + " ".join(f"@{m}" for m in msg.mobiles)
    body = {"msgtype": "markdown", "markdown": {"title": msg.title, "text": text},
            "at": {"atMobiles": list(msg.mobiles), "isAtAll": False}}
    url = webhook
    if secret:
        timestamp = str(int((now if now is not None else time.time()) * 1000))
        url = _with_query(webhook, timestamp=timestamp, sign=dingtalk_sign(secret, timestamp))
    return url, body


def feishu_request(webhook: str, secret: str, msg: RobotMessage, *, now: float | None = None
                   ) -> tuple[str, dict[str, Any]]:
    """URL and JSON body of a Feishu rich-text (post) message, signed in the body when there is a secret."""
    rows: list[list[dict[str, str]]] = [[{"tag": "text", "text": line}] for line in msg.lines]
    if msg.url:
        rows.append([{"tag": "a", "text": msg.link_label, "href": msg.url}])
    locale = "en_us" if msg.lang == "en" else "zh_cn"
    body: dict[str, Any] = {}
    if secret:
        timestamp = str(int(now if now is not None else time.time()))
        body.update(timestamp=timestamp, sign=feishu_sign(secret, timestamp))
    body.update(msg_type="post", content={"post": {locale: {"title": msg.title, "content": rows}}})
    return webhook, body


def wecom_request(webhook: str, secret: str, msg: RobotMessage, *, now: float | None = None
                  ) -> tuple[str, dict[str, Any]]:
    """URL and JSON body of a WeCom markdown message (the webhook's key is the credential)."""
    return webhook, {"msgtype": "markdown", "markdown": {"content": f"**{msg.title}**\n\n{msg.markdown}"}}


REQUESTS: dict[str, Callable[..., tuple[str, dict[str, Any]]]] = {
    "dingtalk": dingtalk_request, "feishu": feishu_request, "wecom": wecom_request,
}
ANSWER_CODE = {"dingtalk": "errcode", "feishu": "code", "wecom": "errcode"}


def send_robot(platform: str, webhook: str, secret: str, msg: RobotMessage) -> dict[str, Any]:
    """Post to a group robot; raise ChannelError unless it answers with code 0."""
    url, body = REQUESTS[platform](webhook, secret, msg)
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json",
               "User-Agent": USER_AGENT}
    try:
        answer = _result(_post(url, payload, headers, ROBOT_TIMEOUT))
    except ConnectorError as exc:
        raise ChannelError(str(exc.params.get("reason") or exc.code), retryable=exc.retryable,
                           retry_after=getattr(exc, "retry_after", None)) from None
    return check_answer(platform, answer)


def check_answer(platform: str, answer: Mapping[str, Any]) -> dict[str, Any]:
    """The robot's JSON answer: a non-zero ``errcode`` (DingTalk, WeCom) / ``code`` (Feishu) is a failure."""
    key = ANSWER_CODE[platform]
    code = answer.get(key, answer.get("StatusCode", 0) if platform == "feishu" else 0)
    if code not in (0, "0", None):
        # Rate limits (DingTalk 130101 / 410100, WeCom 45009, Feishu 9499/11232) may pass; others may not,
        # but a misconfigured robot gets fixed by an admin, so every code is retried within the attempt cap.
        raise ChannelError(f"{platform} answered {key}={code}", retryable=True)
    return dict(answer)
