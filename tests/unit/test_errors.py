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


def test_every_exception_class_of_the_package_is_defined_in_errors() -> None:
    elsewhere = []
    for name in _all_modules():
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == name
                and name != "drift.errors"
                and not attr.startswith("_")
            ):
                elsewhere.append(f"{name}.{attr}")
    assert elsewhere == []


def test_every_error_class_is_drawn_in_the_tree() -> None:
    tree = errors.__doc__ or ""
    classes = [
        value
        for value in vars(errors).values()
        if inspect.isclass(value) and issubclass(value, errors.DriftError)
    ]
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
