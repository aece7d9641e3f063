"""A real Oxigraph server (the `oxigraph` package's binary) on a free loopback port, for tests.

The same helper the benchmark uses (her2graph.benchmark.oxigraph_server), re-exported here for the tests.
"""
from her2graph.benchmark.oxigraph_server import free_port, oxigraph_binary, running_oxigraph  # noqa: F401
