"""The command line and the build: the only code that knows both the graph and the index."""
