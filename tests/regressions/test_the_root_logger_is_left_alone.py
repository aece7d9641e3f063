"""Regression (issue 12): no her2graph module changes the root logger, which belongs to whoever embeds the
package; the service's log is set up on its own loggers (her2graph.*, waitress)."""
from __future__ import annotations

import importlib
import logging
import pkgutil

import her2graph
from her2graph import cli
from her2graph.web.log_output import SERVICE_LOGGERS, log_to_standard_error


def root_state():
    root = logging.getLogger()
    return root.level, list(root.handlers), logging.root.manager.disable


def test_importing_every_module_running_a_command_and_the_service_log_leave_the_root_logger_as_it_was(capsys):
    before = root_state()
    for module in pkgutil.walk_packages(her2graph.__path__, "her2graph."):
        if module.name != "her2graph.__main__":
            importlib.import_module(module.name)
    assert cli.main(["query", "ASK { ?s ?p ?o }"]) == 0
    handler = log_to_standard_error()
    try:
        assert root_state() == before
        assert all(handler in logging.getLogger(name).handlers for name in SERVICE_LOGGERS)
    finally:
        for name in SERVICE_LOGGERS:
            logging.getLogger(name).removeHandler(handler)
            logging.getLogger(name).setLevel(logging.NOTSET)
        handler.close()
