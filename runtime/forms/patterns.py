"""Safety of admin-supplied regular expressions (``pattern`` on text fields).

Python's ``re`` backtracks, so some patterns take exponential (``(a+)+``) or high
polynomial (``\\d+\\d+`` under a search) time on crafted input. Publishing refuses
patterns with these shapes and every pattern runs only on strings of at most
``PATTERN_INPUT_LIMIT`` characters. The analysis is a conservative heuristic over
the parse tree of ``re``: it may refuse a harmless pattern, and it then says why.
"""

from __future__ import annotations

import re
import re._constants as C  # noqa: N812 - the regex opcode names read as upper-case
import re._parser as sre_parse
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from runtime.forms import limits

Charset = frozenset[str]

# Characters used to approximate character classes: two classes "overlap" when some
# probe matches both. ASCII plus representatives of the Unicode classes re knows.
_BASE_PROBES = frozenset([chr(c) for c in range(128)] + list("éßΩ中文ー。，、０１١\u00a0\u3000\u2028_"))

_WORD = C.CATEGORY_WORD
_CATEGORY_TESTS = {
    C.CATEGORY_DIGIT: str.isdecimal,
    C.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdecimal(),
    C.CATEGORY_SPACE: str.isspace,
    C.CATEGORY_NOT_SPACE: lambda ch: not ch.isspace(),
    C.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
    C.CATEGORY_NOT_WORD: lambda ch: not (ch.isalnum() or ch == "_"),
}
_LOOP_MIN_MAX = 1  # a repeat with a larger maximum is a loop
_LONG_REPEAT = 50  # a repeat that can consume this many characters counts for adjacency

# Constructs Python accepts but JavaScript (the browser's validator) does not.
_NOT_PORTABLE = re.compile(r"\(\?P|\(\?#|\(\?[aiLmsux-]+[:)]|\(\?>|\\[AZ]|[*+?}][+]")


def pattern_problems(pattern: str) -> list[tuple[str, dict[str, Any]]]:
    """Return ``(issue code, params)`` for every reason to refuse ``pattern`` (empty: safe)."""
    if len(pattern) > limits.PATTERN_MAX_LENGTH:
        return [("pattern_too_long", {"length": len(pattern), "limit": limits.PATTERN_MAX_LENGTH})]
    try:
        parsed = sre_parse.parse(pattern, 0)
        re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return [("pattern_invalid", {"reason": str(exc)})]
    problems: list[tuple[str, dict[str, Any]]] = []
    portable = _first_not_portable(pattern)
    if portable:
        problems.append(("pattern_not_portable", {"construct": portable}))
    analyser = _Analyser(pattern, parsed)
    reasons = list(dict.fromkeys(analyser.reasons(parsed)))
    problems.extend(("pattern_unsafe", {"reason": reason}) for reason in reasons)
    return problems


def is_pattern_safe(pattern: str) -> bool:
    """Return whether ``pattern`` passes every check of :func:`pattern_problems`."""
    return not pattern_problems(pattern)


@lru_cache(maxsize=1024)
def compiled(pattern: str) -> re.Pattern[str]:
    """Return the compiled pattern (cached; patterns come from a few published forms)."""
    return re.compile(pattern)


def bounded_search(pattern: str, text: str) -> bool:
    """``re.search`` that refuses (returns False for) strings longer than the input limit."""
    if len(text) > limits.PATTERN_INPUT_LIMIT:
        return False
    return compiled(pattern).search(text) is not None


def _first_not_portable(pattern: str) -> str | None:
    # Skip escaped characters so that "\\A" (a backslash then A) is not reported.
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern) and pattern[i + 1] not in "AZ":
            i += 2
            continue
        match = _NOT_PORTABLE.match(pattern, i)
        if match:
            return match.group(0)
        i += 1
    return None


class _Analyser:
    def __init__(self, pattern: str, parsed: sre_parse.SubPattern) -> None:
        extra = {ch for ch in pattern if ord(ch) >= 128}
        self.probes: Charset = _BASE_PROBES | extra
        flat = _flatten(list(parsed))
        # re.search tries every start position unless the pattern is anchored at the start.
        self.anchored = (
            bool(flat) and flat[0][0] is C.AT and flat[0][1] in (C.AT_BEGINNING, C.AT_BEGINNING_STRING)
        )

    # -- character sets ------------------------------------------------------------
    def _in(self, items: list[tuple[Any, Any]]) -> Charset:
        negate = bool(items) and items[0][0] is C.NEGATE
        matched = {ch for ch in self.probes if any(self._in_item(op, av, ch) for op, av in items)}
        return frozenset(self.probes - matched) if negate else frozenset(matched)

    @staticmethod
    def _in_item(op: Any, av: Any, ch: str) -> bool:
        if op is C.LITERAL:
            return ord(ch) == av
        if op is C.NOT_LITERAL:
            return ord(ch) != av
        if op is C.RANGE:
            return bool(av[0] <= ord(ch) <= av[1])
        if op is C.CATEGORY:
            test = _CATEGORY_TESTS.get(av)
            return True if test is None else bool(test(ch))
        return False

    def _single(self, op: Any, av: Any) -> Charset | None:
        """Charset of a one-character item, or None when the item is not one."""
        if op is C.LITERAL:
            return frozenset({chr(av)})
        if op is C.NOT_LITERAL:
            return frozenset(self.probes - {chr(av)})
        if op is C.ANY:
            return self.probes
        if op is C.IN:
            return self._in(av)
        return None

    def chars(self, items: Iterable[tuple[Any, Any]]) -> Charset:
        """Every character any part of ``items`` may consume."""
        result: set[str] = set()
        for op, av in items:
            single = self._single(op, av)
            if single is not None:
                result |= single
            else:
                for sub in _children(op, av):
                    result |= self.chars(sub)
        return frozenset(result)

    def first(self, items: Iterable[tuple[Any, Any]]) -> tuple[Charset, bool]:
        """The characters a match of the sequence may start with, and whether it may be empty."""
        result: set[str] = set()
        for op, av in items:
            first, nullable = self._first_item(op, av)
            result |= first
            if not nullable:
                return frozenset(result), False
        return frozenset(result), True

    def _first_item(self, op: Any, av: Any) -> tuple[Charset, bool]:
        single = self._single(op, av)
        if single is not None:
            return single, False
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            return frozenset(), True
        if op is C.SUBPATTERN:
            return self.first(av[3])
        if op is C.ATOMIC_GROUP:
            return self.first(av)
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            first, nullable = self.first(av[2])
            return first, nullable or av[0] == 0
        if op is C.BRANCH:
            result: set[str] = set()
            any_nullable = False
            for alternative in av[1]:
                first, nullable = self.first(alternative)
                result |= first
                any_nullable = any_nullable or nullable
            return frozenset(result), any_nullable
        # Back-references (refused anyway) and anything unknown: assume the worst.
        return self.probes, True

    # -- the checks ----------------------------------------------------------------
    def reasons(self, parsed: sre_parse.SubPattern) -> Iterator[str]:
        """Yield a short English reason for every unsafe shape in the parse tree."""
        yield from self._walk(list(parsed), parsed.state, under_loop=False)

    def _walk(self, items: list[tuple[Any, Any]], state: Any, *, under_loop: bool) -> Iterator[str]:
        yield from self._adjacent(items, state)
        for op, av in items:
            if op in (C.GROUPREF, C.GROUPREF_EXISTS):
                yield "back-reference"
            if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
                low, high, body = av
                if high != C.MAXREPEAT and high > limits.PATTERN_MAX_REPEAT:
                    yield f"repeat count above {limits.PATTERN_MAX_REPEAT}"
                if high > _LOOP_MIN_MAX:
                    yield from self._loop(list(body), state)
                    yield from self._walk(list(body), state, under_loop=True)
                    continue
            if op is C.BRANCH and under_loop:
                yield from self._branch_overlap(av[1])
            for sub in _children(op, av):
                yield from self._walk(list(sub), state, under_loop=under_loop)

    def _loop(self, body: list[tuple[Any, Any]], state: Any) -> Iterator[str]:
        low, high = sre_parse.SubPattern(state, body).getwidth()
        if low == high:
            return
        # A variable-width body repeated is ambiguous (where does one round end?) unless a
        # mandatory single character that nothing else in the body matches starts or ends it.
        flat = _flatten(body)
        for edge, rest in ((flat[:1], flat[1:]), (flat[-1:], flat[:-1])):
            if edge:
                single = self._single(*edge[0])
                if single is not None and not (single & self.chars(rest)):
                    return
        yield "a repeated group whose length varies (nested quantifiers)"

    def _branch_overlap(self, alternatives: list[Any]) -> Iterator[str]:
        firsts = [self.first(list(alt)) for alt in alternatives]
        for i, (first_i, nullable_i) in enumerate(firsts):
            for first_j, nullable_j in firsts[i + 1 :]:
                if (first_i & first_j) or nullable_i or nullable_j:
                    yield "alternatives that can match the same text inside a repeat"
                    return

    def _adjacent(self, items: list[tuple[Any, Any]], state: Any) -> Iterator[str]:
        # k long repeats in a row that can trade characters with each other split a
        # failing input in O(n^k) ways, one more factor under an unanchored search:
        # "^\d+\d+$" is quadratic (fine on bounded input), "\d+\d+$" cubic (refused).
        flat = _flatten(items)
        repeats = [i for i, (op, av) in enumerate(flat) if self._long_repeat(op, av, state)]
        chain: dict[int, int] = {}  # index of a long repeat -> longest ambiguous chain starting there
        for i in reversed(repeats):
            best = 1
            for j in self._ambiguous_successors(flat, i, state):
                best = max(best, 1 + chain[j])
            chain[i] = best
        longest = max(chain.values(), default=0)
        if longest + (0 if self.anchored else 1) >= 3:
            yield "repeats next to each other that can match the same characters"

    def _ambiguous_successors(self, flat: list[tuple[Any, Any]], i: int, state: Any) -> Iterator[int]:
        op, av = flat[i]
        body = _flatten(list(av[2]))
        reach = self.chars(body)
        last = reach
        if body:
            single = self._single(*body[-1])
            if single is not None:
                last = single  # the repeat's text always ends with one of these
        for j in range(i + 1, len(flat)):
            op2, av2 = flat[j]
            if self._long_repeat(op2, av2, state):
                first, _ = self.first(list(av2[2]))
                if first & reach and last & self.chars(list(av2[2])):
                    yield j
            first, nullable = self._first_item(op2, av2)
            if not nullable and not (first & reach):
                return  # a separator the first repeat cannot swallow

    @staticmethod
    def _long_repeat(op: Any, av: Any, state: Any) -> bool:
        if op not in (C.MAX_REPEAT, C.MIN_REPEAT):
            return False
        low, high, body = av
        width_low, width_high = sre_parse.SubPattern(state, list(body)).getwidth()
        return high * max(width_high, 1) >= _LONG_REPEAT and (low != high or width_low != width_high)


def _children(op: Any, av: Any) -> Iterator[list[tuple[Any, Any]]]:
    if op is C.SUBPATTERN:
        yield list(av[3])
    elif op is C.ATOMIC_GROUP:
        yield list(av)
    elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        yield list(av[2])
    elif op is C.BRANCH:
        for alternative in av[1]:
            yield list(alternative)
    elif op in (C.ASSERT, C.ASSERT_NOT):
        yield list(av[1])
    elif op is C.GROUPREF_EXISTS:
        yield list(av[1])
        if av[2] is not None:
            yield list(av[2])


def _flatten(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    # Groups do not change what is matched in sequence: inline them.
    flat: list[tuple[Any, Any]] = []
    for op, av in items:
        if op is C.SUBPATTERN:
            flat.extend(_flatten(list(av[3])))
        else:
            flat.append((op, av))
    return flat
