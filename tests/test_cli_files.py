"""Files are never destroyed: what export, generate, build and docs write, and what they leave alone."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from installed_package import installed_environment, installed_package

SCRIPT = Path(sys.executable).parent / "her2graph"
ROOT = Path(__file__).resolve().parent.parent


def run(*args, umask: int | None = None, **kwargs):
    preexec = (lambda: os.umask(umask)) if umask is not None else None
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=300, preexec_fn=preexec,
                          **kwargs)


def _copy_of_the_data(folder: Path) -> Path:
    for part in ("ontology", "graph", "shapes", "queries", "mappings", "release", "docs"):
        shutil.copytree(ROOT / part, folder / part)
    return folder


# export -o

def test_export_over_a_fifo_streams_into_it_and_leaves_the_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    done = run("export", "--format", "nt", "-o", str(fifo))
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received and received[0].count(b"\n") > 1000


def test_export_to_a_character_device_writes_to_it_and_keeps_the_device():
    done = run("export", "--format", "nt", "-o", "/dev/null")
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_to_a_full_device_is_a_one_line_error_and_the_device_stays():
    done = run("export", "-o", "/dev/full")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "No space left" in done.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_export_through_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "dated.ttl"
    target.write_text("old")
    link = tmp_path / "latest.ttl"
    link.symlink_to(target.name)
    assert run("export", "-o", str(link)).returncode == 0
    assert link.is_symlink() and os.readlink(link) == target.name
    assert target.read_text().startswith("PREFIX") or "@prefix" in target.read_text()


def test_export_to_a_folder_is_refused_in_one_line(tmp_path):
    done = run("export", "-o", str(tmp_path))
    assert done.returncode == 2 and "is a folder" in done.stderr and "Traceback" not in done.stderr


def test_export_to_standard_output_with_a_dash():
    done = run("export", "--format", "nt", "-o", "-")
    assert done.returncode == 0 and done.stdout.count("\n") > 1000


def test_a_new_export_file_respects_the_umask_and_a_replaced_one_keeps_its_mode(tmp_path):
    fresh = tmp_path / "fresh.ttl"
    assert run("export", "-o", str(fresh), umask=0o022).returncode == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
    kept = tmp_path / "kept.ttl"
    kept.write_text("old")
    kept.chmod(0o640)
    assert run("export", "-o", str(kept), umask=0o022).returncode == 0
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


# generate -o

def test_generate_refuses_a_folder_that_is_not_empty_and_touches_nothing(tmp_path):
    mine = tmp_path / "notes.txt"
    mine.write_text("a curator's own file")
    done = run("generate", "--triples", "2000", "-o", str(tmp_path))
    assert done.returncode == 2 and "--force" in done.stderr
    assert sorted(tmp_path.iterdir()) == [mine]


def test_generate_with_force_keeps_every_file_it_did_not_write(tmp_path):
    (tmp_path / "graph" / "facts").mkdir(parents=True)
    mine = tmp_path / "graph" / "facts" / "my-draft.ttl"
    mine.write_text("# a curator's draft\n")
    (tmp_path / "notes.txt").write_text("keep me")
    done = run("generate", "--triples", "2000", "-o", str(tmp_path), "--force")
    assert done.returncode == 0, done.stderr
    assert mine.read_text() == "# a curator's draft\n" and (tmp_path / "notes.txt").read_text() == "keep me"
    assert (tmp_path / "graph" / "facts" / "synthetic.ttl").exists()


# build

def _built_bytes(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_build_is_reproducible_byte_for_byte_whatever_the_hash_seed(tmp_path):
    outputs = []
    for seed in ("1", "2"):
        folder = tmp_path / seed
        done = run("build", "--no-reason", "--date", "2026-01-02", "-o", str(folder),
                   env=os.environ | {"PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        outputs.append(_built_bytes(folder))
    assert outputs[0].keys() == {"ontology/imports/external-terms.ttl", "graph/built/mappings.ttl",
                                 "release/her2graph.owl", "release/her2graph.ttl"}
    assert outputs[0] == outputs[1]


def test_a_build_of_broken_facts_writes_nothing(tmp_path):
    data = _copy_of_the_data(tmp_path / "data")
    before = _built_bytes(data)
    facts = data / "graph" / "facts" / "her2-resistance-review.ttl"
    facts.write_text(facts.read_text() + "\nh2r:broken h2g:enrollment \"unclosed .\n")
    done = run("--data", str(data), "build", "--no-reason", "--date", "2026-01-02")
    assert done.returncode == 2 and "line" in done.stderr and "column" in done.stderr
    after = _built_bytes(data)
    after.pop("graph/facts/her2-resistance-review.ttl")
    before.pop("graph/facts/her2-resistance-review.ttl")
    assert after == before
    assert not [path for path in data.rglob(".her2graph-build-*")]


def test_reason_warns_when_the_sources_no_longer_build_the_release(tmp_path):
    data = _copy_of_the_data(tmp_path / "data")
    facts = data / "graph" / "facts" / "her2-resistance-review.ttl"
    facts.write_text(facts.read_text() + "\nh2r:new-fact rdfs:label \"a fact added after the release\"@en .\n")
    done = run("--data", str(data), "reason", "-o", str(tmp_path / "inferences.ttl"))
    assert "older than the sources" in done.stderr and "her2graph build" in done.stderr


def test_docs_name_the_releases_version_iri_and_link_the_overview(tmp_path):
    done = run("docs", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "ontology.html").read_text(encoding="utf-8")
    release = (ROOT / "release" / "her2graph.owl").read_text(encoding="utf-8")
    version = release.split("/releases/", 1)[1].split("/", 1)[0]
    assert f"https://w3id.org/her2graph/ontology/releases/{version}/her2graph.owl" in html
    assert 'href="overview.svg"' in html and (tmp_path / "overview.svg").exists()


def test_docs_are_reproducible_whatever_the_hash_seed(tmp_path):
    pages = []
    for seed in ("1", "2"):
        assert run("docs", "-o", str(tmp_path / seed), env=os.environ | {"PYTHONHASHSEED": seed}).returncode == 0
        pages.append(_built_bytes(tmp_path / seed))
    assert pages[0] == pages[1]


@pytest.mark.parametrize("command", [["build", "--no-reason"], ["docs"]])
def test_an_installed_package_builds_into_the_current_folder_not_into_site_packages(tmp_path, command):
    """The installed layout: the data inside the package (her2graph/data), the command run elsewhere."""
    with installed_package(tmp_path / "site") as (python, package):
        before = _built_bytes(package)
        work = tmp_path / "work"
        work.mkdir()
        done = subprocess.run([str(python), "-m", "her2graph", *command], cwd=work, capture_output=True, text=True,
                              timeout=300, env=installed_environment(tmp_path / "site"))
        assert done.returncode == 0, done.stderr
        assert _built_bytes(package) == before
        written = _built_bytes(work)
        expected = "release/her2graph.owl" if command[0] == "build" else "docs/ontology.html"
        assert expected in written
