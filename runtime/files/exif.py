"""Time, place and camera of a photo, read from its EXIF block with Pillow.

The stored original is never changed (nothing is stripped); these facts are copied out
so that an image field can show 拍摄时间 and 拍摄地点 (the seed's "photo with time and place").
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from PIL import Image

EXIF_IFD, GPS_IFD = 0x8769, 0x8825
MAKE, MODEL, DATETIME = 271, 272, 306
DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 36867, 36881
GPS_LAT_REF, GPS_LAT, GPS_LNG_REF, GPS_LNG = 1, 2, 3, 4
_OFFSET = re.compile(r"^[+-]\d{2}:\d{2}$")


def extract_exif(stream: IO[bytes], default_timezone: str = "UTC") -> dict[str, Any]:
    """``{taken_at, latitude, longitude, make, model}`` with only the keys the photo carries.

    ``taken_at`` is RFC 3339 with an offset (what image fields store): the photo's own
    OffsetTimeOriginal when present, else ``default_timezone`` (cameras write local time).
    Anything unreadable is left out: EXIF is a hint, never a reason to refuse a photo.
    """
    try:
        stream.seek(0)
        with Image.open(stream) as img:
            exif = img.getexif()
            found: dict[str, Any] = {}
            _put_text(found, "make", exif.get(MAKE))
            _put_text(found, "model", exif.get(MODEL))
            details = exif.get_ifd(EXIF_IFD)
            taken = _taken_at(details.get(DATETIME_ORIGINAL) or exif.get(DATETIME),
                              details.get(OFFSET_TIME_ORIGINAL), default_timezone)
            if taken:
                found["taken_at"] = taken
            gps = exif.get_ifd(GPS_IFD)
            lat = _degrees(gps.get(GPS_LAT), gps.get(GPS_LAT_REF), "S", 90)
            lng = _degrees(gps.get(GPS_LNG), gps.get(GPS_LNG_REF), "W", 180)
            if lat is not None and lng is not None:
                found["latitude"], found["longitude"] = lat, lng
            return found
    except Exception:  # noqa: BLE001 - a broken EXIF block must not fail the upload
        return {}
    finally:
        stream.seek(0)


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return str(value).strip("\x00 ").strip() if value is not None else ""


def _put_text(found: dict[str, Any], key: str, value: Any) -> None:
    text = _text(value)[:100]
    if text:
        found[key] = text


def _taken_at(value: Any, offset: Any, default_timezone: str) -> str | None:
    text = _text(value)
    try:
        moment = datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset_text = _text(offset)
    if _OFFSET.match(offset_text):
        return moment.isoformat() + offset_text
    return moment.replace(tzinfo=ZoneInfo(default_timezone)).isoformat()


def _degrees(value: Any, ref: Any, negative: str, bound: float) -> float | None:
    """Degrees, minutes, seconds (EXIF rationals) as signed decimal degrees, rounded to 7 places (~1 cm)."""
    try:
        d, m, s = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = d + m / 60 + s / 3600
    if _text(ref).upper() == negative:
        result = -result
    if result != result or abs(result) > bound:  # NaN (a 0/0 rational) or out of range
        return None
    return round(result, 7)
