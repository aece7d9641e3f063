"""Shared fixtures: the bundled dataset, loaded once per test session."""
from __future__ import annotations

import pytest

from her2graph.dataset import load_dataset, merged_graph


@pytest.fixture(scope="session")
def dataset():
    return load_dataset()


@pytest.fixture(scope="session")
def graph(dataset):
    return merged_graph(dataset)
