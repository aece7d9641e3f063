"""The service's validated data, built once per content and kept in a cache folder: an on-disk Oxigraph store
that query workers open read-only, and the same data as one N-Quads file.

Building parses the curated files with Oxigraph (store_loading) and validates them with SHACL run as SPARQL
on that store (shacl_sparql; pySHACL where the shapes need it): 34 s at a million triples, where rdflib and
pySHACL took ten minutes. Neither needs doing again while the inputs are unchanged. The inputs are hashed
(SHA-256 of the named-graphs table, every file it names, every file under shapes/, and the code and library
versions that decide what "loaded" and "valid" mean); a build is written only after validation passed, as
`DIGEST.nq` in the cache folder, so finding that file means the same inputs were validated before.

The file holds the named graphs as they are and, as its default graph, their RDF merge (a set of triples,
as SPARQL's default graph over several graphs should be): a query worker bulk-loads it as is.

A build is trusted only when it is intact: beside `DIGEST.nq` are its validation report (`DIGEST.report.nt`,
the warnings it passed with) and a manifest (`DIGEST.json`) holding the SHA-256 and size of both, written
last. On every start the build and its report are hashed again (a second at a million triples) and compared:
a build cut short, a flipped byte, an edited number, a missing manifest mean the build is discarded and made
again from the curated files. A cache folder that cannot be written (read-only, full) costs the cache, not the
start: the build goes to a folder of the process's own, with one warning.

The folder is HER2GRAPH_CACHE_DIR, else $XDG_CACHE_HOME/her2graph, else ~/.cache/her2graph. Builds are
written atomically (several services may share the folder) and only the most recently used few are kept.
"""
from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
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
from .namespaces import GRAPH, SH

CACHE_DIR_VARIABLE = "HER2GRAPH_CACHE_DIR"
CACHE_FORMAT = "her2graph-store-3"
"""Changes whenever the layout of a build changes, so old builds are not mistaken for new ones."""
COPIES_FOLDER = "files"
"""Beside the builds: a copy of each data file they were made from, by digest (for incremental validation)."""
KEPT_BUILDS = 4
"""Builds kept in the cache folder (most recently used first): enough for a few data folders side by side."""
DEFINING_MODULES = ("dataset.py", "validation.py", "shacl_sparql.py", "store_loading.py", "incremental_validation.py",
                    "store_cache.py")
"""Our modules whose code decides what a build holds and whether it is valid: part of the digest."""
DEFINING_PACKAGES = ("rdflib", "pyshacl", "pyoxigraph")
STORE_SUFFIX = ".store"
"""The on-disk Oxigraph store of a build: `DIGEST.store/` beside `DIGEST.nq`."""
UNDIGESTED_STORE_FILES = ("LOG", "LOCK")
"""Files of a RocksDB folder without data (its activity log, old logs `LOG.old.*`, its lock): not in the
manifest, since opening the store may write them."""
SERVING_PREFIX = ".serving-"
"""Folders of hard links to a build's store, one per running service: see serving_copy."""


class GraphNotValid(Her2graphError):
    """The graph has SHACL violations: it is not built, and not served."""

    def __init__(self, report):
        self.report = report
        super().__init__("the graph has SHACL violations")


@dataclass(frozen=True)
class BuiltStore:
    """A validated build: its N-Quads file and on-disk store, the digest of its inputs, and how it was obtained."""

    nquads: Path
    digest: str
    reused: bool
    """True when the build was found in the cache (nothing loaded with rdflib, nothing validated)."""
    seconds: float
    discarded: str | None = None
    """Why a build found in the cache was not trusted, and so discarded and built again."""
    warning: str | None = None
    """Why the build is not kept in the cache folder (read-only, full), if it is not."""
    validated: str | None = None
    """What was validated to make the build: the whole graph, or what a change of files can affect."""

    @property
    def store(self) -> Path:
        """The on-disk Oxigraph store of the build (a RocksDB folder), to open read-only."""
        return store_path(self.nquads)

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
    return _digest_of([("base", base_digest(root).encode())] + [
        (f"{spec.iri} {path.relative_to(root)}", path.read_bytes())
        for spec in named_graph_specs(root) for path in spec.files(root)])


def base_digest(root: Path) -> str:
    """SHA-256 of what a build depends on besides the data files: format, code, libraries, the named-graphs
    table, the shapes. Builds with the same base digest differ only in data: one can be validated from the
    other incrementally."""
    here = Path(__file__).parent
    shapes = shapes_dir(root)
    return _digest_of(
        [("format", CACHE_FORMAT.encode()), ("her2graph", __version__.encode())]
        + [(package, _package_version(package).encode()) for package in DEFINING_PACKAGES]
        + [(module, (here / module).read_bytes()) for module in DEFINING_MODULES]
        + [(NAMED_GRAPHS_TABLE, (graph_dir(root) / NAMED_GRAPHS_TABLE).read_bytes())]
        + [(f"shapes {path.relative_to(shapes)}", path.read_bytes())
           for path in sorted(p for p in shapes.rglob("*") if p.is_file())])


def _digest_of(parts) -> str:
    digest = hashlib.sha256()
    for label, content in parts:
        digest.update(f"{label}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def built_store(root: Path | None = None, folder: Path | None = None) -> BuiltStore:
    """The validated build of the data at `root`, from the cache if there and intact, else loaded, validated
    and built.

    Raises GraphNotValid (with the report) when the graph has SHACL violations. A cache folder that cannot be
    written (read-only, full) does not stop anything: the build goes to a folder of this process instead, and
    `warning` says so.
    """
    started = time.perf_counter()
    root = root or data_root()
    folder = folder or cache_dir()
    digest = input_digest(root)
    path = folder / f"{digest}.nq"
    discarded = None
    if path.exists() or _manifest_path(path).exists() or store_path(path).exists():
        discarded = build_damage(path)
        if discarded is None:
            _touch(path)  # most recently used: kept longest
            return BuiltStore(path, digest, True, time.perf_counter() - started)
        _discard(path)
    warning = None
    try:
        validated = _build(root, path)
    except OSError as error:
        warning = (f"cannot keep the build in the cache folder {folder} ({error.strerror or error}); serving "
                   "without the cache: the next start will validate again")
        path = _private_folder() / f"{digest}.nq"
        validated = _build(root, path)
    else:
        _forget_old_builds(folder)
    return BuiltStore(path, digest, False, time.perf_counter() - started, discarded, warning, validated)


def build_damage(path: Path) -> str | None:
    """Why the build at `path` cannot be trusted (no manifest, a digest or size that differs from the one
    recorded when it was written, a report that was changed), or None when it is intact."""
    try:
        manifest = json.loads(_manifest_path(path).read_text(encoding="utf-8"))
        expected = (manifest["format"], manifest["nquads_sha256"], manifest["nquads_bytes"], manifest["report_sha256"],
                    manifest.get("store_files"))
    except FileNotFoundError:
        return "it has no manifest (written by an older version, or cut short)"
    except (OSError, ValueError, KeyError, TypeError) as error:
        return f"its manifest cannot be read ({error})"
    if expected[0] != CACHE_FORMAT:
        return f"it is of another format ({expected[0]})"
    try:
        if path.stat().st_size != expected[2]:
            return f"its size is {path.stat().st_size} bytes, not the {expected[2]} written"
        if file_sha256(path) != expected[1]:
            return "its content differs from the digest recorded when it was written"
        if file_sha256(_report_path(path)) != expected[3]:
            return "its validation report differs from the digest recorded when it was written"
        return _store_damage(store_path(path), expected[4])
    except OSError as error:
        return f"it cannot be read ({error.strerror or error})"
    return None


def _store_damage(folder: Path, expected) -> str | None:
    """Why the on-disk store `folder` differs from the manifest's record of its files, or None."""
    if not isinstance(expected, dict):
        return "its manifest records no on-disk store"
    if not folder.is_dir():
        return "its on-disk store is missing"
    found = store_files(folder)
    if set(found) != set(expected):
        changed = sorted(set(found) ^ set(expected))
        return f"its on-disk store's files differ from those written ({', '.join(changed[:3])})"
    for name, recorded in expected.items():
        if found[name].stat().st_size != recorded[1]:
            return f"its on-disk store's {name} is {found[name].stat().st_size} bytes, not the {recorded[1]} written"
    for name, recorded in expected.items():
        if file_sha256(found[name]) != recorded[0]:
            return f"its on-disk store's {name} differs from the digest recorded when it was written"
    return None


def store_files(folder: Path) -> dict[str, Path]:
    """The files of a RocksDB folder that hold data (all but UNDIGESTED_STORE_FILES), by name."""
    return {path.name: path for path in folder.iterdir()
            if not path.name.startswith(UNDIGESTED_STORE_FILES)}


def store_path(nquads: Path) -> Path:
    """The on-disk store of the build whose N-Quads file is `nquads`."""
    return nquads.with_suffix(STORE_SUFFIX)


def _build(root: Path, path: Path) -> str:
    """Load, validate (incrementally from an earlier build of the same data folder where one is in the cache)
    and write the build; what was validated, in words."""
    from .incremental_validation import file_digests
    from .shacl_sparql import UnsupportedShapes
    from .store_loading import load_validation_data
    from .validation import compile_shapes, load_shapes, report_graph_of, store_report

    shapes = load_shapes(_ontology_graph(root), root)
    try:
        compiled = compile_shapes(shapes)
    except UnsupportedShapes:  # shapes the SPARQL engine cannot run: pySHACL validates, the store is built as usual
        compiled = None
    data = load_validation_data(root, compiled.datatype_predicates if compiled else ())
    base, files = base_digest(root), file_digests(root)
    if compiled is None:
        findings, validated = _findings_of_pyshacl(root), "the whole graph (with pySHACL)"
    else:
        findings, validated = _findings(root, path.parent, base, compiled, data)
    if any(finding.severity == SH.Violation for finding in findings):
        raise GraphNotValid(store_report(findings, shapes, data.store))
    path.parent.mkdir(parents=True, exist_ok=True)
    report = report_graph_of(findings, shapes).serialize(format="nt", encoding="utf-8")
    nquads = _written(path, lambda temporary: data.store.dump(temporary, format=pyoxigraph.RdfFormat.N_QUADS))
    del data  # the validation store (1 GiB at a million triples) goes before RocksDB's bulk load takes as much
    _written(_report_path(path), lambda temporary: Path(temporary).write_bytes(report))
    written_store = _written_store(store_path(path), path)
    _keep_copies(root, files, path.parent)
    manifest = {"format": CACHE_FORMAT, "nquads_sha256": nquads[0], "nquads_bytes": nquads[1],
                "report_sha256": hashlib.sha256(report).hexdigest(), "store_files": written_store,
                "root": str(root.resolve()), "base": base, "files": files}
    _written(_manifest_path(path), lambda temporary: Path(temporary).write_text(json.dumps(manifest, indent=1)))
    return validated


def _findings(root: Path, folder: Path, base: str, compiled, data) -> tuple[list, str]:
    """The findings on `data`: those of an earlier build of the same folder, but for the focus nodes a change
    of its files can affect, validated again; else all of them."""
    from .incremental_validation import change_between
    from .validation import findings_of

    previous = _previous_build(folder, root, base)
    change = previous and change_between(root, previous[0]["files"], folder / COPIES_FOLDER, data.store)
    if not change:
        return compiled.run(data), "the whole graph"
    focus = change.focus_nodes
    kept = [finding for finding in findings_of(previous[1]) if _oxigraph(finding.focus) not in focus]
    fresh = compiled.run(data, focus_nodes=focus) if focus else []
    changed = len(change.added) + len(change.removed)
    return kept + fresh, f"incrementally: the {len(focus)} focus nodes {changed} changed triples can reach"


def _previous_build(folder: Path, root: Path, base: str):
    """(manifest, report graph, path) of the most recent intact build of the same data folder and base."""
    from rdflib import Graph

    candidates = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True) if folder.is_dir() else []
    for manifest_path in candidates:
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(manifest, dict) or manifest.get("root") != str(root.resolve()) or \
                manifest.get("base") != base or not isinstance(manifest.get("files"), dict):
            continue
        nquads = manifest_path.with_suffix(".nq")
        if build_damage(nquads) is None:
            return manifest, Graph().parse(_report_path(nquads), format="nt"), nquads
    return None


def _oxigraph(node):
    from .shacl_sparql import oxigraph_term

    return oxigraph_term(node)


def _keep_copies(root: Path, files: dict, folder: Path) -> None:
    from .incremental_validation import keep_copies

    keep_copies(root, files, folder / COPIES_FOLDER)


def _findings_of_pyshacl(root: Path) -> list:
    from .dataset import load_dataset
    from .validation import findings_of, validate_dataset_with_pyshacl

    return findings_of(validate_dataset_with_pyshacl(load_dataset(root), root).report_graph)


def _written(path: Path, write) -> tuple[str, int]:
    """Write `path` atomically (to a temporary file, then renamed); its SHA-256 and size."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".building-", suffix=path.suffix)
    os.close(handle)
    try:
        write(temporary)
        written = (file_sha256(Path(temporary)), os.path.getsize(temporary))
        os.replace(temporary, path)
        return written
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _written_store(folder: Path, nquads: Path) -> dict[str, list]:
    """Bulk-load `nquads` into a new on-disk Oxigraph store at `folder` (made in a temporary folder, then
    renamed, so no half-written store is ever found); SHA-256 and size of each of its data files."""
    temporary = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".building-", suffix=STORE_SUFFIX))
    try:
        store = pyoxigraph.Store(str(temporary))
        store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
        store.flush()
        del store  # closed: every file written and released before the folder is hashed and renamed
        written = {name: [file_sha256(file), file.stat().st_size] for name, file in store_files(temporary).items()}
        shutil.rmtree(folder, ignore_errors=True)  # a damaged store of the same digest, discarded already
        os.replace(temporary, folder)
        return written
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def serving_copy(store: Path) -> Path:
    """A folder of this process holding hard links to the files of the on-disk store `store`, removed when
    the process exits: the store the query workers open. Another service sharing the cache folder may evict
    the build while this one runs (it keeps only its newest builds); the links keep the files, so a worker or
    store holder started after that still opens the same data. Where links cannot be made (a read-only
    cache folder, which nobody can evict from either), `store` itself."""
    try:
        folder = Path(tempfile.mkdtemp(dir=store.parent, prefix=f"{SERVING_PREFIX}{os.getpid()}-"))
    except OSError:
        return store
    try:
        for name, file in store_files(store).items():
            os.link(file, folder / name)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return store
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _ontology_graph(root: Path):
    """The ontology named graph, parsed with rdflib (small): the from-ontology/ queries derive shapes from it."""
    from rdflib import Graph

    from .dataset import parse_rdf_file

    ontology = Graph()
    for spec in named_graph_specs(root):
        if spec.iri == GRAPH.ontology:
            for file in spec.files(root):
                parse_rdf_file(file, into=ontology)
    return ontology


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 22), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _manifest_path(nquads: Path) -> Path:
    return nquads.with_suffix(".json")


def _report_path(nquads: Path) -> Path:
    return nquads.with_suffix(".report.nt")


def _discard(path: Path) -> None:
    for part in (_manifest_path(path), path, _report_path(path)):
        try:
            part.unlink(missing_ok=True)
        except OSError:  # a read-only cache folder: the damaged build stays, and is never trusted
            pass
    shutil.rmtree(store_path(path), ignore_errors=True)


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:  # a read-only cache folder: the build is used, its age is not updated
        pass


def _private_folder() -> Path:
    """A folder of this process for its build, removed when it exits."""
    folder = Path(tempfile.mkdtemp(prefix="her2graph-build-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _forget_old_builds(folder: Path) -> None:
    builds = sorted(folder.glob("*.nq"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in builds[KEPT_BUILDS:]:
        _discard(old)
    kept = set()
    for build in builds[:KEPT_BUILDS]:
        try:
            files = json.loads(_manifest_path(build).read_text(encoding="utf-8")).get("files", {})
            kept |= {digest + Path(name).suffix for name, digest in files.items()}
        except (OSError, ValueError, AttributeError):
            continue
    for copy in (folder / COPIES_FOLDER).glob("*"):
        if copy.name not in kept:
            copy.unlink(missing_ok=True)
    for serving in folder.glob(f"{SERVING_PREFIX}*"):
        if not _running(serving.name[len(SERVING_PREFIX):].split("-", 1)[0]):
            shutil.rmtree(serving, ignore_errors=True)  # left by a service that was killed


def _running(pid: str) -> bool:
    """Whether the process `pid` (text) exists (or might: a process of another user)."""
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        pass
    return True


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"
