"""Message texts per notification kind, rendered in the recipient's language and escaped per format.

Templates are gettext msgids (English) with named parameters; zh-Hans is the default
language. Every parameter is user-provided text (request titles, app and node names,
people's names, comments), so it is escaped for the target format before it is put into
the template: HTML for e-mail, a "neutralised" form for robot markdown (see
:func:`escape_markdown`), nothing for plain text (the in-app API returns text that the
front end renders as text). The link is built by us from ``SITE_URL`` and the id.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

from platform_core.errors import gettext_noop

DEFAULT_LANGUAGE = "zh-hans"

# kind -> (subject, body). Parameters: app, title, node, actor.
TEMPLATES: dict[str, tuple[str, str]] = {
    "new_task": (gettext_noop("[%(app)s] To do: %(title)s"),
                 gettext_noop("“%(title)s” from %(actor)s is waiting for you at “%(node)s”.")),
    "reminder": (gettext_noop("[%(app)s] Reminder: %(title)s"),
                 gettext_noop("Reminder: “%(title)s” is still waiting for you at “%(node)s”.")),
    "overdue": (gettext_noop("[%(app)s] Overdue: %(title)s"),
                gettext_noop("“%(title)s” passed its deadline at “%(node)s” and is still not done.")),
    "escalated": (gettext_noop("[%(app)s] Escalated: %(title)s"),
                  gettext_noop("“%(title)s” waited too long at “%(node)s” and was escalated to you.")),
    "approved": (gettext_noop("[%(app)s] Approved: %(title)s"),
                 gettext_noop("Your request “%(title)s” was approved.")),
    "rejected": (gettext_noop("[%(app)s] Rejected: %(title)s"),
                 gettext_noop("Your request “%(title)s” was rejected by %(actor)s at “%(node)s”.")),
    "returned": (gettext_noop("[%(app)s] Returned: %(title)s"),
                 gettext_noop("Your request “%(title)s” was returned to you by %(actor)s at “%(node)s”; "
                              "change it and submit it again.")),
    "cc": (gettext_noop("[%(app)s] Copied to you: %(title)s"),
           gettext_noop("You were copied on “%(title)s” by %(actor)s.")),
    "urged": (gettext_noop("[%(app)s] Please hurry: %(title)s"),
              gettext_noop("%(actor)s asks you to handle “%(title)s” soon.")),
    "transferred": (gettext_noop("[%(app)s] Transferred to you: %(title)s"),
                    gettext_noop("%(actor)s transferred “%(title)s” at “%(node)s” to you.")),
    "withdrawn": (gettext_noop("[%(app)s] Withdrawn: %(title)s"),
                  gettext_noop("%(actor)s withdrew “%(title)s”; your task there is cancelled.")),
    "handed_over": (gettext_noop("[%(app)s] Handed over: %(title)s"),
                    gettext_noop("“%(title)s” waited too long for you at “%(node)s” and was handed over to "
                                 "someone else; you need not act on it any more.")),
    "error": (gettext_noop("[%(app)s] Needs attention: %(title)s"),
              gettext_noop("“%(title)s” stopped at “%(node)s” with an error; an administrator has to retry it.")),
}
COMMENT_LINE = gettext_noop("Comment: %(comment)s")
OPEN_LINK = gettext_noop("Open the request")
SYSTEM_ACTOR = gettext_noop("The system")
UNKNOWN_NODE = gettext_noop("a step")
DIGEST_SUBJECT_SINGULAR = gettext_noop("%(count)s reminder is waiting for you")
DIGEST_SUBJECT_PLURAL = gettext_noop("%(count)s reminders are waiting for you")
DIGEST_INTRO = gettext_noop("These requests are still waiting for you:")
DIGEST_LINE = gettext_noop("“%(title)s” at “%(node)s” (%(app)s)")

# Characters with a meaning in DingTalk / WeCom markdown (links, emphasis, headings, HTML-like
# tags such as <font> and WeCom's <@userid> mention, @mobile mentions, tables). Robot markdown
# renderers are not CommonMark and backslash escapes are not reliable there, so user text gets
# the full-width twin of each: it reads the same and means nothing.
_MARKDOWN_TWINS = str.maketrans({
    "\\": "＼", "`": "｀", "*": "＊", "_": "＿", "{": "｛", "}": "｝", "[": "［", "]": "］", "(": "（",
    ")": "）", "#": "＃", "+": "＋", "!": "！", "<": "＜", ">": "＞", "|": "｜", "~": "～", "@": "＠",
    "&": "＆", "=": "＝", "$": "＄", "\r": " ", "\n": " ", "\t": " ",
})


def escape_markdown(value: Any) -> str:
    """User text made inert for robot markdown: no links, tags, mentions, emphasis or line breaks."""
    text = str(value).translate(_MARKDOWN_TWINS)
    # Bare URLs are linked automatically by the renderers; break the scheme and the www. prefix.
    return text.replace("://", "：//").replace("www.", "www．").replace("WWW.", "WWW．")


def escape_html(value: Any) -> str:
    """User text for HTML e-mail."""
    return html.escape(str(value), quote=True)


def plain(value: Any) -> str:
    """User text for plain text (one line)."""
    return " ".join(str(value).split())


def normalise_language(code: str | None) -> str:
    """``en`` or ``zh-hans`` (the default) from a user's or request's language code."""
    code = (code or "").lower()
    return "en" if code.startswith("en") else DEFAULT_LANGUAGE


def language_of(user: Any) -> str:
    """The language notifications are written in for ``user`` (their profile language, else zh-Hans)."""
    return normalise_language(getattr(user, "language", "") or settings.LANGUAGE_CODE)


def instance_url(instance_id: Any) -> str:
    """The request's page in the web UI: ``SITE_URL`` + ``/app/instances/<id>``."""
    return f"{str(settings.SITE_URL).rstrip('/')}/app/instances/{int(instance_id)}"


def _pick(value: Any, lang: str) -> str:
    if isinstance(value, Mapping):
        if lang == "en":
            return str(value.get("en") or value.get("zh") or "")
        return str(value.get("zh") or value.get("en") or "")
    return str(value or "")


@dataclass(frozen=True)
class Rendered:
    """One message: subject and body in one format, plus the link (``None`` without a request)."""

    subject: str
    body: str
    url: str | None


def _values(params: Mapping[str, Any], lang: str, esc: Callable[[Any], str]) -> dict[str, str]:
    return {
        "app": esc(_pick(params.get("app"), lang)),
        "title": esc(_pick(params.get("title"), lang)),
        "node": esc(_pick(params.get("node"), lang) or gettext(UNKNOWN_NODE)),
        "actor": esc(_pick(params.get("actor"), lang) or gettext(SYSTEM_ACTOR)),
    }


ESCAPERS: dict[str, Callable[[Any], str]] = {"text": plain, "html": escape_html, "markdown": escape_markdown}


def render(kind: str, params: Mapping[str, Any], *, lang: str, fmt: str = "text") -> Rendered:
    """Subject and body of one notification in ``lang`` (``en``/``zh-hans``) and ``fmt`` (text/html/markdown).

    The subject is one line of plain text, escaped too for markdown (robots show it as a title,
    and WeCom's message puts it in the markdown body).
    """
    esc = ESCAPERS[fmt]
    subject_esc = escape_markdown if fmt == "markdown" else plain
    subject_tpl, body_tpl = TEMPLATES.get(kind, TEMPLATES["error"])
    with translation.override(lang):
        subject = gettext(subject_tpl) % _values(params, lang, subject_esc)
        body = gettext(body_tpl) % _values(params, lang, esc)
        comment = params.get("comment")
        if comment:
            body += ("<br>" if fmt == "html" else "\n\n" if fmt == "markdown" else "\n") + \
                gettext(COMMENT_LINE) % {"comment": esc(comment)}
        link_label = gettext(OPEN_LINK)
    url = instance_url(params["instance_id"]) if params.get("instance_id") else None
    if url:
        if fmt == "html":
            body += f'<br><a href="{escape_html(url)}">{escape_html(link_label)}</a>'
        elif fmt == "markdown":
            body += f"\n\n[{link_label}]({url})"
        else:
            body += f"\n{link_label}: {url}"
    return Rendered(plain(subject)[:200], body, url)


def render_digest(items: list[Mapping[str, Any]], *, lang: str, fmt: str = "text") -> Rendered:
    """One message listing the reminders of a digest period (each with its link)."""
    esc = ESCAPERS[fmt]
    count = len(items)
    with translation.override(lang):
        subject = ngettext(DIGEST_SUBJECT_SINGULAR, DIGEST_SUBJECT_PLURAL, count) % {"count": count}
        lines = []
        for params in items:
            line = gettext(DIGEST_LINE) % _values(params, lang, esc)
            url = instance_url(params["instance_id"]) if params.get("instance_id") else None
            if url and fmt == "html":
                line = f'<a href="{escape_html(url)}">{line}</a>'
            elif url and fmt == "markdown":
                line = f"{line} [{gettext(OPEN_LINK)}]({url})"
            elif url:
                line = f"{line}: {url}"
            lines.append(line)
        intro = gettext(DIGEST_INTRO)
    if fmt == "html":
        body = escape_html(intro) + "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"
    elif fmt == "markdown":
        body = intro + "\n\n" + "\n".join(f"- {line}" for line in lines)
    else:
        body = intro + "\n" + "\n".join(f"- {line}" for line in lines)
    return Rendered(subject, body, None)
