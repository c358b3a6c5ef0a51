"""newskg: news about international organizations, as an RDF knowledge graph."""

__version__ = "0.1.0"
