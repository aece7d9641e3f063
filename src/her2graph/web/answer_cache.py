"""Remembering answers in the web process, in front of the engine: the data is read-only while served.

The same query over the same data, asked for the same dataset, base IRI and media type, has the same
answer, so an answer is kept in memory and given again without reaching a worker. The key is (the data's
content digest, the normalised query text, default-graph-uri list, named-graph-uri list, base IRI, media
type, whether the row cap applies). Keying by the data's digest empties the cache, in effect, when the data
changes: a service restarted on other data never finds an old answer.

The cache is bounded by the bytes of the answers it holds (ANSWER_CACHE_MB); the least recently used go
first, and an answer larger than 1/MAX_SHARE of the budget is not kept. Errors are never kept: a time-out
may pass on a quieter machine. Each answer says whether it was a hit or a miss (the X-Cache header).

Screening a query (query_guard) costs about half a millisecond in Python, as much as the rest of a request;
its result depends on the text alone, so screened queries are remembered too, by count, in every mode.
"""
from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from dataclasses import replace

from .engine import RESULTS_DEFAULT, Answer
from .query_guard import ScreenedQuery

ANSWER_CACHE_MB = 64
"""Memory for kept answers, in MiB (0 turns the answer cache off)."""
MAX_SHARE = 8
"""An answer larger than 1/MAX_SHARE of the budget is given but not kept, so one answer cannot flush the rest."""
SCREENED_QUERIES = 4096
"""Screened query texts remembered."""
LONGEST_REMEMBERED_QUERY = 64 * 1024
"""Longer query texts are screened each time rather than remembered."""

_WHITESPACE = re.compile(r"\s+")


def normalised_query(text: str) -> str:
    """The query text with what cannot change its meaning taken out.

    Surrounding whitespace always. Inner whitespace runs become one space (one line break where the run
    holds one, since a line break ends a comment), but only in a query without quote characters: there no
    string literal can hold whitespace whose exact form matters, and no lexer ambiguity can make us wrong.
    """
    text = text.strip()
    if '"' in text or "'" in text:
        return text
    return _WHITESPACE.sub(lambda run: "\n" if "\n" in run.group() or "\r" in run.group() else " ", text)


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


class CachingEngine:
    """An engine (QueryEngine, RemoteEngine) with screened queries remembered and, optionally, answers."""

    def __init__(self, engine, data_digest: str | None, answer_bytes: int):
        self.engine = engine
        self.data_digest = data_digest
        self.answers = BoundedLru(answer_bytes) if answer_bytes > 0 else None
        self._screened = BoundedLru(SCREENED_QUERIES)

    def prepare(self, text: str) -> ScreenedQuery:
        if len(text) > LONGEST_REMEMBERED_QUERY:
            return self.engine.prepare(text)
        screened = self._screened.get(text)
        if screened is None:
            screened = self.engine.prepare(text)  # a refused query raises here and is not remembered
            self._screened.put(text, screened, 1)
        return screened

    def evaluate(self, query: ScreenedQuery, default_graph_uris=(), named_graph_uris=(),
                 media_type: str | None = None, timeout: float | None = None, base_iri: str | None = None,
                 capped: bool = True) -> Answer:
        if self.answers is None:
            return self.engine.evaluate(query, default_graph_uris, named_graph_uris, media_type, timeout,
                                        base_iri, capped)
        key = (self.data_digest, normalised_query(query.text), tuple(default_graph_uris),
               tuple(named_graph_uris), base_iri, media_type, capped)
        kept = self.answers.get(key)
        if kept is not None:
            return replace(kept, cache="hit")
        answer = self.engine.evaluate(query, default_graph_uris, named_graph_uris, media_type, timeout,
                                      base_iri, capped)
        if len(answer.body) <= self.answers.max_size // MAX_SHARE:
            self.answers.put(key, answer, len(answer.body) + len(query.text))
        return replace(answer, cache="miss")

    def select(self, text: str, timeout: float | None = None) -> list[dict]:
        """The bindings of a SELECT query, as SPARQL JSON term objects (for the service's own pages)."""
        answer = self.evaluate(self.prepare(text), media_type=RESULTS_DEFAULT, timeout=timeout, capped=False)
        return json.loads(answer.body)["results"]["bindings"]

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
