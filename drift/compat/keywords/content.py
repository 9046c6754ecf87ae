"""Open content: the properties no schema names (``patternProperties``,
``additionalProperties``, static ``unevaluatedProperties``).

For such a name, each side applies the schemas of the patterns it matches, or
the fallback when it matches none. Which patterns one unknown name can match
together is unknown, so every combination is assumed possible except for
patterns with clearly different literal prefixes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drift.compat.keywords.object_set import Component, ObjectSet
from drift.compat.resolve import Node, escape
from drift.compat.result import OK, UNKNOWN, Change, Effect, effect_of, make, prefix, worst
from drift.compat.same import same_node
from drift.compat.vocab import ALL_ATOMS

if TYPE_CHECKING:
    from drift.compat.session import Session

__all__ = ["compare"]

_META = frozenset("\\^$.|?*+()[]{}")


def compare(old: ObjectSet, new: ObjectSet, session: Session) -> list[Change]:
    """Changes to how undeclared property names are governed."""
    open_old = [c for c in old.components if c.is_open_content]
    open_new = [c for c in new.components if c.is_open_content]
    if len(open_old) > 1 or len(open_new) > 1:
        if len(open_old) == len(open_new) and all(
            _same_component(a, b, session.ignore) for a, b in zip(open_old, open_new, strict=True)
        ):
            return []
        return make(
            "/additionalProperties",
            "open-content-changed",
            "additional/pattern properties constrained in several subschemas: cannot compare them",
            UNKNOWN,
            UNKNOWN,
        )
    return _single(open_old[0] if open_old else None, open_new[0] if open_new else None, session)


def _single(old: Component | None, new: Component | None, session: Session) -> list[Change]:
    p_old, p_new = _patterns(old), _patterns(new)
    f_old, f_new = _fallback(old), _fallback(new)
    either = new or old
    keyword = either.keyword if either is not None else "additionalProperties"
    out = _fallbacks(f_old, f_new, keyword, session)
    for pattern, schema in p_new.items():
        path = f"/patternProperties/{escape(pattern)}"
        if pattern in p_old:
            out += prefix(session.compare(p_old[pattern], schema, descend=True), path)
            continue
        bw = worst(
            session.subset(f_old, schema, descend=True),
            *(
                _overlap(q, pattern, session.subset(s, schema, descend=True))
                for q, s in p_old.items()
            ),
        )
        fw = session.subset(schema, f_old, descend=True)
        out += make(path, "patternProperty-added", f"pattern property {pattern!r} added", bw, fw)
    for pattern, schema in p_old.items():
        if pattern in p_new:
            continue
        path = f"/patternProperties/{escape(pattern)}"
        bw = session.subset(schema, f_new, descend=True)
        fw = worst(
            session.subset(f_new, schema, descend=True),
            *(
                _overlap(q, pattern, session.subset(s, schema, descend=True))
                for q, s in p_new.items()
            ),
        )
        out += make(
            path, "patternProperty-removed", f"pattern property {pattern!r} removed", bw, fw
        )
    return out


def _fallbacks(f_old: Node, f_new: Node, keyword: str, session: Session) -> list[Change]:
    if same_node(f_old, f_new):
        return []
    changes = session.compare(f_old, f_new, descend=True)
    if not changes:
        return []
    closed_old = bool(f_old) and not session.expand(f_old, ALL_ATOMS).shapes
    closed_new = bool(f_new) and not session.expand(f_new, ALL_ATOMS).shapes
    path = f"/{keyword}"
    if closed_new and not closed_old:
        return make(
            path,
            "object-closed",
            f"object closed ({keyword}: false): undeclared properties are no longer allowed",
            effect_of(changes, "backward"),
            effect_of(changes, "forward"),
        )
    if closed_old and not closed_new:
        return make(
            path,
            "object-opened",
            f"object opened: undeclared properties are now allowed ({keyword})",
            effect_of(changes, "backward"),
            effect_of(changes, "forward"),
        )
    return prefix(changes, path)


def _patterns(comp: Component | None) -> dict[str, Node]:
    if comp is None:
        return {}
    return {p: ((s,) if s is not None else ()) for p, s in comp.patterns}


def _fallback(comp: Component | None) -> Node:
    return (comp.fallback,) if comp is not None and comp.fallback is not None else ()


def _same_component(a: Component, b: Component, ignore: frozenset[str]) -> bool:
    return (
        a.keyword == b.keyword
        and list(a.named) == list(b.named)
        and [p for p, _s in a.patterns] == [p for p, _s in b.patterns]
        and same_node(_fallback(a), _fallback(b), ignore)
        and all(same_node(_patterns(a)[p], _patterns(b)[p], ignore) for p, _s in a.patterns)
    )


def _overlap(first: str, second: str, effect: Effect) -> Effect:
    """A break through two patterns that may never match the same name is only "unknown"."""
    if effect == OK or _disjoint(first, second):
        return OK
    return UNKNOWN


def _disjoint(first: str, second: str) -> bool:
    a, b = _literal_prefix(first), _literal_prefix(second)
    return a is not None and b is not None and not (a.startswith(b) or b.startswith(a))


def _literal_prefix(pattern: str) -> str | None:
    if not pattern.startswith("^"):
        return None
    out = []
    for char in pattern[1:]:
        if char in _META:
            break
        out.append(char)
    return "".join(out)
