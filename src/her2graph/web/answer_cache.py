"""Remembering answers in the web process, in front of the engine: the data is read-only while served.

The same query over the same data, asked for the same dataset, base IRI and media type, has the same
answer, so an answer is kept in memory and given again without reaching a worker. The key is (the data's
content digest, the normalised query text, default-graph-uri list, named-graph-uri list, base IRI, media
type, whether the row cap applies). Keying by the data's digest empties the cache, in effect, when the data
changes: a service restarted on other data never finds an old answer.

The cache is bounded by every byte it keeps (ANSWER_CACHE_MB): the answer, its key (the query text, the base
IRI, the graph IRIs) and a fixed allowance per entry for the objects that hold them; the least recently
used go first. An answer larger than 1/MAX_SHARE of the budget, or with a key longer than LONGEST_KEY, is
given but not kept. Errors are never kept: a time-out may pass on a quieter machine. Answers that use NOW,
RAND, UUID, STRUUID or BNODE are never kept either: each evaluation gives another. Each kept or keepable
answer says whether it was a hit or a miss (the X-Cache header); the others have no such header.

Two queries share an entry only when their texts differ by SPARQL white space (space, tab, CR, LF) between
tokens, in a text without quote characters or backslashes: no other difference is taken out. (Other
Unicode spaces are not SPARQL white space: inside an IRI they are part of it, between tokens the parser
refuses them.)

Screening a query (query_guard) costs about as much as the rest of a request; its result depends on the
text alone, so screened queries are remembered too, bounded by their bytes, in every mode.
"""
from __future__ import annotations

import re
import sys
import threading
from collections import OrderedDict
from dataclasses import replace

from ..errors import QueryError
from .engine import Answer, SelectsBindings
from .query_guard import ScreenedQuery

MAX_ANSWER_BYTES = 32 * 1024 * 1024
"""Largest answer given to a client, in bytes (beyond the row cap: a few rows can hold huge literals)."""
ANSWER_CACHE_MB = 64
"""Memory for kept answers, in MiB (0 turns the answer cache off)."""
MAX_SHARE = 8
"""An answer larger than 1/MAX_SHARE of the budget is given but not kept, so one answer cannot flush the rest."""
SCREENED_QUERY_BYTES = 8 * 1024 * 1024
"""Memory for remembered screened query texts, in bytes."""
LONGEST_REMEMBERED_QUERY = 64 * 1024
"""Longer query texts are screened each time rather than remembered."""
LONGEST_KEY = 80 * 1024
"""An answer whose key (query text, IRIs, base IRI) takes more bytes is given but not kept."""
ENTRY_OVERHEAD = 512
"""Bytes counted per kept entry beyond its strings: the tuples, the answer object, the LRU's own node."""

_SPARQL_WHITESPACE = re.compile(r"[ \t\r\n]+")
_KEPT_AS_WRITTEN = ('"', "'", "\\")


def normalised_query(text: str) -> str:
    """The query text with what cannot change its meaning taken out.

    Surrounding SPARQL white space (space, tab, CR, LF) always. Inner runs of it become one space (one line
    break where the run holds one, since a line break ends a comment), but only in a query without quote
    characters or backslashes: there no string literal (not even one written with \\u0022) can hold white
    space whose exact form matters. Other Unicode spaces are never touched.
    """
    text = text.strip(" \t\r\n")
    if any(character in text for character in _KEPT_AS_WRITTEN):
        return text
    return _SPARQL_WHITESPACE.sub(lambda run: "\n" if "\n" in run.group() or "\r" in run.group() else " ", text)


def kept_size(*parts) -> int:
    """The bytes an entry made of `parts` (strings, bytes, tuples of them, None) holds in memory."""
    size = ENTRY_OVERHEAD
    for part in parts:
        if isinstance(part, tuple):
            size += kept_size(*part) - ENTRY_OVERHEAD
        elif part is not None:
            size += sys.getsizeof(part)
    return size


class AnswerTooLarge(QueryError):
    """The answer is larger, in bytes, than the service gives in one response."""


class BoundedLru:
    """A thread-safe least-recently-used mapping bounded by the total size of its values."""

    def __init__(self, max_size: int):
        self.max_size = max_size
        self.size = 0
        self.hits = self.misses = 0
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[0]

    def put(self, key, value, size: int) -> None:
        with self._lock:
            if key in self._entries:
                self.size -= self._entries.pop(key)[1]
            self._entries[key] = (value, size)
            self.size += size
            while self.size > self.max_size and self._entries:
                self.size -= self._entries.popitem(last=False)[1][1]

    def __len__(self) -> int:
        return len(self._entries)


class CachingEngine(SelectsBindings):
    """An engine (QueryEngine, RemoteEngine) with screened queries remembered and, optionally, answers."""

    def __init__(self, engine, data_digest: str | None, answer_bytes: int, max_answer_bytes: int = MAX_ANSWER_BYTES):
        self.engine = engine
        self.data_digest = data_digest
        self.max_answer_bytes = max_answer_bytes
        self.answers = BoundedLru(answer_bytes) if answer_bytes > 0 else None
        self._screened = BoundedLru(SCREENED_QUERY_BYTES)

    def prepare(self, text: str) -> ScreenedQuery:
        if len(text) > LONGEST_REMEMBERED_QUERY:
            return self.engine.prepare(text)
        screened = self._screened.get(text)
        if screened is None:
            screened = self.engine.prepare(text)  # a refused query raises here and is not remembered
            self._screened.put(text, screened, kept_size(text))
        return screened

    def evaluate(self, query: ScreenedQuery, default_graph_uris=(), named_graph_uris=(),
                 media_type: str | None = None, timeout: float | None = None, base_iri: str | None = None,
                 capped: bool = True) -> Answer:
        """The engine's answer, kept or found when it may be; a capped answer of more than max_answer_bytes
        is refused (AnswerTooLarge), as the row cap refuses too many rows."""
        answer = self._evaluate(query, default_graph_uris, named_graph_uris, media_type, timeout, base_iri, capped)
        if capped and len(answer.body) > self.max_answer_bytes:
            raise AnswerTooLarge(f"the answer has {len(answer.body)} bytes, more than the {self.max_answer_bytes} "
                                 "this service gives at once: add LIMIT (and OFFSET to page through it) or select "
                                 "fewer or shorter values")
        return answer

    def _evaluate(self, query, default_graph_uris, named_graph_uris, media_type, timeout, base_iri, capped):
        if self.answers is None:
            return self.engine.evaluate(query, default_graph_uris, named_graph_uris, media_type, timeout,
                                        base_iri, capped)
        if query.volatile:  # another evaluation, another answer: nothing to keep or find
            return self.engine.evaluate(query, default_graph_uris, named_graph_uris, media_type, timeout,
                                        base_iri, capped)
        key = (self.data_digest, normalised_query(query.text), tuple(default_graph_uris),
               tuple(named_graph_uris), base_iri, media_type, capped)
        key_size = kept_size(*key[:5]) - ENTRY_OVERHEAD
        kept = self.answers.get(key) if key_size <= LONGEST_KEY else None
        if kept is not None:
            return replace(kept, cache="hit")
        answer = self.engine.evaluate(query, default_graph_uris, named_graph_uris, media_type, timeout,
                                      base_iri, capped)
        size = kept_size(*key[:5], answer.body)
        if key_size <= LONGEST_KEY and size <= self.answers.max_size // MAX_SHARE:
            self.answers.put(key, answer, size)
        return replace(answer, cache="miss")

    @property
    def workers_isolated(self) -> bool:
        return self.engine.workers_isolated

    def status(self) -> dict:
        status = self.engine.status()
        if self.answers is not None:
            status["answer_cache"] = {"answers": len(self.answers), "bytes": self.answers.size,
                                      "hits": self.answers.hits, "misses": self.answers.misses}
        return status

    def close(self) -> None:
        self.engine.close()
