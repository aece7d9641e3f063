"""Reading a curator's YAML evidence file into a tree that remembers the line of every value.

PyYAML composes the file into nodes that carry their position; this module turns them into plain mappings,
lists and scalars that keep that line, so every later error can name `file:line`. Scalars stay the text the
curator wrote ("75.0", "0.210", "true"): the schema and the ontology decide their type, and a number keeps the
precision it was printed with. Duplicate keys are an error (YAML would silently keep the last one).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import EvidenceError


@dataclass(frozen=True)
class Scalar:
    """One scalar as written: its text, its line, and whether it was quoted."""

    text: str
    line: int
    quoted: bool = False

    @property
    def is_null(self) -> bool:
        return not self.quoted and self.text in ("", "~", "null", "Null", "NULL")

    def __str__(self) -> str:
        return self.text


class Mapping(dict):
    """A YAML mapping (str keys) with the line it starts on and the line of each key."""

    def __init__(self, line: int):
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class Sequence(list):
    """A YAML sequence with the line it starts on."""

    def __init__(self, line: int):
        super().__init__()
        self.line = line


Value = Scalar | Mapping | Sequence
# libyaml's composer is twenty times faster than the pure-Python one and keeps the same marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def line_of(value) -> int:
    return value.line if isinstance(value, (Scalar, Mapping, Sequence)) else 0


def load_evidence_yaml(path: Path) -> Mapping:
    """The file's top-level mapping, every value remembering its line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise EvidenceError(path, None, f"cannot read the evidence file ({error.strerror})") from None
    except UnicodeDecodeError as error:
        raise EvidenceError(path, None, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise EvidenceError(path, line, f"not valid YAML: {error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise EvidenceError(path, None, f"not valid YAML: {' '.join(str(error).split())}") from None
    if node is None:
        raise EvidenceError(path, 1, "the file is empty; an evidence file is a mapping with 'source' and 'statements'")
    tree = _convert(path, node)
    if not isinstance(tree, Mapping):
        raise EvidenceError(path, tree.line, "an evidence file is a mapping with 'source' and 'statements'")
    return tree


def _convert(path: Path, node: yaml.Node) -> Value:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        return Scalar(node.value, line, quoted=node.style in ("'", '"', "|", ">"))
    if isinstance(node, yaml.SequenceNode):
        sequence = Sequence(line)
        sequence.extend(_convert(path, item) for item in node.value)
        return sequence
    mapping = Mapping(line)
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise EvidenceError(path, key_node.start_mark.line + 1, "a key must be plain text")
        key = key_node.value
        if key in mapping:
            raise EvidenceError(path, key_node.start_mark.line + 1,
                                f"the key '{key}' is given twice in this mapping (first on line {mapping.line_of(key)})")
        mapping[key] = _convert(path, value_node)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping
