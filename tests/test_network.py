from kg.graph.network import coaction, regulation_departments
from kg.graph.store import open_store


def test_coaction_and_regulation_views(built_data):
    store = open_store(built_data)
    g = coaction(store)
    labels = {d["label"] for _, d in g.nodes(data=True)}
    assert "德阳市罗江区公安局" in labels and "德阳市罗江区交通运输局" in labels
    pol = next(n for n, d in g.nodes(data=True) if d["label"] == "德阳市罗江区公安局")
    assert any(g.nodes[m]["label"] == "德阳市罗江区交通运输局" for m in g[pol])  # listed together as agents
    rd = regulation_departments(store)
    assert any(d["type"] == "Regulation" and d["label"] == "行政处罚法" for _, d in rd.nodes(data=True))
