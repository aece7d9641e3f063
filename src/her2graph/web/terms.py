"""Showing RDF terms to people: a SPARQL JSON term (SPARQL 1.1 Query Results JSON, §3.2.2) as text and a link.

IRIs of the her2graph namespace link to their Linked Data page on this service; other http(s) IRIs link to
themselves; any other scheme is shown but not linked (no javascript: or file: links from data).
"""
from __future__ import annotations

from flask import request

from ..namespaces import BASE, PREFIXES

LOCAL_FOLDERS = ("resource/", "ontology/", "graph/")
"""The parts of the her2graph namespace this service serves, besides the ontology's own IRI (linked_data.py)."""
_PREFIXED = sorted(((str(namespace), prefix) for prefix, namespace in PREFIXES.items()),
                   key=lambda item: -len(item[0]))


NUMERIC_DATATYPES = frozenset(f"http://www.w3.org/2001/XMLSchema#{name}" for name in (
    "integer", "decimal", "double", "float", "long", "int", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte"))
"""XSD's numeric types (XML Schema 1.1 Part 2, §3.3): their literals are shown as numbers."""


def local_path(iri: str) -> str | None:
    """The path that dereferences `iri` on this service, or None if it is not ours."""
    if not iri.startswith(BASE):
        return None
    rest = iri[len(BASE):]
    ours = rest == "ontology" or any(rest.startswith(folder) and rest != folder for folder in LOCAL_FOLDERS)
    return f"{request.script_root}/{rest}" if ours else None


def prefixed(iri: str) -> str:
    """`iri` as prefix:local where a her2graph prefix fits (and the local part is a plain name), else the IRI."""
    for namespace, prefix in _PREFIXED:
        local = iri[len(namespace):]
        if iri.startswith(namespace) and local and all(c.isalnum() or c in "-_." for c in local):
            return f"{prefix}:{local}"
    return iri


def label_of(iri: str) -> str:
    """A readable name for an IRI with no label: its last segment."""
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1] or iri


def term_view(term: dict, labels: dict[str, str] | None = None) -> dict:
    """Text, link and annotations of one term for a template."""
    kind, value = term["type"], term["value"]
    if kind == "uri":
        href = local_path(value) or (value if value.startswith(("http://", "https://")) else None)
        return {"kind": "iri", "text": (labels or {}).get(value) or prefixed(value), "iri": value, "href": href}
    if kind == "bnode":
        return {"kind": "bnode", "text": f"_:{value}", "iri": None, "href": None}
    datatype = term.get("datatype")
    return {"kind": "literal", "text": value, "iri": None, "href": None, "lang": term.get("xml:lang"),
            "datatype": prefixed(datatype) if datatype else None, "numeric": datatype in NUMERIC_DATATYPES}
