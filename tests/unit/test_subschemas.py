"""drift.subschemas is what each draft's metaschema says, and every walker reads it.

The tables are derived here from the published metaschemas (``jsonschema_specifications``,
which jsonschema ships): a keyword is a subschema position where the metaschema applies
itself again. Then each consumer is shown to look at exactly its positions: the
structural hash and structural equality at every position of any draft, the fast
metaschema check at every 2020-12 position (and, deliberately, nowhere else: there
jsonschema, whose answer it must equal, does not look either).
"""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema_specifications import REGISTRY

from drift import subschemas
from drift.canonical import strip_annotations, structural_hash
from drift.compat.resolve import Doc, Sub
from drift.compat.same import same
from drift.metaschema import fast_accepts, first_error
from drift.model import DEFAULT_ANNOTATION_KEYS

METASCHEMAS = {
    4: "http://json-schema.org/draft-04/schema",
    6: "http://json-schema.org/draft-06/schema",
    7: "http://json-schema.org/draft-07/schema",
    2019: "https://json-schema.org/draft/2019-09/schema",
    2020: "https://json-schema.org/draft/2020-12/schema",
}
ITSELF = ({"$ref": "#"}, {"$recursiveRef": "#"}, {"$dynamicRef": "#meta"})
NOT_STRUCTURE = ("default", "$comment", "deprecated", "type", "propertyNames")


def _forms(schema: Any) -> set[str]:
    """How a metaschema property's schema holds the metaschema: one, list, map."""
    if not isinstance(schema, dict):
        return set()
    core = {k: v for k, v in schema.items() if k not in NOT_STRUCTURE}
    if core in ITSELF:
        return {"one"}
    if str(core.get("$ref", "")).endswith("/schemaArray"):
        return {"list"}
    if list(core) == ["anyOf"]:
        return set().union(*(_forms(branch) for branch in core["anyOf"]))
    if list(core) == ["additionalProperties"] and "one" in _forms(core["additionalProperties"]):
        return {"map"}
    return set()


def _properties(uri: str) -> dict[str, Any]:
    """The metaschema's properties, its vocabularies' (``allOf: [{$ref: meta/...}]``) too."""
    document = REGISTRY.contents(uri)
    found = dict(document.get("properties", {}))
    for part in document.get("allOf", []):
        ref = part.get("$ref", "")
        if ref.startswith("meta/"):
            found.update(_properties(uri.rsplit("/", 1)[0] + "/" + ref))
    return found


def published(draft: int) -> subschemas.SubschemaKeywords:
    forms: dict[str, set[str]] = {"one": set(), "list": set(), "map": set()}
    for keyword, schema in _properties(METASCHEMAS[draft]).items():
        for form in _forms(schema):
            forms[form].add(keyword)
    return subschemas.SubschemaKeywords(
        frozenset(forms["one"]), frozenset(forms["list"]), frozenset(forms["map"])
    )


@pytest.mark.parametrize("draft", sorted(METASCHEMAS))
def test_each_drafts_table_is_what_its_metaschema_applies_itself_to(draft: int) -> None:
    assert subschemas.BY_DRAFT[draft] == published(draft)


def test_any_draft_is_the_union_and_the_differences_are_the_known_ones() -> None:
    union = published(4) | published(6) | published(7) | published(2019) | published(2020)
    assert union == subschemas.ANY_DRAFT
    newest = subschemas.DRAFT_2020_12
    # the positions only older drafts have: additionalItems, and items' tuple form
    assert union.one - newest.one == {"additionalItems"}
    assert union.lists - newest.lists == {"items"}
    assert union.maps == newest.maps


def _placed(keyword: str, form: str, subschema: dict[str, Any]) -> Any:
    return {"one": subschema, "list": [subschema], "map": {"name": subschema}}[form]


def _positions(table: subschemas.SubschemaKeywords) -> list[tuple[str, str]]:
    return sorted(
        [(k, "one") for k in table.one]
        + [(k, "list") for k in table.lists]
        + [(k, "map") for k in table.maps]
    )


@pytest.mark.parametrize(("keyword", "form"), _positions(subschemas.ANY_DRAFT))
def test_the_structural_hash_strips_annotations_at_every_position_of_any_draft(
    keyword: str, form: str
) -> None:
    annotated = {keyword: _placed(keyword, form, {"title": "t", "type": "string"})}
    bare = {keyword: _placed(keyword, form, {"type": "string"})}
    assert strip_annotations(annotated, DEFAULT_ANNOTATION_KEYS) == bare
    assert structural_hash(annotated) == structural_hash(bare)
    outside = {"x-not-a-keyword": _placed(keyword, form, {"title": "t"})}
    assert strip_annotations(outside, DEFAULT_ANNOTATION_KEYS) == outside  # data, not schema


@pytest.mark.parametrize(("keyword", "form"), _positions(subschemas.ANY_DRAFT))
def test_structural_equality_looks_into_every_position_of_any_draft(
    keyword: str, form: str
) -> None:
    def sub(subschema: dict[str, Any]) -> Sub:
        root = {keyword: _placed(keyword, form, subschema)}
        return Sub(root, Doc(root))

    ignore = frozenset({"title"})
    assert same(
        sub({"title": "a", "type": "string"}), sub({"title": "b", "type": "string"}), ignore
    )
    assert not same(sub({"title": "a", "type": "string"}), sub({"title": "a"}), ignore)


def _bad_pattern_at(keyword: str, form: str) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        keyword: _placed(keyword, form, {"pattern": "("}),
    }


@pytest.mark.parametrize(("keyword", "form"), _positions(subschemas.DRAFT_2020_12))
def test_the_fast_metaschema_check_looks_at_every_2020_12_position(keyword: str, form: str) -> None:
    schema = _bad_pattern_at(keyword, form)
    assert first_error(schema) is not None  # jsonschema: not a valid regex there
    assert not fast_accepts(schema)


@pytest.mark.parametrize(("keyword", "form"), [("additionalItems", "one"), ("items", "list")])
def test_older_drafts_positions_are_no_2020_12_positions_for_jsonschema_either(
    keyword: str, form: str
) -> None:
    schema = _bad_pattern_at(keyword, form)
    if form == "list":  # items as a list is no 2020-12 schema at all
        assert first_error(schema) is not None
        assert not fast_accepts(schema)
    else:  # an unknown keyword: its value is not looked at
        assert first_error(schema) is None
        assert fast_accepts(schema)
