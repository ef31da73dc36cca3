"""Errors of the notifications app (codes are API contract)."""

from platform_core.errors import NotFound, ValidationFailed, gettext_noop


class NotificationDoesNotExist(NotFound):
    code = "notification_not_found"
    message = gettext_noop("The notification does not exist.")


class ImRobotDoesNotExist(NotFound):
    code = "robot_not_found"
    message = gettext_noop("The IM robot does not exist.")


class PreferenceInvalid(ValidationFailed):
    code = "preference_invalid"
    message = gettext_noop("The notification settings are not valid: %(reason)s")


class ImRobotInvalid(ValidationFailed):
    code = "robot_invalid"
    message = gettext_noop("The IM robot is not valid: %(reason)s")
