"""The registry of background job kinds (pure Python: owning apps register in ``AppConfig.ready``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from platform_core.registry import Registered, Registry

# report_progress(done, total=None): records progress, renews the lease and raises
# JobStopped when the job was cancelled (or taken over) meanwhile.
ProgressReporter = Callable[..., None]


@dataclass(frozen=True)
class JobOutput:
    """A file written by a job."""

    name: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class JobOutcome:
    """What a successful run returns: a JSON result and optionally a file to download."""

    result: dict[str, Any]
    output: JobOutput | None = None


class JobType(Registered):
    """One kind of background job; subclasses set ``type`` and implement the three hooks."""

    accepts_file: bool = False  # True: an input file is required; False: refused

    def check_permission(self, actor: Any) -> None:
        """Raise PermissionDenied unless ``actor`` may run this kind (at creation and again at run)."""
        raise NotImplementedError

    def clean_params(self, params: Mapping[str, Any], upload: Any | None) -> dict[str, Any]:
        """Return the validated params or raise ValidationFailed (a 400 with details)."""
        raise NotImplementedError

    def run(self, job: Any, report_progress: ProgressReporter) -> JobOutcome:
        """Do the work as ``job.created_by`` in ``job.language``; return the outcome."""
        raise NotImplementedError


job_type_registry: Registry[JobType] = Registry("job")
