"""Object keywords: properties (open vs closed content), required, sizes, dependencies,
``propertyNames``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from drift.compat.keywords import content
from drift.compat.keywords.object_set import Declared, ObjectSet, read
from drift.compat.pairing import whole
from drift.compat.resolve import Node, Sub, escape
from drift.compat.result import BREAKS, OK, UNKNOWN, Change, Effect, make, prefix
from drift.compat.same import same, same_node
from drift.compat.shapes import Shape
from drift.compat.values import plain_equal, same_bytes
from drift.compat.vocab import ALL_ATOMS

if TYPE_CHECKING:
    from drift.compat.session import Session

__all__ = ["compare"]

_STRING = frozenset({"string"})
_Simple = tuple["Mapping[str, Sub | None] | None", "Mapping[str, Sub | None] | None"]


def compare(o: Shape, n: Shape, session: Session) -> list[Change]:
    old, new = read(o), read(n)
    if old.opaque or new.opaque:
        if same_node(whole(o), whole(n), session.ignore):
            return []
        reason = old.opaque or new.opaque
        return make(
            "/unevaluatedProperties", "unanalysable", f"cannot analyse: {reason}", UNKNOWN, UNKNOWN
        )
    out: list[Change] = []
    simple = (old.simple, new.simple)
    names = [] if _same_properties(o, n, old, new) else _names(old, new, simple)
    for name in names:
        found = _property(name, old, new, session, simple)
        if found:
            out += found
    out += content.compare(old, new, session)
    out += _required(old, new)
    out += _sizes(old, new)
    out += _dependencies(o, n, old, new, session)
    if not same_node(old.property_names, new.property_names):
        out += prefix(
            session.compare(old.property_names, new.property_names, _STRING, descend=True),
            "/propertyNames",
        )
    return out


def _same_properties(o: Shape, n: Shape, old: ObjectSet, new: ObjectSet) -> bool:
    """Fast path: one identical ``properties`` object (no ``$ref`` inside) on both sides."""
    a, b = old.raw_properties, new.raw_properties
    if a is None or b is None or old.simple is None or new.simple is None or a != b:
        return False
    if o.parts[0].doc.draft != n.parts[0].doc.draft:
        return False
    return same_bytes(a, b)


def _names(old: ObjectSet, new: ObjectSet, simple: _Simple) -> list[str]:
    """The property names to compare: all declared ones, less those one plain
    ``properties`` object on each side maps to equal JSON (no change there)."""
    names = dict.fromkeys([*new.names, *old.names])
    a, b = simple
    if not (isinstance(a, Declared) and isinstance(b, Declared) and a.doc.draft == b.doc.draft):
        return list(names)
    x, y = a.raw, b.raw
    return [k for k in names if not (k in x and k in y and plain_equal(x[k], y[k]))]


def _property(
    name: str, old: ObjectSet, new: ObjectSet, session: Session, simple: _Simple
) -> list[Change]:
    """``simple``: ``old.simple`` and ``new.simple``."""
    simple_old, simple_new = simple
    if simple_old is not None and simple_new is not None:
        sub_old, sub_new = simple_old.get(name), simple_new.get(name)
        if sub_old is not None and sub_new is not None:
            if same(sub_old, sub_new):  # the first answer of session.compare
                return []
            changes = session.compare((sub_old,), (sub_new,), descend=True)
            return prefix(changes, f"/properties/{escape(name)}") if changes else changes
    path = f"/properties/{escape(name)}"
    go, gn = old.govern(name), new.govern(name)
    was, now = old.declared(name), new.declared(name)
    if was and now:
        return prefix(session.compare(go, gn, descend=True), path)
    bw, fw = session.subset(go, gn, descend=True), session.subset(gn, go, descend=True)
    if now:
        need = "required" if name in new.required else "optional"
        if session.lenient and not go and bw != OK:
            what = f"{need} property {name!r} added ({session.describe(gn)}) to an open object"
            return make(
                path, "property-added", f"{what}; compatible under the lenient policy", OK, fw
            )
        why = _why(bw, fw, go, session, "the old")
        what = f"{need} property {name!r} added ({session.describe(gn)}){why}"
        return make(path, "property-added", what, bw, fw)
    why = _why(bw, fw, gn, session, "the new")
    what = f"property {name!r} removed (was {session.describe(go)}){why}"
    return make(path, "property-removed", what, bw, fw)


def _why(bw: Effect, fw: Effect, other: Node, session: Session, side: str) -> str:
    """Why declaring/undeclaring matters, judged from the side where it is undeclared."""
    if bw == OK and fw == OK:
        return ""
    if not other:
        return f"; {side} schema is open there (accepts any value)"
    if not session.expand(other, ALL_ATOMS).shapes:
        return f"; {side} schema does not allow it (closed)"
    return f"; {side} schema covers it with additionalProperties/patternProperties"


def _required(old: ObjectSet, new: ObjectSet) -> list[Change]:
    out: list[Change] = []
    # A name the other side already implies (a closed object that must have all its
    # properties) is no change.
    for name in sorted(new.required - old.required - old.implied):
        out += make("/required", "required-added", f"{name!r} is now required", BREAKS, OK)
    for name in sorted(old.required - new.required - new.implied):
        out += make("/required", "required-removed", f"{name!r} is no longer required", OK, BREAKS)
    return out


def _sizes(old: ObjectSet, new: ObjectSet) -> list[Change]:
    out: list[Change] = []
    # Judged on the effective bounds: required names count towards the minimum, the
    # names a closed object allows bound the maximum.
    if old.min_props != new.min_props and old.least != new.least:
        bw = OK if old.least >= new.least else BREAKS
        out += make(
            "/minProperties",
            "minProperties-changed",
            f"minProperties {old.min_props} -> {new.min_props}",
            bw,
            BREAKS if bw == OK else OK,
        )
    if old.max_props != new.max_props and old.most != new.most:
        wider = new.most is None or (old.most is not None and old.most <= new.most)
        out += make(
            "/maxProperties",
            "maxProperties-changed",
            f"maxProperties {_n(old.max_props)} -> {_n(new.max_props)}",
            OK if wider else BREAKS,
            BREAKS if wider else OK,
        )
    return out


def _dependencies(
    o: Shape, n: Shape, old: ObjectSet, new: ObjectSet, session: Session
) -> list[Change]:
    out: list[Change] = []
    for trigger in sorted(set(old.dep_required) | set(new.dep_required)):
        before = old.dep_required.get(trigger, frozenset())
        after = new.dep_required.get(trigger, frozenset())
        if before == after:
            continue
        bw = _dep_ok(old, trigger, after - before - old.required, session)
        fw = _dep_ok(new, trigger, before - after - new.required, session)
        out += make(
            f"/dependentRequired/{escape(trigger)}",
            "dependentRequired-changed",
            f"when {trigger!r} is present: requires {_s(before)} -> {_s(after)}",
            bw,
            fw,
        )
    for trigger in sorted(set(old.dep_schemas) | set(new.dep_schemas)):
        was, now = old.dep_schemas.get(trigger), new.dep_schemas.get(trigger)
        path = f"/dependentSchemas/{escape(trigger)}"
        if was is not None and now is not None:
            out += prefix(session.compare(was, now), path)
        elif now is not None:
            bw = _implied(old, o, trigger, now, session)
            message = f"schema applied when {trigger!r} is present added"
            out += make(path, "dependentSchemas-added", message, bw, OK)
        elif was is not None:
            fw = _implied(new, n, trigger, was, session)
            message = f"schema applied when {trigger!r} is present removed"
            out += make(path, "dependentSchemas-removed", message, OK, fw)
    return out


def _implied(source: ObjectSet, shape: Shape, trigger: str, dep: Node, session: Session) -> Effect:
    """OK when every object of ``shape`` having ``trigger`` already satisfies ``dep``."""
    if _dep_ok(source, trigger, {"?"}, session) == OK:
        return OK
    whole = tuple(Sub(p.schema, p.doc) for p in shape.parts)
    return OK if session.subset(whole, dep, frozenset({"object"})) == OK else UNKNOWN


def _dep_ok(source: ObjectSet, trigger: str, missing: object, session: Session) -> Effect:
    """OK when nothing is missing, or ``trigger`` can never be present in ``source``."""
    if not missing:
        return OK
    if not session.expand(source.govern(trigger), ALL_ATOMS).shapes:
        return OK
    return BREAKS


def _s(names: frozenset[str]) -> str:
    return ", ".join(repr(n) for n in sorted(names)) if names else "nothing"


def _n(value: int | None) -> str:
    return "unlimited" if value is None else str(value)
