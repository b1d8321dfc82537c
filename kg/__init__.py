"""zhengwu-kg: a knowledge graph of Chinese local-government reports."""

__version__ = "0.1.0"
