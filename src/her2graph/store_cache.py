"""The service's validated data as one N-Quads file, built once per content and kept in a cache folder.

Loading the curated Turtle with rdflib and validating it with pySHACL takes seconds on the shipped graph and
minutes at 100k triples; neither needs doing again while the inputs are unchanged. The inputs are hashed
(SHA-256 of the named-graphs table, every file it names, every file under shapes/, and the code and library
versions that decide what "loaded" and "valid" mean); a build is written only after validation passed, as
`DIGEST.nq` in the cache folder, so finding that file means the same inputs were validated before.

The file holds the named graphs as they are and, as its default graph, their RDF merge (a set of triples,
as SPARQL's default graph over several graphs should be): a query worker bulk-loads it as is.

The folder is HER2GRAPH_CACHE_DIR, else $XDG_CACHE_HOME/her2graph, else ~/.cache/her2graph. Builds are
written atomically (several services may share the folder) and only the most recently used few are kept.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pyoxigraph

from . import __version__
from .dataset import NAMED_GRAPHS_TABLE, named_graph_specs
from .errors import Her2graphError
from .locations import data_root, graph_dir, shapes_dir

CACHE_DIR_VARIABLE = "HER2GRAPH_CACHE_DIR"
CACHE_FORMAT = "her2graph-store-1"
"""Changes whenever the layout of a build changes, so old builds are not mistaken for new ones."""
KEPT_BUILDS = 4
"""Builds kept in the cache folder (most recently used first): enough for a few data folders side by side."""
DEFINING_MODULES = ("dataset.py", "validation.py", "store_cache.py")
"""Our modules whose code decides what a build holds and whether it is valid: part of the digest."""
DEFINING_PACKAGES = ("rdflib", "pyshacl", "pyoxigraph")
_MERGE = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


class GraphNotValid(Her2graphError):
    """The graph has SHACL violations: it is not built, and not served."""

    def __init__(self, report):
        self.report = report
        super().__init__("the graph has SHACL violations")


@dataclass(frozen=True)
class BuiltStore:
    """A validated build: its N-Quads file, the digest of its inputs, its size, and how it was obtained."""

    nquads: Path
    digest: str
    reused: bool
    """True when the build was found in the cache (nothing loaded with rdflib, nothing validated)."""
    seconds: float

    def quads(self) -> int:
        """How many quads the build holds (the named graphs' triples and their merge's)."""
        with self.nquads.open("rb") as handle:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def cache_dir() -> Path:
    """The folder builds are kept in."""
    chosen = os.environ.get(CACHE_DIR_VARIABLE)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "her2graph"


def input_digest(root: Path | None = None) -> str:
    """SHA-256 of everything a build depends on, as hex."""
    root = root or data_root()
    digest = hashlib.sha256()

    def add(label: str, content: bytes) -> None:
        digest.update(f"{label}\0{len(content)}\0".encode())
        digest.update(content)

    add("format", CACHE_FORMAT.encode())
    add("her2graph", __version__.encode())
    for package in DEFINING_PACKAGES:
        add(package, _package_version(package).encode())
    here = Path(__file__).parent
    for module in DEFINING_MODULES:
        add(module, (here / module).read_bytes())
    add(NAMED_GRAPHS_TABLE, (graph_dir(root) / NAMED_GRAPHS_TABLE).read_bytes())
    for spec in named_graph_specs(root):
        for path in spec.files(root):
            add(f"{spec.iri} {path.relative_to(root)}", path.read_bytes())
    shapes = shapes_dir(root)
    for path in sorted(p for p in shapes.rglob("*") if p.is_file()):
        add(f"shapes {path.relative_to(shapes)}", path.read_bytes())
    return digest.hexdigest()


def built_store(root: Path | None = None, folder: Path | None = None) -> BuiltStore:
    """The validated build of the data at `root`, from the cache if there, else loaded, validated and built.

    Raises GraphNotValid (with the report) when the graph has SHACL violations.
    """
    started = time.perf_counter()
    root = root or data_root()
    folder = folder or cache_dir()
    digest = input_digest(root)
    path = folder / f"{digest}.nq"
    if path.exists():
        os.utime(path)  # most recently used: kept longest
        return BuiltStore(path, digest, True, time.perf_counter() - started)
    _build(root, path)
    _forget_old_builds(folder)
    return BuiltStore(path, digest, False, time.perf_counter() - started)


def _build(root: Path, path: Path) -> None:
    from .dataset import load_dataset
    from .validation import validate_dataset

    dataset = load_dataset(root)
    report = validate_dataset(dataset, root)
    if not report.conforms:
        raise GraphNotValid(report)
    store = pyoxigraph.Store()
    store.bulk_load(dataset.serialize(format="nquads", encoding="utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)
    del dataset
    store.update(_MERGE)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".building-", suffix=".nq")
    os.close(handle)
    try:
        store.dump(temporary, format=pyoxigraph.RdfFormat.N_QUADS)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _forget_old_builds(folder: Path) -> None:
    builds = sorted(folder.glob("*.nq"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in builds[KEPT_BUILDS:]:
        old.unlink(missing_ok=True)


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"
