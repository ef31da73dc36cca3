"""Base of node types: a config JSON Schema, graph traits and hooks (pure Python)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator

from platform_core.registry import Registered
from runtime.flows.issues import Issue, make_issue
from runtime.flows.spec import EdgeSpec, NodeSpec

if TYPE_CHECKING:
    from runtime.flows.simulate import SimStep, Walk

# Field rights are checked by the verifier against the form (it names the bad field and
# the bad right), so the schema only insists on the shape.
FIELD_RIGHTS_SCHEMA: dict[str, Any] = {"type": "object", "additionalProperties": {"type": "string"}}


class NodeType(Registered):
    """Base of node types; subclasses set ``type``, ``config_schema`` and the traits below."""

    label: dict[str, str] = {}
    config_schema: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": {}}
    max_outgoing: int | None = 1  # None: any number (gateways, splits)
    branching: str | None = None  # "exclusive" | "parallel" | None
    # True when form data or time may change while the flow waits here; a loop through
    # no such node would re-take the same route forever.
    waits = False
    has_people = False  # assignees (approval, handle) or recipients (cc)
    _validator: Draft202012Validator | None = None

    def validator(self) -> Draft202012Validator:
        """Return the cached JSON Schema validator of the config."""
        if self._validator is None:
            Draft202012Validator.check_schema(self.config_schema)
            self._validator = Draft202012Validator(self.config_schema)
        return self._validator

    def config_ok(self, node: NodeSpec) -> bool:
        """Return True when the config passes its schema (later checks may then trust its shape)."""
        return self.validator().is_valid(dict(node.config))

    def static_issues(self, node: NodeSpec) -> list[Issue]:
        """Return config problems visible without the form or the org (schema first, then semantics)."""
        errors = sorted(self.validator().iter_errors(dict(node.config)), key=lambda e: list(e.absolute_path))
        if errors:
            return [
                make_issue(
                    "node_config_invalid",
                    node_id=node.id,
                    node=node.label,
                    path="/".join(str(p) for p in e.absolute_path) or "config",
                    detail=e.message,
                )
                for e in errors
            ]
        return self.check_config(node)

    def waits_at(self, node: NodeSpec) -> bool:
        """Return True when data or time can change while the flow is at ``node``."""
        return self.waits

    def check_config(self, node: NodeSpec) -> list[Issue]:
        """Return semantic config problems once the schema holds (hook)."""
        return []

    def rules(self, node: NodeSpec) -> Iterator[tuple[str, Any]]:
        """Yield ``(config path, JSON-logic rule)`` for every rule in the config (hook)."""
        return iter(())

    def field_refs(self, node: NodeSpec) -> Iterator[tuple[str, str, tuple[str, ...] | None]]:
        """Yield ``(config path, field key, allowed kinds or None)`` for fields the config names (hook)."""
        return iter(())

    def simulate(self, node: NodeSpec, walk: Walk, step: SimStep) -> list[EdgeSpec] | None:
        """Fill ``step`` and return the edges the flow leaves by (None: the path stops here)."""
        return walk.spec.outgoing(node.id)


def config_path(*parts: object) -> str:
    """Return a slash-joined config path for messages."""
    return "/".join(str(p) for p in parts)


def issue_for(code: str, node: NodeSpec, **params: Any) -> Issue:
    """Build an issue about ``node`` with its label filled in."""
    return make_issue(code, node_id=node.id, node=node.label, **params)
