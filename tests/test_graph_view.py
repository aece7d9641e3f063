"""The graph view script draws an entity's neighbourhood with the vendored Cytoscape.js, offline, in a real
browser (headless Chromium): a harness page served from 127.0.0.1 stands in for the Linked Data page."""
from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import her2graph
from her2graph.namespaces import H2R
from her2graph.network_export import cytoscape_elements, neighbourhood_network

STATIC = Path(her2graph.__file__).parent / "static"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HARNESS = """<!doctype html><html><head><meta charset="utf-8"><title>graph view</title></head><body>
<div id="graph-view" style="width:900px;height:600px" data-elements="elements.json" data-centre="{centre}"></div>
<script src="vendor/cytoscape-3.34.4.min.js"></script><script src="graph-view.js"></script></body></html>"""


def test_the_vendored_library_is_the_one_its_readme_names():
    assert (STATIC / "vendor" / "cytoscape-3.34.4.min.js").read_text(encoding="utf-8").startswith("/**")
    assert "Permission is hereby granted" in (STATIC / "vendor" / "cytoscape-LICENSE.txt").read_text(encoding="utf-8")
    assert "http" not in (STATIC / "graph-view.js").read_text(encoding="utf-8").split("\n", 3)[-1]  # nothing fetched from afar


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (apt-get install chromium)")
def test_the_graph_view_draws_the_neighbourhood_offline(dataset, tmp_path):
    centre = H2R["trastuzumab-emtansine"]
    elements = cytoscape_elements(neighbourhood_network(dataset, centre))
    shutil.copytree(STATIC, tmp_path, dirs_exist_ok=True)
    (tmp_path / "elements.json").write_text(json.dumps(elements), encoding="utf-8")
    (tmp_path / "index.html").write_text(HARNESS.format(centre=centre), encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
        run = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000",
                              "--dump-dom", url], capture_output=True, text=True, timeout=120)
    finally:
        server.shutdown()
        server.server_close()
    rendered = re.search(r'data-rendered="(\d+)"', run.stdout)
    assert rendered, f"the view did not draw; DOM was: {run.stdout[:2000]}"
    assert int(rendered.group(1)) == sum(1 for element in elements if element["group"] == "nodes")
    assert "<canvas" in run.stdout


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass
