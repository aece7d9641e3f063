"""The benchmark: our SPARQL service against Oxigraph's own server, on the same data, in one run.

`her2graph benchmark` (or `python benchmarks/run.py`) starts, one at a time on loopback, our service with
its answer cache on and off, Oxigraph's server on disk and in memory, and our HTTP stack answering a
constant body (the no-op: the ceiling of Flask + waitress here); it runs the competency queries one after
another (p50/p99 latency per query) and from 8 concurrent clients (throughput, with wrk), and prints every
figure as a ratio to Oxigraph's and to the no-op's, measured in the same run. See docs/performance.md.
"""
