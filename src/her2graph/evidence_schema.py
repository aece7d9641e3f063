"""Checking an evidence file against its LinkML schema (evidence/schema/evidence.linkml.yaml).

linkml-runtime's SchemaView reads the schema (classes, induced slots, ranges, patterns, required and
multivalued flags); this module walks the line-keeping tree of evidence_yaml with it, so each violation is a
one-line error at the curator's line. LinkML's own validators work on plain dicts and would lose the lines,
which is why the walk is ours. A multivalued slot also takes a single value (`a: h2g:Trial`).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from linkml_runtime.utils.schemaview import SchemaView

from .errors import DataFileError, EvidenceError
from .evidence_yaml import Mapping, Scalar, Sequence, Value, line_of
from .locations import evidence_dir

SCHEMA_FILE = Path("schema") / "evidence.linkml.yaml"
ROOT_CLASS = "EvidenceFile"
_ANY = "Any"


def schema_path(root: Path | None = None) -> Path:
    return evidence_dir(root) / SCHEMA_FILE


@lru_cache(maxsize=4)
def _schema_view(path: Path) -> SchemaView:
    try:
        return SchemaView(str(path))
    except Exception as error:  # linkml-runtime raises many kinds for a missing or malformed schema
        raise DataFileError(path, f"cannot read the LinkML schema: {' '.join(str(error).split())}") from None


def check_evidence_tree(tree: Mapping, file: Path, root: Path | None = None) -> None:
    """Raise EvidenceError at the first place the tree breaks the schema."""
    view = _schema_view(schema_path(root).resolve())
    _check_object(view, tree, ROOT_CLASS, file)


def _check_object(view: SchemaView, value: Value, class_name: str, file: Path) -> None:
    if not isinstance(value, Mapping):
        raise EvidenceError(file, line_of(value), f"expected a mapping (a {class_name}), found {_kind(value)}")
    slots = {slot.name: slot for slot in view.class_induced_slots(class_name)}
    for key in value:
        if key not in slots:
            known = ", ".join(sorted(slots))
            raise EvidenceError(file, value.line_of(key), f"'{key}' is not a field of a {class_name} (fields: {known})")
    for name, slot in slots.items():
        if slot.required and (name not in value or _is_empty(value[name])):
            raise EvidenceError(file, value.line, f"a {class_name} needs '{name}'")
    for key, item in value.items():
        _check_slot(view, slots[key], item, file)


def _check_slot(view: SchemaView, slot, value: Value, file: Path) -> None:
    if slot.range == _ANY:
        return
    items = list(value) if isinstance(value, Sequence) else [value]
    if isinstance(value, Sequence) and not slot.multivalued:
        raise EvidenceError(file, value.line, f"'{slot.name}' takes one value, not a list")
    for item in items:
        if slot.range in view.all_classes():
            _check_object(view, item, slot.range, file)
        else:
            _check_scalar(view, slot, item, file)


def _check_scalar(view: SchemaView, slot, value: Value, file: Path) -> None:
    if not isinstance(value, Scalar):
        raise EvidenceError(file, line_of(value), f"'{slot.name}' takes plain text, found {_kind(value)}")
    text = value.text.strip()
    if slot.range == "integer" and not re.fullmatch(r"[0-9]+", text):
        raise EvidenceError(file, value.line, f"'{slot.name}' takes whole numbers, found {text!r}")
    pattern = _pattern(view, slot.range)
    if pattern and not re.search(pattern, text):
        described = view.get_type(slot.range).description or slot.range
        raise EvidenceError(file, value.line, f"'{slot.name}' is {text!r}; expected {described}")


def _pattern(view: SchemaView, range_name: str | None) -> str | None:
    while range_name and range_name in view.all_types():
        type_definition = view.get_type(range_name)
        if type_definition.pattern:
            return type_definition.pattern
        range_name = type_definition.typeof
    return None


def _is_empty(value: Value) -> bool:
    return (isinstance(value, Scalar) and value.is_null) or (isinstance(value, (Sequence, Mapping)) and not value)


def _kind(value: Value) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, Sequence):
        return "a list"
    return f"the text {str(value)!r}"
