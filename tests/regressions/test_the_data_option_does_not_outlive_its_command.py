"""Regression (issue 12): `her2graph --data DIR` applies to its own command and no further: the command line
no longer writes HER2GRAPH_DATA into the process's environment (where it outlived the call, in-process, and
was inherited by every child process). The environment variable still sets the folder, as documented."""
from __future__ import annotations

import os

from her2graph import cli
from her2graph.locations import data_root


def test_a_data_folder_given_on_the_command_line_is_used_for_that_command_only(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("HER2GRAPH_DATA", raising=False)
    bundled = data_root()
    assert cli.main(["--data", str(tmp_path), "stats"]) == 2  # an empty folder: no named-graphs file
    assert "named-graphs" in capsys.readouterr().err
    assert "HER2GRAPH_DATA" not in os.environ
    assert data_root() == bundled


def test_the_environment_variable_still_names_the_data_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HER2GRAPH_DATA", str(tmp_path))
    assert data_root() == tmp_path.resolve()
    assert cli.main(["stats"]) == 2
    assert "named-graphs" in capsys.readouterr().err
