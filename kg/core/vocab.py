"""IRIs of the vocabularies we use, mirroring ontology/zhengwu.ttl: no IRI strings elsewhere."""
from __future__ import annotations

import pyoxigraph as ox
from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS, XSD, ClosedNamespace

from kg.core.data import data_path
from kg.core.types import ENTITY_TYPES

ZW_IRI = "https://w3id.org/zhengwu-kg/ontology#"


def _ontology_terms() -> list[str]:
    """The zw: terms the ontology declares (the subjects of ontology/zhengwu.ttl)."""
    triples = ox.parse(path=str(data_path("zhengwu.ttl")), format=ox.RdfFormat.TURTLE)
    return sorted({t.subject.value[len(ZW_IRI):] for t in triples
                   if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(ZW_IRI)})


# a checked namespace: ZW.Departmnet (a typo, or a term the ontology lacks) is an error
ZW = ClosedNamespace(ZW_IRI, _ontology_terms())
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ONTOLOGY_IRI = "https://w3id.org/zhengwu-kg/ontology"

PREFIXES = {
    "zw": str(ZW), "eli": str(ELI), "org": str(ORG), "prov": str(PROV), "skos": str(SKOS),
    "dcterms": str(DCTERMS), "foaf": str(FOAF), "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD),
}

CLASS_OF = {t: ZW[t] for t in ENTITY_TYPES}


# SPARQL property path from a fact to the departments that acted in it: its agent, or the members of
# the collective that is its agent (区公安局、交通局…等9个部门)
ACTED_BY = "prov:wasAssociatedWith/zw:member?"


def sparql_string(text: str) -> str:
    """`text` as a SPARQL string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def sparql_prefixes() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


__all__ = ["ZW", "ELI", "ORG", "PROV", "SKOS", "DCTERMS", "FOAF", "RDF", "RDFS", "XSD", "PREFIXES",
           "CLASS_OF", "ONTOLOGY_IRI", "ACTED_BY", "sparql_prefixes", "sparql_string"]
