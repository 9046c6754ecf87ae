"""``not``, ``if``/``then``/``else``, and proofs that two shapes share no value."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drift.compat.evaluate import accepts
from drift.compat.resolve import Node, Sub
from drift.compat.result import BREAKS, OK, UNKNOWN, Change, Effect, make, prefix
from drift.compat.same import same_node
from drift.compat.shapes import Shape
from drift.compat.values import value_key

if TYPE_CHECKING:
    from drift.compat.session import Session

__all__ = ["compare", "disjoint"]


def compare(o: Shape, n: Shape, atoms: frozenset[str], session: Session) -> list[Change]:
    return _nots(o, n, atoms, session) + _conditionals(o, n, session)


def disjoint(a: Shape, b: Shape) -> bool:
    """True only when no value can satisfy both shapes."""
    common = a.atoms & b.atoms
    if not common:
        return True
    if a.values is not None and b.values is not None:
        keys = {value_key(v) for v in b.values}
        return not any(value_key(v) in keys for v in a.values)
    for one, other in ((a, b), (b, a)):
        if one.values is not None and all(
            accepts(other, v, formats=False) is False for v in one.values
        ):
            return True
    if common == {"object"}:
        return any(_distinct(a, b, name) for name in _required(a) & _required(b))
    return False


def _nots(o: Shape, n: Shape, atoms: frozenset[str], session: Session) -> list[Change]:
    old, new = _subs(o, "not"), _subs(n, "not")
    out: list[Change] = []
    for item in list(old):
        match = next((x for x in new if same_node((item,), (x,), session.ignore)), None)
        if match is not None:
            old.remove(item)
            new.remove(match)
            if not same_node((item,), (match,)):
                out += make("/not", "annotation", "annotations inside not changed", OK, OK)
    if len(old) == 1 and len(new) == 1:
        bw = session.subset((new[0],), (old[0],), atoms)
        fw = session.subset((old[0],), (new[0],), atoms)
        if bw == OK and fw == OK:
            return out
        return out + make("/not", "not-changed", "excluded values (not) changed", bw, fw)
    for sub in new:
        out += make(
            "/not",
            "not-added",
            "excludes values it accepted (not added)",
            _excludes(o, sub, atoms, session),
            OK,
        )
    for sub in old:
        out += make(
            "/not",
            "not-removed",
            "no longer excludes some values (not removed)",
            OK,
            _excludes(n, sub, atoms, session),
        )
    return out


def _excludes(shape: Shape, sub: Sub, atoms: frozenset[str], session: Session) -> Effect:
    """Effect on ``shape``'s values of also requiring ``not sub``."""
    expansion = session.expand((sub,), atoms & shape.atoms)
    if all(disjoint(shape, s) for s in expansion.shapes):
        return OK
    for excluded in expansion.shapes:
        for value in excluded.values or ():
            both = accepts(shape, value, formats=False), accepts(excluded, value, formats=False)
            if both == (True, True):
                return BREAKS
    for atom in sorted(shape.atoms & atoms):
        if session.subset((), (sub,), frozenset({atom})) == OK:
            return BREAKS
    return UNKNOWN


def _conditionals(o: Shape, n: Shape, session: Session) -> list[Change]:
    old, new = _triples(o), _triples(n)
    out: list[Change] = []
    for triple in list(new):
        match = next((t for t in old if same_node(t[0], triple[0], session.ignore)), None)
        if match is None:
            continue
        old.remove(match)
        new.remove(triple)
        out += prefix(session.compare(match[1], triple[1]), "/then")
        out += prefix(session.compare(match[2], triple[2]), "/else")
    for triple in new:
        bw = OK if not (triple[1] or triple[2]) else UNKNOWN
        out += make("/if", "conditional-added", "if/then/else added", bw, OK)
    for triple in old:
        fw = OK if not (triple[1] or triple[2]) else UNKNOWN
        out += make("/if", "conditional-removed", "if/then/else removed", OK, fw)
    return out


def _subs(shape: Shape, key: str) -> list[Sub]:
    return [Sub(p.schema[key], p.doc) for p in shape.parts if key in p.schema]


def _triples(shape: Shape) -> list[tuple[Node, Node, Node]]:
    out = []
    for part in shape.parts:
        if "if" in part.schema and part.doc.draft >= 7:
            out.append(
                tuple(
                    (Sub(part.schema[k], part.doc),) if k in part.schema else ()
                    for k in ("if", "then", "else")
                )
            )
    return out  # type: ignore[return-value]


def _required(shape: Shape) -> set[str]:
    out: set[str] = set()
    for part in shape.parts:
        value = part.schema.get("required")
        if isinstance(value, list):
            out.update(v for v in value if isinstance(v, str))
    return out


def _distinct(a: Shape, b: Shape, name: str) -> bool:
    left, right = _prop_values(a, name), _prop_values(b, name)
    return left is not None and right is not None and not (left & right)


def _prop_values(shape: Shape, name: str) -> set[Any] | None:
    """Finite values allowed for property ``name`` (``const``/``enum``, one ``$ref`` deep)."""
    found: set[Any] | None = None
    for part in shape.parts:
        props = part.schema.get("properties")
        if not isinstance(props, dict) or not isinstance(props.get(name), dict):
            continue
        sub = props[name]
        if isinstance(sub.get("$ref"), str):
            target = part.doc.resolve(sub["$ref"])
            sub = target if isinstance(target, dict) else sub
        keys: set[Any] | None = None
        if "const" in sub and part.doc.draft >= 6:
            keys = {value_key(sub["const"])}
        elif isinstance(sub.get("enum"), list):
            keys = {value_key(v) for v in sub["enum"]}
        if keys is not None:
            found = keys if found is None else found & keys
    return found
