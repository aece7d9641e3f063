#!/usr/bin/env python3
"""The benchmark as a script: the same as `her2graph benchmark` (see docs/performance.md).

    .venv/bin/python benchmarks/run.py [--sizes shipped,10k,100k,1m] [--seconds 5] [--quick] [--work-dir DIR]
"""
import sys

from her2graph.benchmark.run import main

if __name__ == "__main__":
    sys.exit(main())
