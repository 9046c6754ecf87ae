"""``enum``/``const`` and other finite value sets, decided value by value with jsonschema."""

from __future__ import annotations

from typing import Any

from drift.compat.evaluate import accepts
from drift.compat.result import BREAKS, OK, UNKNOWN, Change, Effect, make, worst
from drift.compat.shapes import Shape
from drift.compat.values import atom_of, short
from drift.compat.vocab import describe_atoms

__all__ = ["compare", "finite"]

_FINITE_ATOMS = {"null": (None,), "boolean": (False, True)}


def finite(shape: Shape, atoms: frozenset[str]) -> tuple[Any, ...] | None:
    """Every value ``shape`` may accept within ``atoms``, when that set is finite."""
    if shape.values is not None:
        return tuple(v for v in shape.values if atom_of(v) in atoms)
    if atoms <= _FINITE_ATOMS.keys():
        return tuple(v for atom in sorted(atoms) for v in _FINITE_ATOMS[atom])
    return None


def compare(
    o: Shape,
    n: Shape,
    vo: tuple[Any, ...] | None,
    vn: tuple[Any, ...] | None,
    atoms: frozenset[str],
) -> list[Change]:
    """Value-level changes; a side with a finite set decides its direction exactly."""
    out: list[Change] = []
    where = "/const" if _uses_const(n) or (n.values is None and _uses_const(o)) else "/enum"
    if vo is not None:
        lost, effect = _rejected(vo, o, n)
        if lost:
            message = f"no longer accepts {_list(lost)}"
            out += make(where, "enum-values-removed", message, effect, OK)
    elif vn is not None:
        out += make(
            where,
            "enum-added",
            f"now accepts only {_list(vn)} (was any {describe_atoms(atoms)})",
            BREAKS,
            OK,
        )
    if vn is not None:
        gained, effect = _rejected(vn, n, o)
        if gained:
            out += make(where, "enum-values-added", f"now also accepts {_list(gained)}", OK, effect)
    elif vo is not None:
        out += make(
            where,
            "enum-removed",
            f"now accepts any {describe_atoms(atoms)} (was only {_list(vo)})",
            OK,
            BREAKS,
        )
    return out


def _rejected(values: tuple[Any, ...], source: Shape, target: Shape) -> tuple[list[Any], Effect]:
    """Values ``source`` accepts that ``target`` rejects, and how sure that is.

    Checked with ``format`` both ignored and asserted: a value lost under either
    reading of ``format`` counts.
    """
    lost: list[Any] = []
    effect: Effect = OK
    for value in values:
        found: Effect = OK
        for formats in (False, True):
            if accepts(source, value, formats=formats) is False:
                continue
            verdict = accepts(target, value, formats=formats)
            if verdict is not True:
                found = worst(found, BREAKS if verdict is False else UNKNOWN)
        if found != OK:
            lost.append(value)
            effect = worst(effect, found)
    return lost, effect


def _uses_const(shape: Shape) -> bool:
    return any("const" in p.schema and "enum" not in p.schema for p in shape.parts)


def _list(values: Any) -> str:
    items = [short(v, 30) for v in values]
    text = ", ".join(items[:8])
    return text + (f" (+{len(items) - 8} more)" if len(items) > 8 else "")
