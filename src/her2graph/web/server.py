"""Running the app with waitress, a production WSGI server: one log line per request, a clean stop.

SIGINT (Ctrl-C) and SIGTERM (what service managers and containers send) both end the server loop; the
request threads are shut down and the query workers stopped before the process exits with status 0. The
server sets its own handler for both: Python leaves SIGINT ignored when the parent ignored it (a shell's
background job, nohup, `dev.py serve`), and the server would then never stop on it.
What one client may hold (connections, time to send a request) is bounded by connection_bounds.
"""
from __future__ import annotations

import logging
import signal
import time

import waitress

from .connection_bounds import MAX_CLIENT_CONNECTIONS, REQUEST_READ_SECONDS, bounded_channel_class, install

log = logging.getLogger("her2graph.access")
LOGGED_TARGET_LENGTH = 300
CONNECTION_LIMIT = 500
"""Open client connections at once (waitress' default, 100, is easily held by idle keep-alive clients)."""
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
IDLE_CONNECTION_SECONDS = 30
"""An idle connection is closed after this long (waitress' default is 120 s)."""


class RequestLog:
    """WSGI middleware: one line per request (client, method, target, status, bytes, seconds)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        status_holder = {}

        def recording_start_response(status, headers, exc_info=None):
            status_holder["status"] = status.split(" ", 1)[0]
            status_holder["length"] = next((value for name, value in headers if name.lower() == "content-length"), "-")
            return start_response(status, headers, exc_info)

        try:
            return self.app(environ, recording_start_response)
        finally:
            target = environ.get("PATH_INFO", "") + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
            if len(target) > LOGGED_TARGET_LENGTH:
                target = target[:LOGGED_TARGET_LENGTH] + "…"
            log.info('%s "%s %s" %s %s %.3fs', environ.get("REMOTE_ADDR", "-"), environ.get("REQUEST_METHOD"),
                     target, status_holder.get("status", "-"), status_holder.get("length", "-"),
                     time.perf_counter() - started)


def serve(app, host: str, port: int, threads: int, max_body: int, on_listening=print,
          max_client_connections: int = MAX_CLIENT_CONNECTIONS,
          request_read_seconds: float = REQUEST_READ_SECONDS) -> None:
    """Serve `app` until SIGINT or SIGTERM; `on_listening` gets the URL once the socket is bound."""
    server = waitress.create_server(RequestLog(app), host=host, port=port, threads=threads,
                                    max_request_body_size=max_body + 1, ident="her2graph",
                                    expose_tracebacks=False, connection_limit=CONNECTION_LIMIT,
                                    channel_timeout=IDLE_CONNECTION_SECONDS)
    install(server, bounded_channel_class(max_body, max_client_connections, request_read_seconds))
    previous = {signum: signal.signal(signum, _stop) for signum in STOP_SIGNALS}
    try:
        for listen_host, listen_port in _addresses(server):
            shown = f"[{listen_host}]" if ":" in listen_host else listen_host
            on_listening(f"http://{shown}:{listen_port}/")
        server.run()  # returns on SystemExit or KeyboardInterrupt, after shutting its threads down
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _stop(signum, frame):
    raise SystemExit(0)


def _addresses(server) -> list[tuple[str, int]]:
    if hasattr(server, "effective_listen"):  # several sockets (a host name with IPv4 and IPv6 addresses)
        return [(listen[0], listen[1]) for listen in server.effective_listen]
    return [(server.effective_host, server.effective_port)]
