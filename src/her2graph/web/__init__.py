"""The SPARQL service: W3C SPARQL 1.1 Protocol at /sparql, a query page, Linked Data pages, descriptions.

`her2graph.web.app.create_app` builds the Flask app; `her2graph.web.server.serve` runs it with waitress.
This package file imports nothing, so query worker processes (her2graph.web.engine) start without Flask.
"""
