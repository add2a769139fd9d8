"""The wheel carries every package and every content folder, with no deprecated metadata."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_every_python_package_is_listed() -> None:
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    for top in ("bot", "storage"):
        for init in (ROOT / top).rglob("__init__.py"):
            name = ".".join(init.parent.relative_to(ROOT).parts)
            assert name in listed, f"{name} is missing from [tool.setuptools] packages"


def test_every_content_folder_is_listed_as_a_data_package() -> None:
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    for folder in (ROOT / "content").rglob("*"):
        if folder.is_dir() and any(folder.glob("*.yaml")):
            name = ".".join(("bot._content", *folder.relative_to(ROOT / "content").parts))
            assert name in listed, f"{name} is missing: setuptools would warn and skip it"


def test_license_is_an_spdx_expression_not_a_deprecated_table() -> None:
    assert PYPROJECT["project"]["license"] == "MIT"
