"""The service's options: one table feeds `her2graph serve --help`, the environment variables and the app.

Each option is a command-line flag, an environment variable (HER2GRAPH_ + its name) and a key of the Flask
config (its name); the flag wins over the variable, the variable over the default. A yes-or-no option is a
flag without a value; its variable takes 1/0, true/false, yes/no or on/off.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from . import answer_cache, connection_bounds, engine, query_guard

ENV_PREFIX = "HER2GRAPH_"
_YES, _NO = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


def boolean(text: str) -> bool:
    """A yes-or-no option's value from its environment variable."""
    value = text.strip().lower()
    if value not in _YES + _NO:
        raise ValueError(text)
    return value in _YES


@dataclass(frozen=True)
class Option:
    name: str
    """Config key; the flag is --name-in-lowercase, the variable HER2GRAPH_NAME."""
    default: object
    type: type
    help: str
    metavar: str
    default_help: str | None = None
    """How --help names the default, when the value itself (None) would not say it."""

    @property
    def flag(self) -> str:
        return "--" + self.name.lower().replace("_", "-")

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name

    @property
    def is_switch(self) -> bool:
        return self.type is boolean


SERVER_OPTIONS = (
    Option("HOST", "127.0.0.1", str, "interface to listen on (0.0.0.0 for every IPv4 interface)", "HOST"),
    Option("PORT", 8000, int, "TCP port to listen on (0: any free port, printed at start)", "PORT"),
    Option("THREADS", 8, int, "HTTP request threads (requests beyond the query workers wait for one)", "N"),
    Option("CACHE_DIR", None, str, "folder of validated builds of the graph, reused while the inputs are "
           "unchanged; made if missing", "DIR", "$XDG_CACHE_HOME/her2graph, else ~/.cache/her2graph"),
    Option("WORKER_STORE", engine.WORKER_STORE, str, "where the query workers read the graph: disk (the build's "
           "on-disk Oxigraph store, opened read-only by every worker: ready at once, one copy shared through the "
           "page cache) or memory (loaded once into memory and shared copy-on-write: queries 3 to 7 times "
           "faster, a start that loads the whole graph)", "disk|memory"),
    Option("MAX_CLIENT_CONNECTIONS", connection_bounds.MAX_CLIENT_CONNECTIONS, int,
           "connections one client address may hold open at once; more are answered 503 (raise it behind a "
           "reverse proxy, whose address every request comes from)", "N"),
    Option("REQUEST_READ_SECONDS", connection_bounds.REQUEST_READ_SECONDS, float,
           "seconds a client has to send a whole request from its first byte; slower is answered 408", "SECONDS"),
)
APP_OPTIONS = (
    Option("QUERY_TIMEOUT", engine.QUERY_TIMEOUT, float,
           "seconds a query may run before it is stopped (answer: 503)", "SECONDS"),
    Option("MAX_ROWS", engine.MAX_ROWS, int,
           "most rows (solutions or triples) in one answer; more is refused with 422", "ROWS"),
    Option("MAX_BODY", 1_048_576, int, "largest request body in bytes; larger is refused with 413", "BYTES"),
    Option("MAX_ANSWER_BYTES", answer_cache.MAX_ANSWER_BYTES, int,
           "largest answer in bytes; larger is refused with 422", "BYTES"),
    Option("WORKERS", engine.WORKERS, int, "query worker processes (queries evaluated at once)", "N"),
    Option("WORKER_MEMORY_MB", engine.WORKER_MEMORY_MB, int, "address space of one query worker, in MiB", "MIB"),
    Option("MAX_NESTING", query_guard.MAX_NESTING_DEPTH, int,
           "deepest nesting of { ( [ in a query; deeper is refused with 400", "DEPTH"),
    Option("MAX_OPERATORS", query_guard.MAX_OPERATORS, int,
           "most UNION, OPTIONAL, MINUS, FILTER and operator signs in a query; more is refused with 400", "N"),
    Option("ANSWER_CACHE_MB", answer_cache.ANSWER_CACHE_MB, int,
           "memory for answers kept in front of the engine, in MiB; 0 keeps none", "MIB"),
    Option("NO_CACHE", False, boolean, "keep no answers (as --answer-cache-mb 0)", None),
    Option("STORE", None, str, "front another SPARQL 1.1 store at this query URL instead of the in-process "
           "engine (its default graph should be the merge of the named graphs, as `her2graph push` leaves it; "
           "no answers are kept)", "URL", "none: the in-process engine"),
    Option("STORE_MERGE_GRAPH", None, str, "with --store: the named graph holding the merge, as `her2graph push "
           "--merge-graph IRI` leaves it, for a store with no default graph of its own (Virtuoso); every query "
           "then goes with a whole dataset: that graph as default, ours as named graphs", "IRI",
           "none: the store's own default graph"),
    Option("NOOP_ENDPOINT", False, boolean, "also answer /benchmark/noop with a constant body (the HTTP "
           "stack's ceiling, for her2graph benchmark)", None),
)
OPTIONS = SERVER_OPTIONS + APP_OPTIONS


def from_environment(options=OPTIONS, environ=os.environ) -> dict:
    """The options set by environment variables, converted to their types (ValueError names a bad one)."""
    found = {}
    for option in options:
        if option.env in environ:
            try:
                found[option.name] = option.type(environ[option.env])
            except ValueError:
                kind = "yes or no (1/0, true/false)" if option.is_switch else f"a valid {option.type.__name__}"
                raise ValueError(f"{option.env}={environ[option.env]!r} is not {kind}") from None
    return found


def app_defaults() -> dict:
    return {option.name: option.default for option in APP_OPTIONS}
