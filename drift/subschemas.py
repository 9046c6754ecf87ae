"""Where a JSON Schema holds subschemas, per draft: the one table every walker reads. Pure.

A keyword's value holds subschemas in one of three forms: one subschema
(:attr:`SubschemaKeywords.one`), a list of them (``lists``) or an object whose
values are subschemas (``maps``). ``items`` is in both ``one`` and ``lists`` up to
2019-09 (a list is its tuple form), so a walker reads a keyword as a list when it
is in ``lists`` *and* its value is a list, else as one subschema when it is in
``one``, else as a map when it is in ``maps`` and its value is an object. A value
that is no object (a boolean schema, ``dependencies``' lists of property names)
is no further subschema.

Each draft's table is what its own metaschema applies itself to (``$ref: "#"``,
``$recursiveRef``, ``$dynamicRef: "#meta"``); a test derives it from the
published metaschemas. 2019-09 and 2020-12 keep ``definitions`` and
``dependencies`` in their metaschemas for compatibility, so they are here too.

Who reads which: the structural hash (:mod:`drift.canonical`) and structural
equality (:mod:`drift.compat.same`) read :data:`ANY_DRAFT`, the union, so that
stripping annotations never depends on which draft ``$schema`` names; the fast
metaschema check (:mod:`drift.metaschema`) reads :data:`DRAFT_2020_12`, the only
draft it checks (extra positions would only send more documents to jsonschema).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ANY_DRAFT", "BY_DRAFT", "DRAFT_2020_12", "SubschemaKeywords"]


@dataclass(frozen=True)
class SubschemaKeywords:
    """The keywords of one draft (or a union of drafts) whose values hold subschemas."""

    one: frozenset[str]
    """The value is a subschema."""
    lists: frozenset[str]
    """The value is a list of subschemas."""
    maps: frozenset[str]
    """The value's values are subschemas."""

    def adding(
        self, *, one: frozenset[str] = frozenset(), maps: frozenset[str] = frozenset()
    ) -> SubschemaKeywords:
        """This table with the keywords a later draft adds."""
        return SubschemaKeywords(self.one | one, self.lists, self.maps | maps)

    def __or__(self, other: SubschemaKeywords) -> SubschemaKeywords:
        return SubschemaKeywords(
            self.one | other.one, self.lists | other.lists, self.maps | other.maps
        )


DRAFT_4 = SubschemaKeywords(
    one=frozenset({"additionalItems", "additionalProperties", "items", "not"}),
    lists=frozenset({"allOf", "anyOf", "oneOf", "items"}),
    maps=frozenset({"definitions", "dependencies", "patternProperties", "properties"}),
)
DRAFT_6 = DRAFT_4.adding(one=frozenset({"contains", "propertyNames"}))
DRAFT_7 = DRAFT_6.adding(one=frozenset({"if", "then", "else"}))
DRAFT_2019_09 = DRAFT_7.adding(
    one=frozenset({"contentSchema", "unevaluatedItems", "unevaluatedProperties"}),
    maps=frozenset({"$defs", "dependentSchemas"}),
)
#: ``items`` is one subschema only; ``prefixItems`` took its tuple form and
#: ``additionalItems``' job.
DRAFT_2020_12 = SubschemaKeywords(
    one=DRAFT_2019_09.one - {"additionalItems"},
    lists=(DRAFT_2019_09.lists - {"items"}) | {"prefixItems"},
    maps=DRAFT_2019_09.maps,
)
#: Keyed as :func:`drift.compat.vocab.detect_draft` names the drafts (draft 3: as 4).
BY_DRAFT = {
    4: DRAFT_4,
    6: DRAFT_6,
    7: DRAFT_7,
    2019: DRAFT_2019_09,
    2020: DRAFT_2020_12,
}
ANY_DRAFT = DRAFT_4 | DRAFT_6 | DRAFT_7 | DRAFT_2019_09 | DRAFT_2020_12
