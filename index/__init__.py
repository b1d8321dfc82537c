"""The full-text index: whoosh (2.7 API) with a Chinese analyzer chain, built from the graph."""
