"""Where the curated data lives: a checkout's top-level folders, or the copy packed into the wheel.

A folder given for one call (`her2graph --data DIR`, through `data_root_given`) overrides both, and so does
the environment variable HER2GRAPH_DATA (a folder with ontology/, graph/, shapes/, queries/, mappings/,
release/, docs/). The command line does not write the variable: a --data of one call does not outlive it.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_ROOT = _PACKAGE_DIR.parent.parent
# The --data folder of the command running now, set for the command's duration by data_root_given. Not yet a
# parameter of every function: the data root is read deep inside (dataset loading, build, store cache, the
# service's request threads, which is why this is not a ContextVar), where a `root` argument is optional and
# None means "the data root". Passing it down explicitly everywhere is left to the re-layout of issue 12.
_given_root: list[Path] = []


@contextmanager
def data_root_given(root: Path | None) -> Iterator[None]:
    """Within the block, `data_root()` is `root` (when not None), whatever HER2GRAPH_DATA says."""
    if root is None:
        yield
        return
    _given_root.append(Path(root).resolve())
    try:
        yield
    finally:
        _given_root.pop()


def data_root() -> Path:
    """The folder holding ontology/, graph/, shapes/ and queries/."""
    if _given_root:
        return _given_root[-1]
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
