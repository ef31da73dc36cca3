"""The ``format`` values forms use, checked the same way by the fast path and by jsonschema.

jsonschema's own checkers depend on optional packages ("date-time" is silently
unchecked without rfc3339-validator) and include "regex", which would compile user
input; forms use this small, explicit checker instead.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from jsonschema import FormatChecker

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# RFC 3339 date-time: a time zone is required so that every stored instant is unambiguous.
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})", re.ASCII)
# Deliberately simple (one @, a dot in the domain, no spaces) and linear-time.
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+", re.ASCII)
_EMAIL_MAX = 254


def is_date(value: object) -> bool:
    """``YYYY-MM-DD`` naming a real calendar day."""
    if not isinstance(value, str):
        return True
    if not _DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_datetime(value: object) -> bool:
    """RFC 3339 date and time with a time zone, naming a real instant."""
    if not isinstance(value, str):
        return True
    if len(value) > 40 or not _DATETIME.fullmatch(value):
        return False
    try:
        parse_datetime(value)
    except ValueError:
        return False
    return True


def is_email(value: object) -> bool:
    """A plausible e-mail address (mailbox@domain.tld)."""
    if not isinstance(value, str):
        return True
    return len(value) <= _EMAIL_MAX and _EMAIL.fullmatch(value) is not None


FORMAT_FUNCTIONS = {"date": is_date, "date-time": is_datetime, "email": is_email}

FORMAT_CHECKER = FormatChecker(formats=())
for _name, _function in FORMAT_FUNCTIONS.items():
    FORMAT_CHECKER.checks(_name)(_function)


def parse_date(value: str) -> date:
    """Parse a checked ``YYYY-MM-DD`` string."""
    return date.fromisoformat(value)


def parse_datetime(value: str) -> datetime:
    """Parse a checked RFC 3339 string into an aware datetime."""
    text = value[:-1] + "+00:00" if value[-1] in "Zz" else value
    fraction = re.search(r"\.(\d+)", text)
    if fraction and len(fraction.group(1)) > 6:
        text = text.replace(fraction.group(0), "." + fraction.group(1)[:6], 1)
    return datetime.fromisoformat(text.replace("t", "T"))
