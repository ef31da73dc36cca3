"""What a step needs from outside: the org, the clock, the form, the calendar and settings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from runtime.flows.org import OrgDirectory
from runtime.forms.spec import FieldInfo, FormSpec
from runtime.workcalendar import WorkCalendar

# delegate_for(user_id, app, now) -> the user who acts for them (out of office), or None.
DelegateFor = Callable[[str, str | None, datetime], str | None]
# backup_for(user_id, app) -> the backup an auto_transfer timer hands a task to, or None.
BackupFor = Callable[[str, str | None], str | None]


@dataclass(frozen=True)
class EngineSettings:
    """App-level switches that change engine behaviour."""

    withdraw_always: bool = False  # the app lets initiators withdraw even after approvals
    max_nodes_per_step: int = 500  # guard against loops the verifier was not asked about


@dataclass(frozen=True)
class EngineContext:
    """Inputs of one step; ``now`` must be timezone-aware (the engine never reads the clock)."""

    org: OrgDirectory
    now: datetime
    form_fields: Mapping[str, FieldInfo] | FormSpec | None = None
    calendar: WorkCalendar | None = None
    settings: EngineSettings = field(default_factory=EngineSettings)
    delegate_for: DelegateFor | None = None
    backup_for: BackupFor | None = None
    app: str | None = None
    flow_version: str | None = None
    instance_id: str | None = None

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("EngineContext.now must be timezone-aware")

    @property
    def fields(self) -> Mapping[str, FieldInfo] | None:
        """Return the form's FieldInfo mapping (from a FormSpec or as given)."""
        if isinstance(self.form_fields, FormSpec):
            return self.form_fields.fields
        return self.form_fields

    @property
    def form_spec(self) -> FormSpec | None:
        """Return the FormSpec when one was given (submissions are then validated)."""
        return self.form_fields if isinstance(self.form_fields, FormSpec) else None
