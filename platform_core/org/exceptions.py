"""Organisation errors (domain code never mentions HTTP)."""

from platform_core.errors import NotFound, PlatformError, ValidationFailed, gettext_noop


class DepartmentDoesNotExist(NotFound):
    code = "department_not_found"
    message = gettext_noop("Department not found.")


class UserDoesNotExist(NotFound):
    code = "user_not_found"
    message = gettext_noop("User not found.")


class DepartmentMoveInvalid(ValidationFailed):
    code = "department_move_invalid"
    message = gettext_noop("A department cannot be moved under itself or one of its sub-departments.")


class DepartmentNotEmpty(ValidationFailed):
    code = "department_not_empty"
    message = gettext_noop("Department “%(name)s” still has members or sub-departments; move them first.")


class OrgDataBroken(PlatformError):
    """The org data itself is inconsistent (a manager loop, a missing head)."""

    code = "org_data_broken"
    message = gettext_noop("The organisation data is inconsistent: %(reason)s")


class ManagerNotFound(PlatformError):
    code = "manager_not_found"
    message = gettext_noop("No manager found for %(user)s at level %(level)s.")

    ROLE_NOT_FOUND = gettext_noop("No manager of %(user)s holds the role “%(role)s”.")
    CHAIN_SHORT = gettext_noop("The manager chain of %(user)s ends after %(found)s level(s); %(level)s needed.")


class ManagerLoop(OrgDataBroken):
    code = "manager_loop"
    message = gettext_noop("The manager chain of %(user)s goes round in a loop (%(chain)s); fix the direct managers.")
