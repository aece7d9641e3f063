"""The service's log lines: batched, but never lost, never late by more than the flush interval."""
from __future__ import annotations

import io
import logging
import time

from her2graph.web.log_output import LINE_FORMAT, BatchedStreamHandler


def logger_writing_to(stream, flush_seconds):
    handler = BatchedStreamHandler(stream, flush_seconds=flush_seconds)
    handler.setFormatter(logging.Formatter(LINE_FORMAT))
    log = logging.Logger("test-log-output")
    log.addHandler(handler)
    return log, handler


def test_lines_are_written_together_within_the_flush_interval():
    stream = io.StringIO()
    log, handler = logger_writing_to(stream, flush_seconds=0.1)
    try:
        for number in range(3):
            log.info("request %d", number)
        deadline = time.monotonic() + 5
        while stream.getvalue().count("\n") < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [line.split(": ", 1)[1] for line in stream.getvalue().splitlines()] == \
            ["request 0", "request 1", "request 2"]
    finally:
        handler.close()


def test_a_warning_is_written_at_once_with_the_lines_before_it():
    stream = io.StringIO()
    log, handler = logger_writing_to(stream, flush_seconds=3600)
    try:
        log.info("a request")
        log.warning("a worker stopped")
        assert "a request" in stream.getvalue() and "WARNING" in stream.getvalue()
    finally:
        handler.close()


def test_closing_writes_what_is_left():
    stream = io.StringIO()
    log, handler = logger_writing_to(stream, flush_seconds=3600)
    log.info("the last request")
    handler.close()
    assert "the last request" in stream.getvalue()
