"""The built wheel carries what a user expects of a package: licence, typing marker, metadata."""

from __future__ import annotations

import zipfile
from email.parser import Parser
from pathlib import Path

from drift import __version__


def test_wheel_has_license_py_typed_and_metadata(drift_wheel: Path) -> None:
    assert drift_wheel.name == f"schema_drift-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(drift_wheel) as wheel:
        names = set(wheel.namelist())
        info = f"schema_drift-{__version__}.dist-info"
        assert "drift/py.typed" in names
        license_text = wheel.read(f"{info}/licenses/LICENSE").decode()
        metadata = Parser().parsestr(wheel.read(f"{info}/METADATA").decode())
    repo_license = (Path(__file__).resolve().parents[2] / "LICENSE").read_text()
    assert license_text == repo_license
    assert license_text.startswith("MIT License")
    assert metadata["Name"] == "schema-drift"
    assert metadata["License-Expression"] == "MIT"
    assert "Typing :: Typed" in metadata.get_all("Classifier")
    urls = dict(u.split(", ", 1) for u in metadata.get_all("Project-URL"))
    assert {"Homepage", "Repository", "Issues"} <= set(urls)
    assert all(url.startswith("https://") for url in urls.values())
