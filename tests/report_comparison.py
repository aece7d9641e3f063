"""Comparing two validation reports result by result: the SPARQL engine's against pySHACL's (the reference)."""
from __future__ import annotations

from rdflib import BNode


def distinct_results(report) -> set[tuple]:
    """The report's results as comparable tuples, each once.

    Each once: pySHACL repeats an identical result of a SPARQL-based constraint component once per value
    node of its focus node; the repeats say nothing more. A blank node (a path such as
    [ sh:inversePath h2g:hasArmMedian ], an anonymous constraint) is compared by its role, not its label.
    """
    def plain(node):
        return "(blank node)" if isinstance(node, BNode) else node

    return {(r.severity, r.focus_node, r.focus_label, r.message, plain(r.path), r.value, r.source_shape,
             plain(r.source_constraint), r.constraint_component, r.spans) for r in report.results}


def differences(fast, reference, except_rule=None) -> str:
    """'' when both reports hold the same results (but those of `except_rule`, a shape or a named SPARQL
    constraint), else a listing of what each has alone."""
    def kept(results):
        return {result for result in results if except_rule not in (result[6], result[7])}

    mine, theirs = kept(distinct_results(fast)), kept(distinct_results(reference))
    lines = [f"  only the SPARQL engine: {item}" for item in sorted(mine - theirs, key=str)]
    lines += [f"  only pySHACL: {item}" for item in sorted(theirs - mine, key=str)]
    return "\n".join(lines)
