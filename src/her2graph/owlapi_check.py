"""Checking an ontology file with the Java OWL API, the library Protégé is built on (Debian: libowlapi-java).

java/OwlApiCheck.java loads the file (imports resolved through a catalog-v001.xml beside it, as Protégé does)
and reports parse failures, missing imports, unparsed triples, guessed declarations and OWL 2 DL profile
violations. It runs with Java's single-file source launcher, which needs a JDK (default-jdk-headless), not
just a JRE.
"""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Her2graphError

JAVA_DIR = Path("/usr/share/java")
CHECKER_SOURCE = Path(__file__).resolve().parent / "java" / "OwlApiCheck.java"
# libowlapi-java's jar and the jars of the packages it depends on (Debian installs unversioned links).
OWLAPI_JARS = ("owlapi-distribution", "guava", "caffeine", "commons-codec", "commons-io", "commons-rdf-api",
               "commons-rdf-simple", "hppcrt", "jsr305", "atinject-jsr330-api", "jackson-annotations",
               "jackson-core", "jackson-databind", "slf4j-api", "slf4j-nop", "xz", "httpclient", "httpcore",
               # rdf4j's JSON-LD parser, which the OWL API tries on a file it cannot read otherwise
               "jsonld-java", "httpclient-cache")
RDF4J_JARS = "rdf4j-*.jar"
TIMEOUT_SECONDS = 300
# The OWL API parser that speaks a file's syntax, by suffix: its complaint is the one worth showing.
_PARSER_BY_SUFFIX = {".owl": "RDFXMLParser", ".rdf": "RDFXMLParser", ".xml": "RDFXMLParser",
                     ".ttl": "TurtleOntologyParser", ".owx": "OWLXMLParser", ".ofn": "OWLFunctionalSyntaxOWLParser",
                     ".omn": "ManchesterOWLSyntaxOntologyParser", ".obo": "OBOFormatOWLAPIParser"}


class OwlApiUnavailable(Her2graphError):
    """The OWL API jars or a JDK are missing."""


@dataclass
class OwlApiReport:
    """The checker's verdict on one file."""

    exit_code: int
    summary: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return self.exit_code == 0 and not self.problems

    parser_errors: dict[str, str] = field(default_factory=dict)
    """When the file could not be loaded: what each OWL API parser said, by parser name."""

    def lines(self, kind: str) -> list[str]:
        return [line for line in self.problems if line.startswith(kind + "\t")]

    def failure_reason(self, path: Path) -> str:
        """Why the file was not loaded, in one line: the complaint of the parser for its syntax."""
        expected = _PARSER_BY_SUFFIX.get(Path(path).suffix.lower())
        if expected in self.parser_errors:
            return f"the OWL API's {expected} says: {_shortened(self.parser_errors[expected])}"
        errors = [line.split("\t", 2)[-1] for line in self.lines("ERROR")]
        if errors:
            return _shortened(errors[0])
        return "the OWL API stopped without saying why"


def owlapi_classpath(java_dir: Path = JAVA_DIR) -> str:
    """The class path for the checker; raises OwlApiUnavailable naming what is missing."""
    jars = [java_dir / f"{name}.jar" for name in OWLAPI_JARS]
    missing = [jar.name for jar in jars if not jar.exists()]
    if missing:
        raise OwlApiUnavailable(f"missing {', '.join(missing)} in {java_dir} (Debian: apt-get install libowlapi-java)")
    rdf4j = sorted(jar for jar in java_dir.glob(RDF4J_JARS) if not jar.stem.rsplit("-", 1)[-1][:1].isdigit())
    return ":".join(str(jar) for jar in jars + rdf4j)


def check_with_owlapi(path: Path) -> OwlApiReport:
    """Load `path` with the OWL API and report what it finds."""
    if shutil.which("java") is None or shutil.which("javac") is None:
        raise OwlApiUnavailable("the OWL API check needs a JDK (Debian: apt-get install default-jdk-headless)")
    command = ["java", "-cp", owlapi_classpath(), str(CHECKER_SOURCE), str(Path(path).resolve())]
    run = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    report = OwlApiReport(run.returncode)
    for line in run.stdout.splitlines():
        kind, _, rest = line.partition("\t")
        if kind == "SUMMARY":
            report.summary = dict(item.split("=", 1) for item in rest.split("\t") if "=" in item)
        elif kind == "PARSER":
            parser, _, _, message = rest.split("\t", 3)
            report.parser_errors.setdefault(parser, message)
        elif kind:
            report.problems.append(line)
    if run.returncode not in (0, 1) and not report.problems:
        report.problems.append("ERROR\t" + " ".join(run.stderr.split())[:2000])
    return report


def _shortened(message: str, limit: int = 300) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[:limit - 1] + "…"
