"""The service's Flask app under another WSGI server, or with another engine, for the levers benchmark.

    python -m her2graph.benchmark.lever_app SERVER ENGINE PORT BUILD DIGEST

SERVER: waitress (as shipped), granian, gunicorn or bjoern; ENGINE: workers (as shipped) or in-process
(queries evaluated by threads of the web process, on one store: pyoxigraph lets go of the interpreter lock
while it evaluates, but nothing can stop such a query at a time limit, which is why it is measured and not
shipped). The app is the one `her2graph serve` runs (create_app, the request log to standard error, the
no-op endpoint on, the benchmark's raised limits); only the server or the engine differs. Several web
processes (granian, gunicorn) each have their own engine: LEVER_QUERY_WORKERS query workers each.
"""
from __future__ import annotations

import os
import sys
import threading

SERVERS = ("waitress", "granian", "gunicorn", "bjoern")
ENGINES = ("workers", "in-process")
WEB_PROCESSES = {"waitress": 1, "granian": 2, "gunicorn": 2, "bjoern": 1}
"""Web processes per server: waitress and bjoern are one process by design; the others are run with two."""
THREADS = 8


def make_app():
    """The app of `her2graph serve`, configured from LEVER_* variables (a factory for granian's workers)."""
    from ..web.app import create_app
    from ..web.log_output import log_to_standard_error
    from ..web.server import RequestLog

    log_to_standard_error()
    config = {"BUILD": os.environ["LEVER_BUILD"], "DATA_DIGEST": os.environ["LEVER_DIGEST"], "NOOP_ENDPOINT": True,
              "WORKERS": int(os.environ.get("LEVER_QUERY_WORKERS", "2")), "MAX_ROWS": 10_000_000,
              "QUERY_TIMEOUT": 300.0, "WORKER_MEMORY_MB": 16384}
    app = create_app(config)
    if os.environ.get("LEVER_ENGINE") == "in-process":
        caching = app.extensions["her2graph"].engine
        caching.engine.close()
        caching.engine = InProcessEngine(os.environ["LEVER_BUILD"], caching.engine)
    return RequestLog(app)


class InProcessEngine:
    """QueryEngine's interface, evaluating in the calling thread on one store of this process (no time limit)."""

    def __init__(self, build: str, shipped):
        from ..oxigraph_store import store_from_build

        self.store = store_from_build(build)
        self.shipped = shipped
        self.workers_isolated = False

    def prepare(self, text: str):
        return self.shipped.prepare(text)

    def evaluate(self, query, default_graph_uris=(), named_graph_uris=(), media_type=None, timeout=None,
                 base_iri=None, capped=True):
        from ..web import engine

        names = bool(default_graph_uris or named_graph_uris)
        job = (query.text, base_iri, tuple(default_graph_uris) if names else None,
               tuple(named_graph_uris) if names else None, media_type, self.shipped.max_rows if capped else None)
        kind, *payload = engine._answer(self.store, job)
        if kind == "answer":
            return engine.Answer(*payload)
        raise engine._ERRORS[kind](*payload)

    def status(self) -> dict:
        return {"workers": 0, "alive": 1, "idle": 0, "isolated": False}

    def close(self) -> None:
        pass


def serve(server: str, port: int) -> None:
    processes = WEB_PROCESSES[server]
    if server == "waitress":
        import waitress

        waitress.serve(make_app(), host="127.0.0.1", port=port, threads=THREADS, _quiet=True,
                       connection_limit=500)
    elif server == "bjoern":
        import bjoern

        bjoern.run(make_app(), "127.0.0.1", port)
    elif server == "granian":
        from granian import Granian
        from granian.constants import Interfaces

        Granian(f"{__name__}:make_app", address="127.0.0.1", port=port, interface=Interfaces.WSGI, factory=True,
                workers=processes, blocking_threads=THREADS // processes).serve()
    elif server == "gunicorn":
        _gunicorn(port, processes)


def _gunicorn(port: int, processes: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Application(BaseApplication):
        def load_config(self):
            for key, value in {"bind": f"127.0.0.1:{port}", "workers": processes, "threads": THREADS // processes,
                               "worker_class": "gthread", "accesslog": None, "loglevel": "warning"}.items():
                self.cfg.set(key, value)

        def load(self):
            return make_app()

    Application().run()


def main(argv: list[str]) -> None:
    server, engine, port, build, digest = argv
    os.environ.update(LEVER_BUILD=build, LEVER_DIGEST=digest, LEVER_ENGINE=engine,
                      LEVER_QUERY_WORKERS=str(max(1, 2 // WEB_PROCESSES[server])))
    threading.stack_size(64 * 1024 * 1024)  # in-process evaluation of deep queries needs a larger stack
    serve(server, int(port))


if __name__ == "__main__":
    main(sys.argv[1:])
