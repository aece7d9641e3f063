"""The Linked Data pages show what users read a statement by: the certainty the source gives it, its evidence
and source, and its numbers as printed (0.210, 75.0), served for real on loopback."""
from __future__ import annotations

import requests


def page(service, name):
    response = requests.get(f"{service.url}/resource/{name}", headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == 200
    return response.text


def test_a_hedged_mechanism_shows_its_certainty_and_evidence(service):
    html = page(service, "mechanism-compensatory-crosstalk")
    for text in ("certainty", "hedged as possible", "evidence type", "stated in", "knowledge level",
                 "stated in the source text", "supports"):
        assert text in html, text


def test_a_hazard_ratio_shows_its_numbers_as_printed(service):
    html = page(service, "nct00078572-os-hazard-ratio")
    assert "0.210" in html and "printed p-value" in html


def test_a_median_shows_its_trailing_zero(service):
    assert "75.0" in page(service, "nct00078572-os-median-lapatinib-capecitabine")
