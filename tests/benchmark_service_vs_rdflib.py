"""How long each competency question takes: rdflib's evaluator in-process, and the service over HTTP.

Run: .venv/bin/python tests/benchmark_service_vs_rdflib.py  (not a test: pytest does not collect it)
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path
from tempfile import TemporaryDirectory

import requests

from her2graph.competency_queries import competency_queries
from her2graph.dataset import load_dataset
from service_process import ServiceProcess

ROUNDS = 5


def median_seconds(run) -> float:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    dataset = load_dataset()
    with TemporaryDirectory() as folder:
        service = ServiceProcess(log_path=Path(folder) / "serve.log")
        session = requests.Session()
        ratios = []
        try:
            for query in competency_queries():
                served = median_seconds(lambda: session.post(service.url + "/sparql", data={"query": query.text})
                                        .raise_for_status())
                try:
                    local = median_seconds(lambda: list(dataset.query(query.text)))
                except Exception as error:  # rdflib's evaluator fails on some aggregates
                    print(f"{query.name:42s} service {served * 1000:6.1f} ms   rdflib fails ({type(error).__name__})")
                    continue
                ratios.append(local / served)
                print(f"{query.name:42s} service {served * 1000:6.1f} ms   rdflib {local * 1000:7.1f} ms   "
                      f"x{local / served:5.1f}")
        finally:
            service.stop()
    print(f"median: the service over HTTP is {statistics.median(ratios):.1f} times faster than rdflib in-process")


if __name__ == "__main__":
    main()
