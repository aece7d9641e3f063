"""The benchmark's tables: throughput and latency per server as ratios to Oxigraph and to the no-op, and the
issue's targets with the numbers that decide them."""
from __future__ import annotations

from .measurements import DISTINCT_SERVERS, NOOP, OURS_CACHED, OURS_UNCACHED, OXIGRAPH_DISK, OXIGRAPH_MEMORY, \
    SERVERS, SizeMeasurements

GIB = 1024 ** 3
MEMORY_LIMIT_BYTES = 24 * GIB
READY_LIMIT_SECONDS = 2.0
DISTINCT_TARGETS = {"shipped": 0.5, "10k": 0.5, "100k": 1.0, "1m": 1.0}
"""Issue 10: distinct queries, as a share of the Oxigraph server's (in memory) throughput, per size."""
DISTINCT_P99_LIMIT = 2.0
"""Issue 10: p99 of distinct queries at most this many times the Oxigraph server's (in memory)."""
REPEATED_TARGET = 1.0
"""Issue 10: repeated queries (cache on) at least this share of the Oxigraph server's (in memory), every size."""


def size_report(measured: SizeMeasurements) -> str:
    lines = [f"== {measured.size}: {measured.triples:,} triples in the default graph, {measured.quads:,} quads "
             "loaded (named graphs and their merge) =="]
    lines += _startup_lines(measured)
    tool = next(iter(measured.throughput.values())).tool if measured.throughput else "-"
    lines.append(f"Throughput, 8 concurrent clients ({tool}), competency queries in turn:")
    lines.append(f"  {'server':30} {'req/s':>9} {'÷ Oxigraph disk':>16} {'÷ Oxigraph memory':>18} {'÷ no-op':>8} "
                 f"{'errors':>7} {'peak memory':>12}")
    for server in SERVERS:
        if server in measured.throughput:
            lines.append(f"  {server:30} {measured.rate(server):9,.0f} {measured.ratio(server, OXIGRAPH_DISK):16.2f} "
                         f"{measured.ratio(server, OXIGRAPH_MEMORY):18.2f} {measured.ratio(server, NOOP):8.2f} "
                         f"{measured.throughput[server].errors:7d} {_memory(measured.memory.get(server)):>12}")
    lines += _distinct_lines(measured)
    lines += _process_lines(measured)
    lines += _latency_lines(measured)
    if measured.disagreements:
        lines.append(f"ANSWERS DIFFER from Oxigraph's for: {', '.join(measured.disagreements)}")
    else:
        lines.append("Answers: every query's rows are the same from her2graph and from Oxigraph.")
    return "\n".join(lines)


def _distinct_lines(measured: SizeMeasurements) -> list[str]:
    if not measured.distinct:
        return []
    lines = ["Throughput, 8 concurrent clients, distinct queries (every request differs: no cache can hit):",
             f"  {'server':30} {'req/s':>9} {'÷ Oxigraph disk':>16} {'÷ Oxigraph memory':>18} {'p50 ms':>8} "
             f"{'p99 ms':>8} {'p99 ÷ Ox memory':>16} {'errors':>7}"]
    for server in DISTINCT_SERVERS:
        found = measured.distinct.get(server)
        if found:
            lines.append(f"  {server:30} {found.requests_per_second:9,.0f} "
                         f"{measured.distinct_ratio(server, OXIGRAPH_DISK):16.2f} "
                         f"{measured.distinct_ratio(server, OXIGRAPH_MEMORY):18.2f} {_ms(found.p50):>8} "
                         f"{_ms(found.p99):>8} {measured.distinct_p99_ratio(server, OXIGRAPH_MEMORY):16.2f} "
                         f"{found.errors:7d}")
    return lines


def _process_lines(measured: SizeMeasurements) -> list[str]:
    if not measured.processes:
        return []
    roles = {0: "web process", 1: "store holder", 2: "query worker"}
    lines = ["Memory of her2graph (cache on) by process at the end (RSS counts shared pages in each process; PSS "
             "shares them out):"]
    for process in measured.processes:
        lines.append(f"  {roles.get(process.depth, 'other'):14} pid {process.pid:<8} RSS {_memory(process.resident):>10}"
                     f"  PSS {_memory(process.proportional):>10}  peak RSS {_memory(process.peak_resident):>10}")
    total_rss = sum(process.resident for process in measured.processes)
    total_pss = sum(process.proportional for process in measured.processes)
    lines.append(f"  {'total':14} {'':12} RSS {_memory(total_rss):>10}  PSS {_memory(total_pss):>10} (what the "
                 "service takes)")
    return lines


def _ms(seconds: float | None) -> str:
    return f"{seconds * 1000:.1f}" if seconds is not None else "-"


def _startup_lines(measured: SizeMeasurements) -> list[str]:
    shown = [f"{name} {_seconds(value)}" for name, value in measured.startup.items()]
    return ["Start-up: " + "; ".join(shown)]


def _latency_lines(measured: SizeMeasurements) -> list[str]:
    servers = [server for server in (OURS_CACHED, OURS_UNCACHED, OXIGRAPH_DISK, OXIGRAPH_MEMORY)
               if server in measured.latency]
    if not servers:
        return []
    noop = measured.latency.get(NOOP, {})
    floor = next(iter(noop.values())) if noop else None
    lines = ["Sequential latency, ms, p50/p99 (runs per query in the JSON); the no-op's: "
             + (f"{floor.p50 * 1000:.2f}/{floor.p99 * 1000:.2f}" if floor else "-"),
             f"  {'query':42}" + "".join(f" {_short(server):>15}" for server in servers)
             + f" {'off ÷ Ox disk':>14} {'off ÷ Ox mem':>13} {'on ÷ no-op':>11}"]
    for query in measured.latency[servers[0]]:
        row = f"  {query[:42]:42}"
        for server in servers:
            value = measured.latency[server].get(query)
            row += f" {value.p50 * 1000:7.2f}/{value.p99 * 1000:<7.2f}" if value else f" {'-':>15}"
        row += f" {_latency_ratio(measured, query, OURS_UNCACHED, OXIGRAPH_DISK):14.2f}"
        row += f" {_latency_ratio(measured, query, OURS_UNCACHED, OXIGRAPH_MEMORY):13.2f}"
        cached = measured.latency.get(OURS_CACHED, {}).get(query)
        row += f" {cached.p50 / floor.p50:11.2f}" if cached and floor else f" {'-':>11}"
        lines.append(row)
    return lines


def targets_report(results: list[SizeMeasurements]) -> str:
    """The issue's targets, each with whether it holds in this run and the figures that decide it."""
    by_size = {measured.size: measured for measured in results}
    lines = ["== Targets of issue 10: serving (ratios to the Oxigraph server in memory, measured in this run) =="]
    lines += _serving_targets(results)
    lines.append("== Targets of issue 5 ==")
    shipped, large, million = by_size.get("shipped"), by_size.get("100k"), by_size.get("1m")
    if shipped:
        lines.append(_target("shipped graph, cache on: throughput ≥ Oxigraph server (on disk)",
                             shipped.ratio(OURS_CACHED, OXIGRAPH_DISK), 1.0))
        lines.append(_target("shipped graph, cache on: throughput ≥ Oxigraph server (in memory), not a target",
                             shipped.ratio(OURS_CACHED, OXIGRAPH_MEMORY), 1.0, verdicts=("above", "below")))
        lines.append(_target("shipped graph, cache on: throughput ≥ 80% of our no-op",
                             shipped.ratio(OURS_CACHED, NOOP), 0.8))
        ready = shipped.startup.get("her2graph ready (cached build)")
        if ready is not None:
            lines.append(f"  {'holds' if ready <= READY_LIMIT_SECONDS else 'DOES NOT HOLD':13} shipped graph: ready "
                         f"within {READY_LIMIT_SECONDS:g} s of start: {ready:.2f} s")
    if large:
        lines.append(_target("100k, cache off: throughput ≥ 2 × Oxigraph server on disk",
                             large.ratio(OURS_UNCACHED, OXIGRAPH_DISK), 2.0))
        lines.append(_target("100k, cache off: throughput ≥ 75% of Oxigraph server in memory",
                             large.ratio(OURS_UNCACHED, OXIGRAPH_MEMORY), 0.75))
    if million:
        peak = million.memory.get(OURS_UNCACHED) or 0
        lines.append(f"  {'holds' if peak <= MEMORY_LIMIT_BYTES else 'DOES NOT HOLD':13} 1M triples: served within "
                     f"24 GiB: peak {_memory(peak)}")
    else:
        lines.append("  (not run)     1M triples within 24 GiB: run with --sizes 1m")
    return "\n".join(lines)


def _serving_targets(results: list[SizeMeasurements]) -> list[str]:
    lines = []
    for measured in results:
        size = measured.size
        if size in DISTINCT_TARGETS and measured.distinct:
            lines.append(_target(f"{size}: distinct queries, throughput ≥ {DISTINCT_TARGETS[size]:g} × Oxigraph",
                                 measured.distinct_ratio(OURS_CACHED, OXIGRAPH_MEMORY), DISTINCT_TARGETS[size]))
            p99 = measured.distinct_p99_ratio(OURS_CACHED, OXIGRAPH_MEMORY)
            verdict = "holds" if p99 <= DISTINCT_P99_LIMIT else "DOES NOT HOLD"
            lines.append(f"  {verdict:13} {size}: distinct queries, p99 ≤ {DISTINCT_P99_LIMIT:g} × Oxigraph's: "
                         f"{p99:.2f}")
        lines.append(_target(f"{size}: repeated queries (cache on), throughput ≥ {REPEATED_TARGET:g} × Oxigraph",
                             measured.ratio(OURS_CACHED, OXIGRAPH_MEMORY), REPEATED_TARGET))
        if measured.processes:
            workers = [process for process in measured.processes if process.depth == 2]
            lines.append(f"  {'reported':13} {size}: memory, {len(workers)} workers sharing one store: RSS per "
                         f"worker {', '.join(_memory(worker.resident) for worker in workers)}; in all (PSS) "
                         f"{_memory(sum(process.proportional for process in measured.processes))}")
    return lines


def _target(name: str, ratio: float, at_least: float, verdicts=("holds", "DOES NOT HOLD")) -> str:
    verdict = verdicts[0] if ratio >= at_least else verdicts[1]
    return f"  {verdict:13} {name}: {ratio:.2f} (needs ≥ {at_least:g})"


def _latency_ratio(measured: SizeMeasurements, query: str, server: str, to: str) -> float:
    ours, theirs = measured.latency.get(server, {}).get(query), measured.latency.get(to, {}).get(query)
    return ours.p50 / theirs.p50 if ours and theirs else float("nan")


def _short(server: str) -> str:
    return {OURS_CACHED: "ours on", OURS_UNCACHED: "ours off", OXIGRAPH_DISK: "Ox disk",
            OXIGRAPH_MEMORY: "Ox memory"}[server]


def _seconds(value: float | None) -> str:
    return "not measured" if value is None else f"{value:.2f} s"


def _memory(size: int | None) -> str:
    if not size:
        return "-"
    return f"{size / GIB:.2f} GiB" if size >= GIB else f"{size / 1024 ** 2:.0f} MiB"
