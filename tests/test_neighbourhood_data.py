"""The graph view's data through the engine: the same drawing as from the whole rdflib Dataset."""
from __future__ import annotations

import pytest

from her2graph.namespaces import H2R
from her2graph.network_export import cytoscape_elements, neighbourhood_network
from her2graph.web.engine import QueryEngine
from her2graph.web.neighbourhood_data import neighbourhood_dataset


@pytest.fixture(scope="module")
def engine(dataset):
    running = QueryEngine.from_dataset(dataset, workers=1)
    yield running
    running.close()


def drawn(elements: list[dict]) -> list:
    """The elements without their generated edge ids, in a fixed order."""
    return sorted((element["group"], sorted((key, str(value)) for key, value in element["data"].items()
                                            if not (element["group"] == "edges" and key == "id")))
                  for element in elements)


@pytest.mark.parametrize("name", ["trastuzumab-emtansine", "lapatinib", "her2", "nct00078572",
                                  "resistance-level-1"])
def test_the_neighbourhood_from_the_engine_is_the_one_from_the_dataset(engine, dataset, name):
    centre = H2R[name]
    from_engine = neighbourhood_network(neighbourhood_dataset(engine, str(centre)), centre)
    from_dataset = neighbourhood_network(dataset, centre)
    assert drawn(cytoscape_elements(from_engine)) == drawn(cytoscape_elements(from_dataset))


def test_an_iri_no_triple_mentions_has_no_neighbourhood(engine):
    assert neighbourhood_dataset(engine, str(H2R["no-such-thing"])) is None
