"""Records, vocabulary, IRIs, data files and settings: what every layer shares."""
