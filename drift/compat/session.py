"""The comparison engine: two nodes in, the changes between them out.

``Session.compare`` expands both nodes into shapes, splits them by type atom,
pairs the shapes that cover the same atoms and hands each pair to the keyword
families. Recursive schemas terminate: a pair met again after descending into
a property or an item is assumed compatible, which is sound by induction on the
depth of finite JSON values; a pair met again without descending (a loop through
``$ref``, ``not``, ``then``...) is "cannot prove".
"""

from __future__ import annotations

from typing import Any

from drift.compat import witness
from drift.compat.keywords import arrays, enums, logic, notes, numbers, objects, strings
from drift.compat.pairing import Pairing, label, pair_shapes
from drift.compat.resolve import Node
from drift.compat.result import (
    BREAKS,
    OK,
    UNKNOWN,
    Change,
    Direction,
    Effect,
    dedupe,
    effect_of,
    make,
    mask,
    prefix,
    soften,
)
from drift.compat.same import same_node
from drift.compat.shapes import Expansion, Shape, expand
from drift.compat.values import plain_equal, short
from drift.compat.vocab import ALL_ATOMS, ANNOTATION_KEYS, NUMERIC, describe_atoms

__all__ = ["Session"]

_Key = tuple[Any, ...]
_LOOP = "cannot analyse: a reference loop that never descends into the value"


class Session:
    """Caches and cycle guard for one ``compare`` call."""

    def __init__(
        self, annotation_keys: frozenset[str] = ANNOTATION_KEYS, *, lenient: bool = False
    ) -> None:
        self.annotation_keys = annotation_keys
        self.lenient = lenient
        """The ``lenient`` policy: a property added where the old schema allowed any
        property does not break backward (producers)."""
        self.ignore = annotation_keys | ANNOTATION_KEYS
        self._active: dict[_Key, int] = {}
        self._depth = 0
        self._cache: dict[_Key, list[Change]] = {}
        self._expansions: dict[_Key, Expansion] = {}
        self._assumed = 0
        self._quiet = 0
        """Above zero while only the verdict matters (subset checks): no annotation diffs."""

    # -- public entry points used by the families ---------------------------

    def compare(
        self, old: Node, new: Node, domain: frozenset[str] = ALL_ATOMS, *, descend: bool = False
    ) -> list[Change]:
        """Changes from ``old`` to ``new`` (paths relative to the node).

        ``descend``: the nodes apply to a part of the value (a property, an item), not
        to the value itself. Only then may a pair met again be assumed compatible.
        """
        if same_node(old, new):
            return []
        key = (_ids(old), _ids(new), domain, self._quiet > 0)
        found = self._cache.get(key)
        if found is not None:
            return found
        depth = self._depth + 1 if descend else self._depth
        started = self._active.get(key)
        if started is not None:
            self._assumed += 1
            if depth > started:
                return []
            return make("", "unanalysable", _LOOP, UNKNOWN, UNKNOWN)
        before, outer = self._assumed, self._depth
        self._active[key] = self._depth = depth
        try:
            result = self._compare(old, new, domain)
        finally:
            del self._active[key]
            self._depth = outer
        if self._assumed == before:
            self._cache[key] = result
        return result

    def subset(
        self, a: Node, b: Node, domain: frozenset[str] = ALL_ATOMS, *, descend: bool = False
    ) -> Effect:
        """Does every value valid under ``a`` validate under ``b``? (ok / unknown / breaks)."""
        if not b:
            return OK
        if self._loses_atoms(a, b, domain):
            return BREAKS
        self._quiet += 1
        try:
            return effect_of(self.compare(a, b, domain, descend=descend), "backward")
        finally:
            self._quiet -= 1

    def _loses_atoms(self, a: Node, b: Node, domain: frozenset[str]) -> bool:
        """Shortcut of :meth:`subset`: ``a`` accepts a type ``b`` rejects, both analysable.

        :meth:`_compare` then reports ``type-narrowed`` (breaks backward), whatever else
        it finds; unless the pair is on the cycle guard's stack (which decides it instead).
        """
        if (_ids(a), _ids(b), domain, True) in self._active:
            return False
        ea, eb = self.expand(a, domain), self.expand(b, domain)
        if any(s.opaque for s in ea.shapes) or any(s.opaque for s in eb.shapes):
            return False
        atoms_b = frozenset().union(*(s.atoms for s in eb.shapes))
        return any(not s.atoms <= atoms_b for s in ea.shapes)

    def shape_subset(self, a: Shape, b: Shape, atoms: frozenset[str]) -> Effect:
        self._quiet += 1
        try:
            return effect_of(self.compare_shapes(a, b, atoms), "backward")
        finally:
            self._quiet -= 1

    def expand(self, node: Node, domain: frozenset[str]) -> Expansion:
        key = (_ids(node), domain)
        found = self._expansions.get(key)
        if found is None:
            found = expand(node, domain, self.disjoint)
            self._expansions[key] = found
        return found

    def describe(self, node: Node) -> str:
        """Short wording of what ``node`` accepts, e.g. ``integer | null``."""
        shapes = self.expand(node, ALL_ATOMS).shapes
        return describe_atoms(frozenset().union(*(s.atoms for s in shapes)))

    def disjoint(self, a: Shape, b: Shape) -> bool:
        return logic.disjoint(a, b)

    # -- one node pair -------------------------------------------------------

    def _compare(self, old: Node, new: Node, domain: frozenset[str]) -> list[Change]:
        eo, en = self.expand(old, domain), self.expand(new, domain)
        reason = next((s.opaque for s in (*eo.shapes, *en.shapes) if s.opaque), "")
        if reason:
            if same_node(old, new, self.ignore):
                return []
            return make("", "unanalysable", f"cannot analyse: {reason}", UNKNOWN, UNKNOWN)
        atoms_o = frozenset().union(*(s.atoms for s in eo.shapes))
        atoms_n = frozenset().union(*(s.atoms for s in en.shapes))
        out: list[Change] = []
        lost, gained = atoms_o - atoms_n, atoms_n - atoms_o
        if lost:
            out += make(
                "/type", "type-narrowed", f"no longer accepts {describe_atoms(lost)}", BREAKS, OK
            )
        if gained:
            out += make(
                "/type", "type-widened", f"now also accepts {describe_atoms(gained)}", OK, BREAKS
            )
        pairing = pair_shapes(eo.shapes, en.shapes, atoms_o & atoms_n, self.ignore)
        out += self._pairs(eo.shapes, en.shapes, pairing)
        if not (eo.exact and en.exact) and not same_node(old, new, self.ignore):
            note = "oneOf branches are not provably exclusive (a value matching two is rejected)"
            if not en.exact:
                out += make("/oneOf", "oneOf-overlap", f"new {note}", UNKNOWN, OK)
            if not eo.exact:
                out += make("/oneOf", "oneOf-overlap", f"old {note}", OK, UNKNOWN)
        out += self._witnesses(old, new, eo.shapes + en.shapes, out, domain)
        return dedupe(out) if len(eo.shapes) > 1 or len(en.shapes) > 1 else out

    def _witnesses(
        self,
        old: Node,
        new: Node,
        shapes: list[Shape],
        found: list[Change],
        domain: frozenset[str],
    ) -> list[Change]:
        """Proven breaks, by example, for directions that are only "cannot prove"."""
        out: list[Change] = []
        for direction, source, target in (("backward", old, new), ("forward", new, old)):
            if effect_of(found, direction) != UNKNOWN:  # type: ignore[arg-type]
                continue
            value = witness.find(source, target, shapes, domain)
            if witness.missing(value):
                continue
            if direction == "backward":
                message = f"{short(value)} was accepted and is now rejected"
                out += make("", "witness", message, BREAKS, OK)
            else:
                message = f"{short(value)} is now accepted and was rejected"
                out += make("", "witness", message, OK, BREAKS)
        return out

    def _pairs(self, olds: list[Shape], news: list[Shape], pairing: Pairing) -> list[Change]:
        out: list[Change] = []
        for (i, j), atoms in pairing.pairs.items():
            o, n = olds[i], news[j]
            found, changes = self._shape_pair(o, n, atoms)
            if (i, j) in pairing.multi_new:
                changes = self._rivals(changes, o, news, j, atoms, "backward")
            if (i, j) in pairing.multi_old:
                changes = self._rivals(changes, n, olds, i, atoms, "forward")
            out += found + prefix(changes, n.branch or o.branch)
        for i, atoms in pairing.old_only.items():
            effect = self._alone(olds[i], news, atoms)
            out += make(
                olds[i].branch,
                "branch-removed",
                f"alternative {_name(olds[i], atoms)} removed",
                effect,
                OK,
            )
        for j, atoms in pairing.new_only.items():
            effect = self._alone(news[j], olds, atoms)
            out += make(
                news[j].branch,
                "branch-added",
                f"alternative {_name(news[j], atoms)} added",
                OK,
                effect,
            )
        return out

    def _rivals(
        self,
        changes: list[Change],
        shape: Shape,
        others: list[Shape],
        skip: int,
        atoms: frozenset[str],
        direction: Direction,
    ) -> list[Change]:
        """Breaks of one pair, judged against the other alternatives of the far side."""
        if effect_of(changes, direction) == OK:
            return changes
        rivals = [x for k, x in enumerate(others) if k != skip and x.atoms & atoms]
        if any(atoms <= x.atoms and self.shape_subset(shape, x, atoms) == OK for x in rivals):
            return mask(changes, direction != "backward", direction != "forward")
        if all(self.disjoint(shape, x) for x in rivals):
            return changes
        return soften(changes, direction)

    def _alone(self, shape: Shape, others: list[Shape], atoms: frozenset[str]) -> Effect:
        """Effect of an alternative with no counterpart: covered, disjoint, or unknown."""
        rivals = [x for x in others if x.atoms & atoms]
        if len(rivals) == 1 and atoms <= rivals[0].atoms:
            return self.shape_subset(shape, rivals[0], atoms)
        if any(atoms <= x.atoms and self.shape_subset(shape, x, atoms) == OK for x in rivals):
            return OK
        if all(self.disjoint(shape, x) for x in rivals):
            return BREAKS
        return UNKNOWN

    # -- one shape pair ------------------------------------------------------

    def compare_shapes(self, o: Shape, n: Shape, atoms: frozenset[str]) -> list[Change]:
        """Changes between two shapes over ``atoms``."""
        found, changes = self._shape_pair(o, n, atoms)
        return found + changes

    def _shape_pair(
        self, o: Shape, n: Shape, atoms: frozenset[str]
    ) -> tuple[list[Change], list[Change]]:
        """(non-validating changes, keyword-family changes relative to the branch)."""
        found = [] if self._quiet else notes.diff(o, n, self.annotation_keys)
        out: list[Change] = []
        if o.refs != n.refs:
            out += make("/$ref", "ref-changed", notes.ref_message(o.refs, n.refs), OK, OK)
        if _same_content(o, n, self.ignore):
            return found, out
        vo, vn = enums.finite(o, atoms), enums.finite(n, atoms)
        out += enums.compare(o, n, vo, vn, atoms)
        rest: list[Change] = []
        if atoms & NUMERIC:
            rest += numbers.compare(o, n, atoms)
        if "string" in atoms:
            rest += strings.compare(o, n)
        if "array" in atoms:
            rest += arrays.compare(o, n, self)
        if "object" in atoms:
            rest += objects.compare(o, n, self)
        rest += logic.compare(o, n, atoms, self)
        return found, out + mask(rest, vo is None, vn is None)


def _name(shape: Shape, atoms: frozenset[str]) -> str:
    name = label(shape)
    return f"{name} ({describe_atoms(atoms)})" if name else f"({describe_atoms(atoms)})"


def _same_content(o: Shape, n: Shape, ignore: frozenset[str]) -> bool:
    """Fast path: the parts are equal keyword for keyword (annotations and the ``$ref`` that
    brought in a part aside) and contain no further reference."""
    if len(o.parts) != len(n.parts):
        return False
    for po, pn in zip(o.parts, n.parts, strict=True):
        if po.doc.draft != pn.doc.draft:
            return False
        a = {k: v for k, v in po.schema.items() if k not in ignore and k != "$ref"}
        b = {k: v for k, v in pn.schema.items() if k not in ignore and k != "$ref"}
        if not plain_equal(a, b):
            return False
    return True


def _ids(node: Node) -> tuple[tuple[int, int], ...]:
    return tuple((id(s.schema), id(s.doc)) for s in node)
