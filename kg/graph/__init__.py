"""The graph: triples of extraction records, shapes, the store and queries over it."""
