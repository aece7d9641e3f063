"""Where the service's log lines go: standard error, written in batches a few times a second.

One line per request (server.RequestLog) written straight to standard error costs a system call per
request, and in a threaded Python server each call hands the interpreter lock to another thread and back:
on cached answers that was a quarter of the throughput (docs/performance.md). So lines are collected and
written together every FLUSH_SECONDS, and at once for a warning or worse, and when the service stops.
"""
from __future__ import annotations

import atexit
import logging
import sys
import threading

FLUSH_SECONDS = 0.2
"""Longest time a log line waits before it is written."""
LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class BatchedStreamHandler(logging.Handler):
    """A logging handler that writes its formatted lines to a stream in batches."""

    def __init__(self, stream=None, flush_seconds: float = FLUSH_SECONDS):
        super().__init__()
        self.stream = stream or sys.stderr
        self._lines: list[str] = []
        self._stopped = threading.Event()
        self._writer = threading.Thread(target=self._write_periodically, args=(flush_seconds,),
                                        name="her2graph-log-writer", daemon=True)
        self._writer.start()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record) + "\n"
        except Exception:
            self.handleError(record)
            return
        with self.lock:
            self._lines.append(line)
        if record.levelno >= logging.WARNING:
            self.flush()

    def flush(self) -> None:
        with self.lock:
            lines, self._lines = self._lines, []
        if lines:
            self.stream.write("".join(lines))
            self.stream.flush()

    def close(self) -> None:
        self._stopped.set()
        self.flush()
        super().close()

    def _write_periodically(self, seconds: float) -> None:
        while not self._stopped.wait(seconds):
            self.flush()


SERVICE_LOGGERS = ("her2graph", "waitress")
"""The loggers of the service's log: ours (her2graph.*) and the WSGI server's. The root logger is left alone:
it belongs to whoever embeds the service."""


def log_to_standard_error(level: int = logging.INFO) -> BatchedStreamHandler:
    """Send every record of the service's loggers of `level` or more to standard error, in batches."""
    handler = BatchedStreamHandler()
    handler.setFormatter(logging.Formatter(LINE_FORMAT))
    for name in SERVICE_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.addHandler(handler)
    atexit.register(handler.flush)
    return handler
