"""Cluster trees: create, rename, move (never into itself), reorder; sibling titles unique."""

import pytest
from sqlalchemy import select

from tests import factories as f
from tests.admin.conftest import post
from tracker.admin.services import AdminError, create_cluster, shift_cluster, update_cluster
from tracker.extensions import db
from tracker.models import Cluster, Role
from tracker.register.services import cluster_by_path

RIGHTS = "C. Economic, social and cultural rights"


def node(src, *titles) -> Cluster:
    return cluster_by_path(src, list(titles), create=False)


def titles_under(src, parent: Cluster | None) -> list[str]:
    query = select(Cluster).where(Cluster.source_id == src.id)
    query = query.where(
        Cluster.parent_id.is_(None) if parent is None else Cluster.parent_id == parent.id
    )
    return [c.title for c in db.session.scalars(query.order_by(Cluster.sort_order, Cluster.id))]


def test_the_tree_of_a_source_is_shown_indented(client, world, sign_in):
    sign_in(Role.SECRETARIAT)
    assert "UPR-3" in client.get("/admin/clusters").get_data(as_text=True)
    page = client.get("/admin/clusters/UPR-3").get_data(as_text=True)
    top, health = page.index(RIGHTS), page.index("Right to health")
    assert top < health
    assert page[top:health].count('<ul class="admin-tree">') == 1  # one level deeper
    assert "1 recommendation" in page[top:health]


def test_secretariat_creates_a_root_and_a_child_cluster_with_lao_titles(client, world, sign_in):
    sign_in(Role.SECRETARIAT)
    response = post(client, "/admin/clusters/UPR-3/new", {"title": "D. Women", "title_lo": "ແມ່ຍິງ"})
    assert response.headers["Location"] == "/admin/clusters/UPR-3"
    women = node(world, "D. Women")
    assert (women.title_lo, women.parent, women.sort_order) == ("ແມ່ຍິງ", None, 1)
    form = client.get(f"/admin/clusters/UPR-3/new?parent={women.id}").get_data(as_text=True)
    assert f'<option selected value="{women.id}">' in form
    post(client, "/admin/clusters/UPR-3/new", {"title": "Violence", "parent": str(women.id)})
    assert node(world, "D. Women", "Violence").parent.id == women.id


def test_sibling_titles_must_be_unique(client, world, sign_in):
    sign_in(Role.SECRETARIAT)
    rights = node(world, RIGHTS)
    response = post(
        client, "/admin/clusters/UPR-3/new", {"title": "right to HEALTH", "parent": str(rights.id)}
    )
    page = response.get_data(as_text=True)
    error = page[page.index('id="title"') :].split("</div>")[0]
    assert f"“{RIGHTS}” already has a sub-cluster titled “right to HEALTH”" in error
    top = post(client, "/admin/clusters/UPR-3/new", {"title": RIGHTS}).get_data(as_text=True)
    assert f"There is already a cluster titled “{RIGHTS}” here" in top
    assert len(titles_under(world, None)) == 1


def test_rename_keeps_the_place_in_the_tree(client, world, sign_in):
    sign_in(Role.SECRETARIAT)
    health = node(world, RIGHTS, "Right to health")
    data = {"title": "Health", "title_lo": "ສຸຂະພາບ", "parent": str(health.parent_id)}
    assert post(client, f"/admin/clusters/{health.id}/edit", data).status_code == 302
    assert titles_under(world, node(world, RIGHTS)) == ["Health", "Right to education"]
    assert node(world, RIGHTS, "Health").title_lo == "ສຸຂະພາບ"


def test_cluster_move_refuses_a_cycle(client, world, sign_in):
    sign_in(Role.SECRETARIAT)
    rights, health = node(world, RIGHTS), node(world, RIGHTS, "Right to health")
    form = client.get(f"/admin/clusters/{rights.id}/edit").get_data(as_text=True)
    assert f'value="{health.id}"' not in form  # its own sub-clusters are not offered
    response = post(
        client, f"/admin/clusters/{rights.id}/edit", {"title": RIGHTS, "parent": str(health.id)}
    )
    page = response.get_data(as_text=True)
    error = page[page.index('id="parent"') :].split("</div>")[0]
    assert "A cluster cannot move under itself or one of its sub-clusters" in error
    assert node(world, RIGHTS).parent is None
    with pytest.raises(AdminError, match="cannot move under itself"):
        update_cluster(rights, title=RIGHTS, title_lo=None, parent=rights)


def test_move_under_another_parent_takes_the_sub_clusters_along(client, world, sign_in):
    women = create_cluster(world, None, "D. Women")
    create_cluster(world, women, "Violence")
    db.session.commit()
    sign_in(Role.SECRETARIAT)
    rights = node(world, RIGHTS)
    data = {"title": "D. Women", "parent": str(rights.id)}
    assert post(client, f"/admin/clusters/{women.id}/edit", data).status_code == 302
    assert titles_under(world, rights) == ["Right to health", "Right to education", "D. Women"]
    assert node(world, RIGHTS, "D. Women", "Violence") is not None


def test_move_refuses_a_parent_of_another_source_or_a_title_taken_there(world, app):
    other = f.source("WS-2023-GENDER", kind=f.SourceKind.WORKSHOP)
    foreign = create_cluster(other, None, "Dimension 1")
    health = node(world, RIGHTS, "Right to health")
    with pytest.raises(AdminError, match="same source"):
        update_cluster(health, title=health.title, title_lo=None, parent=foreign)
    education = node(world, RIGHTS, "Right to education")
    create_cluster(world, None, "Right to health")
    with pytest.raises(AdminError, match="already a cluster titled “Right to health”"):
        update_cluster(health, title=health.title, title_lo=None, parent=None)
    assert health.parent is education.parent


def test_reorder_moves_a_cluster_up_and_down_among_its_siblings(client, world, sign_in):
    sign_in(Role.SECRETARIAT)
    rights = node(world, RIGHTS)
    education = node(world, RIGHTS, "Right to education")
    response = post(client, f"/admin/clusters/{education.id}/up")
    assert response.headers["Location"] == f"/admin/clusters/UPR-3#c{education.id}"
    assert titles_under(world, rights) == ["Right to education", "Right to health"]
    post(client, f"/admin/clusters/{education.id}/down")
    assert titles_under(world, rights) == ["Right to health", "Right to education"]
    assert shift_cluster(node(world, RIGHTS, "Right to education"), +1) is False  # already last


def test_unknown_source_or_cluster_is_404(client, world, sign_in):
    sign_in(Role.SECRETARIAT)
    assert client.get("/admin/clusters/NOPE").status_code == 404
    assert client.get("/admin/clusters/999999/edit").status_code == 404
