"""The one way her2graph runs the HermiT reasoner (through owlready2): `validate`'s consistency check and
`reason` both call `run_hermit`.

What this wrapper guarantees, whatever HermiT does:
- Java is looked for first; without it the error names the fix (ReasonerUnavailable).
- Every owlready2 error becomes one of our own (errors.ReasonerError): a file owlready2 cannot read, a Java
  process that fails, a reasoner that cannot be started. An inconsistency is an answer, not an error.
- No temporary file and no owlready2 World outlives the call.

owlready2's `sync_reasoner_hermit` writes the ontology to a `tempfile.NamedTemporaryFile(delete=False)` in the
process's temporary folder and removes it only when Java succeeds, and it takes no folder argument. So the
reasoning runs in a forked child process that points `tempfile` at a scratch folder of our own (a change
confined to the child), and the parent removes that folder, with whatever owlready2 left in it, when the child
ends. The child's World (an SQLite store in memory) goes with the child. The child sends back plain data:
IRIs as strings. Fork keeps this cheap (no re-import); the callers are command-line steps (build, reason,
validate) that run it before any server thread starts.
"""
from __future__ import annotations

import multiprocessing
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import owlready2

from .errors import ReasonerError, ReasonerUnavailable, one_line

REASONER = "HermiT"
# owlready2 writes the inferences of sync_reasoner_hermit to this ontology (its spelling)
INFERENCES_ONTOLOGY = "http://inferrences/"
_MESSAGE_LIMIT = 500


@dataclass(frozen=True)
class HermitAnswer:
    """What HermiT said about an ontology file."""

    consistent: bool
    inconsistency: str = ""
    # IRI-to-IRI triples HermiT inferred (classifications; property values when asked for)
    inferred: frozenset[tuple[str, str, str]] = frozenset()
    unsatisfiable_classes: tuple[str, ...] = ()


def java_or_error() -> str:
    """The Java command HermiT will run, or ReasonerUnavailable saying how to install it."""
    java = shutil.which(owlready2.JAVA_EXE)
    if java is None:
        raise ReasonerUnavailable(f"{REASONER} needs Java ({owlready2.JAVA_EXE!r} is not on PATH): install a Java "
                                  "runtime (Debian: apt-get install default-jre-headless)")
    return java


def run_hermit(ontology: Path, *, infer_property_values: bool) -> HermitAnswer:
    """Load `ontology` (RDF/XML, OWL/XML or N-Triples) into a fresh World and run HermiT over it."""
    java_or_error()
    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory(prefix="her2graph-hermit-") as scratch:
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_reason_in_child, name="her2graph-hermit",
                                args=(sender, Path(ontology).resolve().as_uri(), infer_property_values, scratch))
        child.start()
        sender.close()
        try:
            outcome, payload = receiver.recv()
        except EOFError:
            child.join()
            raise ReasonerError(f"{REASONER}'s process ended without an answer (exit code {child.exitcode})") from None
        finally:
            receiver.close()
            if child.is_alive():
                child.join(timeout=5)
            if child.is_alive():  # interrupted while reasoning: do not leave it running
                child.kill()
                child.join()
    if outcome == "answer":
        return payload
    raise ReasonerUnavailable(payload) if outcome == "unavailable" else ReasonerError(payload)


def _reason_in_child(sender, ontology_uri: str, infer_property_values: bool, scratch: str) -> None:
    tempfile.tempdir = scratch  # this forked child only: owlready2's leftover temporary file lands in scratch
    try:
        sender.send(_outcome(ontology_uri, infer_property_values))
    finally:
        sender.close()


def _outcome(ontology_uri: str, infer_property_values: bool) -> tuple[str, object]:
    world = owlready2.World()
    try:
        try:
            world.get_ontology(ontology_uri).load()
        except Exception as error:  # owlready2's parsers raise many kinds; all mean "cannot read this file"
            return "error", f"owlready2 cannot read {ontology_uri}: {_short(error)}"
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=infer_property_values, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as error:
            return "answer", HermitAnswer(False, inconsistency=_short(error))
        except owlready2.OwlReadyJavaError as error:
            return "error", f"{REASONER} failed: {_short(error)}"
        except FileNotFoundError as error:
            return "unavailable", f"{REASONER} could not start Java: {_short(error)}"
        except Exception as error:  # any other owlready2 or OS error: ours to report, never a traceback
            return "error", f"{REASONER} could not be run: {type(error).__name__}: {_short(error)}"
        return "answer", HermitAnswer(True, inferred=_inferred_triples(world),
                                      unsatisfiable_classes=_unsatisfiable_classes(world))
    finally:
        world.close()


def _inferred_triples(world) -> frozenset[tuple[str, str, str]]:
    """The IRI-to-IRI triples owlready2 put in its inferences ontology (blank nodes and literals left out)."""
    triples = set()
    for s, p, o in world.get_ontology(INFERENCES_ONTOLOGY).get_triples(None, None, None):
        if isinstance(s, int) and isinstance(o, int) and s > 0 and o > 0:  # negative ids are blank nodes
            triples.add((world._unabbreviate(s), world._unabbreviate(p), world._unabbreviate(o)))
    return frozenset(triples)


def _unsatisfiable_classes(world) -> tuple[str, ...]:
    return tuple(sorted(cls.iri for cls in world.inconsistent_classes() if cls is not owlready2.Nothing))


def _short(error: BaseException) -> str:
    return one_line(error)[:_MESSAGE_LIMIT] or type(error).__name__
