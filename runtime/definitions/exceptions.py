"""Errors of apps and definitions (codes are API contract; domain code never mentions HTTP)."""

from platform_core.errors import Conflict, NotFound, ValidationFailed, gettext_noop


class AppDoesNotExist(NotFound):
    code = "app_not_found"
    message = gettext_noop("App not found.")


class AppVersionDoesNotExist(NotFound):
    code = "version_not_found"
    message = gettext_noop("Version %(number)s of this app does not exist.")


class AppNotPublished(NotFound):
    code = "app_not_published"
    message = gettext_noop("This app has not been published yet.")


class AppKeyInvalid(ValidationFailed):
    code = "app_key_invalid"
    message = gettext_noop(
        "The key “%(key)s” cannot be used: use 2 to 64 lower-case letters, digits, “-” or “_”, starting with a letter."
    )

    TAKEN = gettext_noop("The key “%(key)s” is already used by another app; choose another one.")
    RESERVED = gettext_noop("The key “%(key)s” is reserved; choose another one.")


class AppArchived(Conflict):
    code = "app_archived"
    message = gettext_noop("The app “%(app)s” is archived; restore it before changing or publishing it.")


class VisibilityInvalid(ValidationFailed):
    code = "visibility_invalid"
    message = gettext_noop("Who may start the app refers to unknown entries: %(unknown)s")


class DraftConflict(Conflict):
    code = "draft_conflict"
    message = gettext_noop(
        "The draft was saved by %(user)s in the meantime (revision %(current)s, you edited revision "
        "%(expected)s). Reload it and apply your changes again."
    )


class DraftInvalid(ValidationFailed):
    code = "draft_invalid"
    message = gettext_noop("The %(document)s document must be a JSON object with a whole-number “schema_version”.")

    TOO_LARGE = gettext_noop(
        "The %(document)s document is too large (%(size)s bytes; at most %(limit)s bytes are allowed)."
    )
    NOT_JSON = gettext_noop("The %(document)s document contains values that are not JSON.")


class PublishRefused(ValidationFailed):
    code = "publish_refused"
    message = gettext_noop("The app cannot be published yet: fix the %(count)s problem(s) listed first.")


class RollbackInvalid(Conflict):
    code = "rollback_invalid"
    message = gettext_noop("Version %(number)s is already the published version; there is nothing to roll back.")


class VersionImmutable(Conflict):
    code = "version_immutable"
    message = gettext_noop("A published version can never be changed; edit the draft and publish a new version.")


class RequestTooLarge(ValidationFailed):
    code = "request_too_large"
    message = gettext_noop("The request is too large (at most %(limit)s bytes are accepted).")


class ImportInvalid(ValidationFailed):
    code = "import_invalid"
    message = gettext_noop("The file cannot be imported: it is not an app export of Qiaoban.")

    TOO_LARGE = gettext_noop("The file is too large (%(size)s bytes; at most %(limit)s bytes are accepted).")
    NOT_JSON = gettext_noop("The file is not valid JSON text (UTF-8): %(reason)s")
    WRONG_FORMAT = gettext_noop("The file is not an app export of Qiaoban (“format” must be “qiaoban-app”).")
    FORMAT_VERSION = gettext_noop(
        "The file was exported in format version %(version)s, which this server cannot read (it reads up to "
        "%(supported)s)."
    )
    PART_INVALID = gettext_noop("The part “%(part)s” of the file is missing or not valid: %(reason)s")
    SCHEMA_VERSION = gettext_noop(
        "The %(part)s document has schema_version %(version)s, which this server cannot read (it reads up to "
        "%(supported)s)."
    )


class SimulationInvalid(ValidationFailed):
    code = "simulation_invalid"
    message = gettext_noop("The flow (%(which)s) cannot be read, so it cannot be simulated; verify it to see why.")


class BpmnExportInvalid(ValidationFailed):
    code = "bpmn_export_invalid"
    message = gettext_noop(
        "The flow (%(which)s) cannot be read, so it cannot be exported as BPMN; verify it to see why."
    )
