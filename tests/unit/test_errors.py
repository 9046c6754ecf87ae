"""drift.errors: every error class lives there, is drawn in its tree, and maps to one exit code."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import drift
from drift import errors


def _all_modules() -> list[str]:
    found = pkgutil.walk_packages(drift.__path__, "drift.")
    return ["drift", *(info.name for info in found if info.name != "drift.__main__")]


#: Exception classes drawn in drift/errors.py as living elsewhere, and why there.
ELSEWHERE = {
    "drift.tomlread._TooDeep",  # a tomllib.TOMLDecodeError: errors.py would import tomllib
}


def test_every_exception_class_of_the_package_is_defined_in_errors() -> None:
    elsewhere = set()
    for name in _all_modules():
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == name
                and name != "drift.errors"
            ):
                elsewhere.add(f"{name}.{attr}")  # private control-flow classes too
    assert elsewhere <= ELSEWHERE


def classes_under(root: type[BaseException]) -> list[type[BaseException]]:
    """The classes drift.errors defines under ``root`` (``root`` included)."""
    return [
        value
        for value in vars(errors).values()
        if inspect.isclass(value) and issubclass(value, root)
    ]


def test_internal_control_flow_is_drawn_apart_and_is_no_drift_error() -> None:
    tree = errors.__doc__ or ""
    internal = classes_under(errors.ControlFlow)
    assert {cls.__name__ for cls in internal} >= {"ControlFlow", "NoMinimalValue", "RetryAttempt"}
    part = tree[tree.index("Internal control flow") :]  # drawn after the public tree
    for cls in internal:
        assert f" {cls.__name__} " in part, f"{cls.__name__} is not drawn with ControlFlow"
        assert not issubclass(cls, errors.DriftError)  # except DriftError never swallows one
        assert cls.__name__ not in errors.__all__
        assert errors.exit_code_for(cls.__new__(cls)) is None  # one that escaped: a traceback


def test_every_error_class_is_drawn_in_the_tree() -> None:
    tree = errors.__doc__ or ""
    classes = classes_under(errors.DriftError)
    assert len(classes) == len([n for n in errors.__all__ if n != "exit_code_for"])
    for cls in classes:
        drawn = [line for line in tree.splitlines() if f" {cls.__name__} " in f" {line} "]
        assert drawn, f"{cls.__name__} is not drawn in drift/errors.py"
        parent = cls.__mro__[1]
        if cls is not errors.DriftError:
            # drawn below its parent: the parent's line comes first and is less indented
            lines = tree.splitlines()
            at = lines.index(drawn[0])
            above = [ln for ln in lines[:at] if f" {parent.__name__} " in f" {ln} "]
            assert above, f"{cls.__name__} is not drawn under {parent.__name__}"


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (errors.ConfigError("x"), 2),
        (errors.FixtureError("x"), 2),
        (errors.UnknownSchemaError("x"), 2),
        (errors.RegistryUnavailable("x"), 3),
        (errors.SchemaNotFound("x"), 3),
        (errors.UnsafeSchemaName("x"), 2),
        (errors.RollbackFailed("x"), 2),
        (PermissionError("report.json"), 2),
        (KeyboardInterrupt(), 130),
        (RuntimeError("a bug"), None),
        (SystemExit(0), None),
    ],
)
def test_exit_code_for(error: BaseException, code: int | None) -> None:
    assert errors.exit_code_for(error) == code


def test_unsafe_schema_name_is_both_kinds() -> None:
    error = errors.UnsafeSchemaName("../x")
    assert isinstance(error, errors.RegistryError)
    assert isinstance(error, errors.UnsafeNameError)
    assert error.kind == "error"
