"""`her2graph serve` as a deployment runs it: options and environment variables, the SHACL gate, one log line
per request, a clean stop on SIGTERM and SIGINT."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from her2graph.web.settings import OPTIONS
from service_process import SCRIPT, ServiceProcess, copy_of_the_data, wait_until


def test_help_documents_every_option_and_its_environment_variable():
    done = subprocess.run([str(SCRIPT), "serve", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    help_text = " ".join(done.stdout.split())
    for option in OPTIONS:
        assert option.flag in help_text and option.env in help_text


def test_options_come_from_environment_variables_and_flags_win(tmp_path):
    running = ServiceProcess("--max-rows", "3", log_path=tmp_path / "serve.log",
                             env={"HER2GRAPH_MAX_ROWS": "1000", "HER2GRAPH_MAX_BODY": "2000",
                                  "HER2GRAPH_WORKERS": "1", "HER2GRAPH_MAX_NESTING": "5"})
    try:
        assert running.url, running.log
        endpoint = running.url + "/sparql"
        rows = requests.get(endpoint, params={"query": "SELECT * { ?s ?p ?o } LIMIT 4"})
        assert rows.status_code == 422 and "more than 3 rows" in rows.text        # the flag, not the variable
        body = requests.post(endpoint, data="#" * 3000 + "\nASK {}", headers={"Content-Type": "application/sparql-query"})
        assert body.status_code == 413 and "2000 bytes" in body.text
        deep = requests.get(endpoint, params={"query": "ASK {{{{{{ }}}}}}"})
        assert deep.status_code == 400 and "at most 5" in deep.text
        assert requests.get(running.url + "/health").json()["workers"] == 1
    finally:
        running.stop()


def test_a_bad_environment_value_is_a_usage_error():
    done = subprocess.run([str(SCRIPT), "serve"], capture_output=True, text=True, timeout=60,
                          env=os.environ | {"HER2GRAPH_QUERY_TIMEOUT": "soon"})
    assert done.returncode == 2
    assert "HER2GRAPH_QUERY_TIMEOUT='soon' is not a valid float" in done.stderr and "Traceback" not in done.stderr


def test_a_port_in_use_is_a_usage_error_not_a_traceback():
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        done = subprocess.run([str(SCRIPT), "serve", "--port", str(taken.getsockname()[1])], capture_output=True,
                              text=True, timeout=120)
    finally:
        taken.close()
    assert done.returncode == 2 and "cannot listen on" in done.stderr and "Traceback" not in done.stderr


def test_serve_refuses_to_start_when_the_graph_has_shacl_violations(tmp_path):
    root = copy_of_the_data(tmp_path)
    (root / "shapes" / "every-drug-has-a-target-for-a-test.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix h2g: <https://w3id.org/her2graph/ontology/> .\n"
        "<urn:test:DrugHasAComment> a sh:NodeShape ; sh:targetClass h2g:Drug ;\n"
        "    sh:property [ sh:path <http://www.w3.org/2000/01/rdf-schema#comment> ; sh:minCount 1 ;\n"
        "                  sh:message \"a drug needs a comment (a shape of this test)\" ] .\n")
    done = subprocess.run([str(SCRIPT), "--data", str(root), "serve", "--port", "0"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 1
    assert "SHACL violations" in done.stderr and "a drug needs a comment" in done.stderr
    assert "listening" not in done.stdout


def test_one_log_line_per_request(service):
    marker = "log-line-marker-42"
    requests.get(service.url + "/sparql", params={"query": f"ASK {{}} # {marker}"})
    requests.get(service.url + f"/resource/{marker}")
    assert wait_until(lambda: service.log.count(marker) == 2)
    lines = [line for line in service.log.splitlines() if marker in line]
    assert '"GET /sparql?query=' in lines[0] and " 200 " in lines[0]
    assert f'"GET /resource/{marker}" 404 ' in lines[1]


SIGINT_IGNORED = (sys.executable, "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
                                        "os.execv(sys.argv[1], sys.argv[1:])")
"""Runs a command as a parent that ignores SIGINT leaves it (a shell's background job, nohup): ignoring it."""


@pytest.mark.parametrize("signum, wrapper", [(signal.SIGTERM, ()), (signal.SIGINT, ()),
                                             (signal.SIGINT, SIGINT_IGNORED)],
                         ids=["SIGTERM", "SIGINT", "SIGINT-ignored-by-the-parent"])
def test_a_signal_stops_the_service_cleanly_with_its_workers(tmp_path, signum, wrapper):
    """The service sets its own SIGINT handler: before, started with SIGINT ignored (as when pytest itself ran
    as a background job) it never stopped on it, and this test timed out."""
    running = ServiceProcess(log_path=tmp_path / "serve.log", wrapper=wrapper)
    assert running.url, running.log
    workers = running.worker_pids()
    assert len(workers) == 3  # the store holder and two workers forked from it
    assert requests.get(running.url + "/sparql", params={"query": "ASK {}"}).status_code == 200
    assert running.stop(signum, seconds=30) == 0
    assert "her2graph serve: stopped" in running.log and "Traceback" not in running.log
    assert all(not os.path.exists(f"/proc/{pid}") or "Z" in open(f"/proc/{pid}/stat").read().split()[2]
               for pid in workers)


def test_workers_end_when_the_server_is_killed(tmp_path):
    running = ServiceProcess(log_path=tmp_path / "serve.log", env={"HER2GRAPH_QUERY_TIMEOUT": "60"})
    assert running.url, running.log
    workers = running.worker_pids()
    query = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    busy = threading.Thread(target=lambda: _ignore_errors(requests.get, running.url + "/sparql",
                                                           params={"query": query}, timeout=30), daemon=True)
    busy.start()
    time.sleep(0.5)
    try:
        running.process.kill()  # no clean stop: one worker is in the middle of a query
        running.process.wait(10)
        assert wait_until(lambda: not any(os.path.exists(f"/proc/{pid}") and
                                          open(f"/proc/{pid}/stat").read().split()[2] != "Z" for pid in workers), 10)
    finally:
        running.stop()


def _ignore_errors(call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except requests.RequestException:
        pass


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_readme_command_serves_and_stops_cleanly(signum):
    """`python3 dev.py serve`: SIGTERM to it, or Ctrl-C to the terminal's process group, stops the service."""
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen([sys.executable, str(root / "dev.py"), "serve", "--port", "0"], cwd=root,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        line = process.stdout.readline()
        assert "listening on" in line, process.stderr.read() if process.poll() is not None else line
        url = line.split("listening on ", 1)[1].split(" ", 1)[0]
        assert requests.get(url + "health").json()["status"] == "ok"
        if signum == signal.SIGINT:
            os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does
        else:
            process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
        errors = process.stderr.read()
        assert "her2graph serve: stopped" in errors and "Traceback" not in errors
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
