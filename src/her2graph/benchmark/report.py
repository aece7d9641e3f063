"""The benchmark's tables: throughput and latency per server as ratios to Oxigraph and to the no-op, and the
issue's targets with the numbers that decide them."""
from __future__ import annotations

from .measurements import NOOP, OURS_CACHED, OURS_UNCACHED, OXIGRAPH_DISK, OXIGRAPH_MEMORY, SERVERS, \
    SizeMeasurements

GIB = 1024 ** 3
MEMORY_LIMIT_BYTES = 24 * GIB
READY_LIMIT_SECONDS = 2.0


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
    lines += _latency_lines(measured)
    if measured.disagreements:
        lines.append(f"ANSWERS DIFFER from Oxigraph's for: {', '.join(measured.disagreements)}")
    else:
        lines.append("Answers: every query's rows are the same from her2graph and from Oxigraph.")
    return "\n".join(lines)


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
    lines = ["== Targets (ratios measured in this run) =="]
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
