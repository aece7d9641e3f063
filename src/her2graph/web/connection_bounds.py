"""What one client may hold of the HTTP server (waitress), and the service's own text for waitress' errors.

waitress bounds the total of open connections (server.CONNECTION_LIMIT) and closes idle ones, but a client
that sends a request a byte at a time, or opens hundreds of connections, is never idle and can hold every
slot (slowloris): then no one else, not even a health probe, gets an answer. So each connection here
- counts against its client address: beyond MAX_CLIENT_CONNECTIONS open at once, a new one is answered 503
  (with Retry-After) and closed before it is read;
- has REQUEST_READ_SECONDS to send a whole request (headers and body) once its first byte came; a request
  still incomplete then is answered 408 and the connection closed.
Errors waitress answers itself (a body or header section over its limits, a malformed request) carry the
service's plain-text sentence, with the limit the service documents, rather than waitress' own page.
"""
from __future__ import annotations

import threading
import time
from collections import Counter

from waitress.channel import HTTPChannel
from waitress.task import ErrorTask

MAX_CLIENT_CONNECTIONS = 32
"""Connections one client address may hold open at once."""
REQUEST_READ_SECONDS = 20.0
"""Seconds a client has to send one whole request, from its first byte (1 MiB at 50 KB/s)."""


class _ServiceErrorTask(ErrorTask):
    """waitress' error response, with the service's sentence and documented limits as its body."""

    max_body = 0

    def execute(self):
        error = self.request.error
        status, headers, _ = error.to_response()
        body = (_error_sentence(error.code, str(error.body), self.max_body,
                                self.channel.adj.max_request_header_size) + "\n").encode()
        self.status = status
        self.response_headers.extend(headers)
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


def _error_sentence(code: int, detail: str, max_body: int, max_header: int) -> str:
    if code == 413:
        return f"The request body is larger than the {max_body} bytes this service takes; send a shorter query."
    if code == 431:
        return (f"The request's header section is larger than the {max_header} bytes this service takes; "
                "send a long query as a POST body rather than in the URL.")
    detail = detail.strip().rstrip(".")
    return f"The request is not valid HTTP: {detail[:1].lower() + detail[1:]}." if detail else \
        "The request is not valid HTTP."


class _ClientCounts:
    """Open connections per client address, shared by the channels of one server."""

    def __init__(self):
        self._counts: Counter = Counter()
        self._lock = threading.Lock()

    def opened(self, address: str) -> int:
        with self._lock:
            self._counts[address] += 1
            return self._counts[address]

    def closed(self, address: str) -> None:
        with self._lock:
            self._counts[address] -= 1
            if self._counts[address] <= 0:
                del self._counts[address]


class _BoundedChannel(HTTPChannel):
    """An HTTP channel that counts against its client address and must send each request in time."""

    clients: _ClientCounts
    max_client_connections = MAX_CLIENT_CONNECTIONS
    request_read_seconds = REQUEST_READ_SECONDS
    error_task_class = _ServiceErrorTask

    def __init__(self, server, sock, addr, adj, map=None):
        super().__init__(server, sock, addr, adj, map)
        self.request_started: float | None = None
        self._client = str(addr[0]) if isinstance(addr, tuple) and addr else ""
        self._counted = True
        if self.clients.opened(self._client) > self.max_client_connections:
            self._answer_and_close("503 Service Unavailable",
                                   f"This client already has {self.max_client_connections} connections open to "
                                   "this service, the most it may; reuse them or close some.",
                                   [("Retry-After", "1")])

    def received(self, data):
        if self.request is None:
            self.request_started = time.monotonic()
        done = super().received(data)
        if self.request is None:
            self.request_started = None
        elif self.request_started is None:
            self.request_started = time.monotonic()
        return done

    def readable(self):
        started = self.request_started
        if started is not None and time.monotonic() - started > self.request_read_seconds \
                and not (self.will_close or self.close_when_flushed):
            self._request_timed_out()
            return False
        return super().readable()

    def _request_timed_out(self):
        self.request_started = None
        if self.requests:  # an answer is still being written on this connection: just end it after
            self.will_close = True
            return
        self.request = None
        self._answer_and_close("408 Request Timeout",
                               f"The request did not arrive whole within {self.request_read_seconds:g} seconds "
                               "of its first byte; send it again.")

    def _answer_and_close(self, status: str, sentence: str, headers=()):
        body = (sentence + "\n").encode()
        head = "".join(f"{name}: {value}\r\n" for name, value in [
            ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))),
            ("Connection", "close"), *headers])
        payload = f"HTTP/1.1 {status}\r\n{head}\r\n".encode() + body
        with self.outbuf_lock:
            self.outbufs[-1].append(payload)
            self.current_outbuf_count += len(payload)
            self.total_outbufs_len += len(payload)
        self.close_when_flushed = True

    def del_channel(self, map=None):
        if getattr(self, "_counted", False):
            self._counted = False
            self.clients.closed(self._client)
        super().del_channel(map)


def bounded_channel_class(max_body: int, max_client_connections: int = MAX_CLIENT_CONNECTIONS,
                          request_read_seconds: float = REQUEST_READ_SECONDS) -> type:
    """The channel class for one server: its own client counts, limits and error texts."""
    error_task = type("ServiceErrorTask", (_ServiceErrorTask,), {"max_body": max_body})
    return type("BoundedChannel", (_BoundedChannel,), {
        "clients": _ClientCounts(), "max_client_connections": max_client_connections,
        "request_read_seconds": request_read_seconds, "error_task_class": error_task})


def install(server, channel_class: type) -> None:
    """Make `server` (a waitress server, or its MultiSocketServer) open its connections as `channel_class`."""
    servers = [server]
    if not hasattr(server, "channel_class"):  # several sockets: every listening server in its map
        servers = [each for each in server.map.values() if hasattr(each, "channel_class")]
    for each in servers:
        each.channel_class = channel_class
