"""File fields: attachment, image (with EXIF time and place) and signature.

Values reference files already uploaded through the file service by ``file_id``;
the form only checks the reference's shape and the admin's limits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from runtime.forms import limits
from runtime.forms.errors import FormIssue
from runtime.forms.field_types.base import (
    ExportContext,
    FieldType,
    ValueContext,
    ValueIssue,
    value_issue,
)
from runtime.forms.field_types.dates import DATETIME_SCHEMA
from runtime.forms.formats import parse_datetime

_ID = {"type": "string", "minLength": 1, "maxLength": limits.ID_MAX_LENGTH}
_FILE_PROPERTIES: dict[str, Any] = {
    "file_id": _ID,
    "name": {"type": "string", "maxLength": 255},
    "size": {"type": "integer", "minimum": 0},
    "content_type": {"type": "string", "maxLength": 127},
}
FILE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": _FILE_PROPERTIES,
    "required": ["file_id"],
    "additionalProperties": False,
}
IMAGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        **_FILE_PROPERTIES,
        "taken_at": DATETIME_SCHEMA,  # EXIF DateTimeOriginal (or the phone's clock when captured live)
        "location": {
            "type": "object",
            "properties": {
                "lat": {"type": "number", "minimum": -90, "maximum": 90},
                "lng": {"type": "number", "minimum": -180, "maximum": 180},
                "address": {"type": "string", "maxLength": 255},
            },
            "required": ["lat", "lng"],
            "additionalProperties": False,
        },
    },
    "required": ["file_id"],
    "additionalProperties": False,
}
SIGNATURE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"file_id": _ID, "signer": _ID, "signed_at": DATETIME_SCHEMA},
    "required": ["file_id", "signer", "signed_at"],
    "additionalProperties": False,
}


def _accepts(accept: list[str], name: str, content_type: str) -> bool:
    name, content_type = name.lower(), content_type.lower()
    for rule in accept:
        rule = rule.lower()
        if rule.startswith(".") and name.endswith(rule):
            return True
        if rule.endswith("/*") and content_type.startswith(rule[:-1]):
            return True
        if rule == content_type:
            return True
    return False


class AttachmentFieldType(FieldType):
    """Uploaded files, limited by type (``x-accept``) and size (``x-max-size`` bytes)."""

    type = "attachment"
    value_kind = "file"
    label = {"zh": "附件", "en": "Attachment"}
    excel_number_format = "@"
    keywords = frozenset({"minItems", "maxItems", "x-accept", "x-max-size", "items"})
    max_items_cap = limits.MAX_FILES
    accepts_default = False
    item_schema: Mapping[str, Any] = FILE_SCHEMA

    def fixed_schema(self, prop: Mapping[str, Any]) -> dict[str, Any]:
        """An array of file references."""
        return {"type": "array", "items": self.item_schema}

    def default_keywords(self) -> dict[str, Any]:
        """Up to 9 files of 20 MB."""
        return {"maxItems": 9, "x-max-size": 20 * 1024 * 1024}

    def check_extra(self, prop: Mapping[str, Any], path: str, pointer: str) -> list[FormIssue]:
        """``x-accept`` lists extensions or content types; ``x-max-size`` is a byte count."""
        issues = []
        accept = prop.get("x-accept")
        if "x-accept" in prop and not (
            isinstance(accept, list)
            and accept
            and all(isinstance(a, str) and ("." in a or "/" in a) for a in accept)
        ):
            issues.append(self._invalid(path, pointer, "x-accept", 'use a list like [".pdf", "image/*"]'))
        size = prop.get("x-max-size")
        if "x-max-size" in prop and (not isinstance(size, int) or isinstance(size, bool) or size < 1):
            issues.append(self._invalid(path, pointer, "x-max-size", "use a number of bytes"))
        return issues

    def validate_value(self, value: Any, ctx: ValueContext) -> list[ValueIssue]:
        """Each file is of an accepted type and within the size limit."""
        issues = []
        accept, max_size = ctx.prop.get("x-accept"), ctx.prop.get("x-max-size")
        for index, ref in enumerate(value):
            where = f"/{index}"
            if accept and not _accepts(accept, ref.get("name", ""), ref.get("content_type", "")):
                issues.append(value_issue("file_type_not_allowed", where, accept=", ".join(accept)))
            if isinstance(max_size, int) and ref.get("size", 0) > max_size:
                issues.append(value_issue("file_too_large", where, limit=max_size))
            issues.extend(self.validate_item(ref, where, ctx))
        return issues

    def validate_item(self, ref: Mapping[str, Any], where: str, ctx: ValueContext) -> list[ValueIssue]:
        """Per-file checks of subclasses."""
        return []

    def to_export_value(self, value: Any, ctx: ExportContext) -> Any:
        """File names (ids when unnamed), joined by "、"."""
        if not isinstance(value, list):
            return None
        return "、".join(
            str(ref.get("name") or ref.get("file_id")) for ref in value if isinstance(ref, Mapping)
        )


class ImageFieldType(AttachmentFieldType):
    """Photos; each may carry where and when it was taken (``x-require-exif`` demands both)."""

    type = "image"
    label = {"zh": "图片", "en": "Image"}
    keywords = AttachmentFieldType.keywords | {"x-require-exif", "x-camera-only", "x-watermark"}
    item_schema = IMAGE_SCHEMA

    def default_keywords(self) -> dict[str, Any]:
        """Up to 9 photos of 10 MB."""
        return {"maxItems": 9, "x-max-size": 10 * 1024 * 1024, "x-accept": ["image/*"]}

    def default_ui(self) -> dict[str, Any]:
        """Thumbnails that show time and place."""
        return {"widget": "image-upload", "show_exif": True}

    def check_extra(self, prop: Mapping[str, Any], path: str, pointer: str) -> list[FormIssue]:
        """The photo flags are booleans."""
        issues = super().check_extra(prop, path, pointer)
        for keyword in ("x-require-exif", "x-camera-only", "x-watermark"):
            if keyword in prop and not isinstance(prop[keyword], bool):
                issues.append(self._invalid(path, pointer, keyword, "use true or false"))
        return issues

    def validate_item(self, ref: Mapping[str, Any], where: str, ctx: ValueContext) -> list[ValueIssue]:
        """With ``x-require-exif`` every photo states when and where it was taken."""
        if ctx.prop.get("x-require-exif") and ("taken_at" not in ref or "location" not in ref):
            return [value_issue("exif_missing", where)]
        return []

    def to_export_value(self, value: Any, ctx: ExportContext) -> Any:
        """Names with time and place when known."""
        if not isinstance(value, list):
            return None
        parts = []
        for ref in value:
            text = str(ref.get("name") or ref.get("file_id"))
            extra = [ref.get("taken_at")] if ref.get("taken_at") else []
            location = ref.get("location")
            if isinstance(location, Mapping):
                extra.append(
                    location.get("address") or "{},{}".format(location.get("lat"), location.get("lng"))
                )
            parts.append(text + (" ({})".format("; ".join(map(str, extra))) if extra else ""))
        return "、".join(parts)


class SignatureFieldType(FieldType):
    """A handwritten signature image with who signed and when."""

    type = "signature"
    value_kind = "file"
    label = {"zh": "手写签名", "en": "Signature"}
    excel_number_format = "@"
    accepts_default = False

    def fixed_schema(self, prop: Mapping[str, Any]) -> dict[str, Any]:
        """``{"file_id", "signer", "signed_at"}``."""
        return dict(SIGNATURE_SCHEMA)

    def default_ui(self) -> dict[str, Any]:
        """A signing pad."""
        return {"widget": "signature-pad"}

    def validate_value(self, value: Any, ctx: ValueContext) -> list[ValueIssue]:
        """A new or changed signature is signed by the submitting user (when known)."""
        if value in ctx.previous_values or ctx.actor is None:
            return []
        if value["signer"] != ctx.actor:
            return [value_issue("signature_signer_mismatch", "/signer")]
        return []

    def to_export_value(self, value: Any, ctx: ExportContext) -> Any:
        """Signer (name when resolvable) and time."""
        if not isinstance(value, Mapping):
            return None
        signer = value.get("signer", "")
        name = ctx.user_name(signer) if ctx.user_name else signer
        moment = parse_datetime(value["signed_at"])
        if ctx.timezone is not None:
            moment = moment.astimezone(ctx.timezone)
        return "{} {}".format(name, moment.strftime("%Y-%m-%d %H:%M"))
