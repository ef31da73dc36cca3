"""Approval modes: how the decisions of several assignees make one node decision."""

from __future__ import annotations

import math

from platform_core.registry import Registered
from runtime.flows.registries import approval_mode_registry

APPROVED = "approved"
REJECTED = "rejected"


class ApprovalMode(Registered):
    """Base of approval modes; ``outcome`` turns task counts into the node's decision."""

    label: dict[str, str] = {}
    one_at_a_time = False  # tasks are created one after another (依次) instead of together
    needs_threshold = False

    def outcome(self, approved: int, rejected: int, total: int, threshold: float | None = None) -> str | None:
        """Return "approved", "rejected" or None (still waiting) for the given task counts."""
        raise NotImplementedError

    def required_approvals(self, total: int, threshold: float | None = None) -> int:
        """Return how many approvals complete the node with ``total`` assignees."""
        raise NotImplementedError


class SingleMode(ApprovalMode):
    # One decision completes the node. When rules resolve several people they all get
    # the task and the first to act decides, as with "any"; the simulator notes it.
    type = "single"
    label = {"zh": "单人审批", "en": "Single approver"}

    def outcome(self, approved: int, rejected: int, total: int, threshold: float | None = None) -> str | None:
        """Return the first decision."""
        if rejected:
            return REJECTED
        return APPROVED if approved else None

    def required_approvals(self, total: int, threshold: float | None = None) -> int:
        """One approval completes the node."""
        return min(1, total)


class AnyMode(SingleMode):
    type = "any"
    label = {"zh": "或签", "en": "Any one approves"}


class AllMode(ApprovalMode):
    type = "all"
    label = {"zh": "会签", "en": "Everyone approves"}

    def outcome(self, approved: int, rejected: int, total: int, threshold: float | None = None) -> str | None:
        """Approved when everyone approved; rejected by the first rejection."""
        if rejected:
            return REJECTED
        return APPROVED if approved >= total else None

    def required_approvals(self, total: int, threshold: float | None = None) -> int:
        """Everyone must approve."""
        return total


class SequentialMode(AllMode):
    type = "sequential"
    label = {"zh": "依次审批", "en": "One after another"}
    one_at_a_time = True


class PercentageMode(ApprovalMode):
    type = "percentage"
    label = {"zh": "按比例通过", "en": "Percentage approves"}
    needs_threshold = True

    def required_approvals(self, total: int, threshold: float | None = None) -> int:
        """Return the approvals needed to reach ``threshold`` percent (rounded up)."""
        percent = 100.0 if threshold is None else float(threshold)
        return max(1, math.ceil(total * percent / 100.0 - 1e-9)) if total else 0

    def outcome(self, approved: int, rejected: int, total: int, threshold: float | None = None) -> str | None:
        """Approved once the threshold is reached; rejected once it can no longer be reached."""
        needed = self.required_approvals(total, threshold)
        if approved >= needed:
            return APPROVED
        if total - rejected < needed:
            return REJECTED
        return None


for _mode in (SingleMode(), AnyMode(), AllMode(), SequentialMode(), PercentageMode()):
    approval_mode_registry.register(_mode)
