"""Whether a release file is what the sources build today (for `her2graph reason`, which reasons over a file).

A release is stale when the sources (ontology, facts, provenance, the mapping and external-terms tables) have
changed since it was built, or when they no longer build at all. The check rebuilds the release in memory at
the release's own date and compares: bytes first (builds are reproducible), graphs when the bytes differ
(a release written by an older writer may hold the same triples in another order).
"""
from __future__ import annotations

from pathlib import Path

from rdflib.compare import graph_diff, isomorphic

from .errors import Her2graphError


def staleness_of(release: Path, root: Path | None = None) -> str | None:
    """None when `release` is what the sources under `root` build at its date, else a sentence saying why not."""
    from .build import build_import_module, build_mappings, build_release
    from .canonical_rdf import rdfxml_bytes
    from .dataset import parse_rdf_file
    from .release import release_date_of, release_version_in_file

    version = release_version_in_file(release)
    if version is None:
        return f"{release} has no dated version IRI, so whether it matches the sources is unknown"
    try:
        committed = parse_rdf_file(Path(release))
        date = release_date_of(committed)
        built = build_release(date, root, imports=build_import_module(root), mappings=build_mappings(root))
    except Her2graphError as error:
        return f"the sources do not build now ({error}), so {release} is older than them: fix them and run " \
               "`her2graph build`"
    if Path(release).read_bytes() == rdfxml_bytes(built) or isomorphic(built, committed):
        return None
    _, only_built, only_release = graph_diff(built, committed)
    return (f"{release} is older than the sources: they now build a release with {len(only_built)} triples it "
            f"lacks and without {len(only_release)} it has; run `her2graph build`")
