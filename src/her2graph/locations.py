"""Where the curated data lives: a checkout's top-level folders, or the copy packed into the wheel.

HER2GRAPH_DATA overrides both (a folder with ontology/, graph/, shapes/, queries/, mappings/, release/, docs/).
"""
from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_ROOT = _PACKAGE_DIR.parent.parent


def data_root() -> Path:
    """The folder holding ontology/, graph/, shapes/ and queries/."""
    override = os.environ.get("HER2GRAPH_DATA")
    if override:
        return Path(override).resolve()
    packed = _PACKAGE_DIR / "data"
    if (packed / "ontology").is_dir():
        return packed
    return _CHECKOUT_ROOT


def is_installed_data(root: Path) -> bool:
    """True when `root` is the copy of the data installed inside the package (not a folder to write in)."""
    return Path(root).resolve() == (_PACKAGE_DIR / "data").resolve()


def ontology_dir(root: Path | None = None) -> Path:
    return (root or data_root()) / "ontology"


def graph_dir(root: Path | None = None) -> Path:
    return (root or data_root()) / "graph"


def shapes_dir(root: Path | None = None) -> Path:
    return (root or data_root()) / "shapes"


def queries_dir(root: Path | None = None) -> Path:
    return (root or data_root()) / "queries"


def mappings_dir(root: Path | None = None) -> Path:
    return (root or data_root()) / "mappings"


def release_dir(root: Path | None = None) -> Path:
    return (root or data_root()) / "release"


def docs_dir(root: Path | None = None) -> Path:
    return (root or data_root()) / "docs"


def evidence_dir(root: Path | None = None) -> Path:
    """The curators' evidence files, the source registry and the public-domain source texts."""
    return (root or data_root()) / "evidence"
