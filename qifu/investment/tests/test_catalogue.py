"""The investment database: reviewed before publishing, public pages show only what is public."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from qifu.investment.catalogue import KINDS, catalogue_create, chain_link_save
from qifu.investment.models import Chain
from qifu.investment.tests.personas import publish
from qifu.publishing.models import PublicationStatus

pytestmark = pytest.mark.django_db


def test_staff_write_submit_and_a_reviewer_publishes_a_park(
    client_for: Any, investment_admin: Any, reviewer: Any, town: Any
) -> None:
    author = client_for(investment_admin)
    response = author.post(
        "/investment/library/parks/new/",
        {
            "name": "石岛风电产业园",
            "level": "city",
            "leading_industries": "风电叶片",
            "planned_area": "300",
            "available_land": "60",
            "town": town.pk,
        },
    )
    assert response.status_code == 302
    park = KINDS["parks"].model.objects.get()
    assert park.status == PublicationStatus.DRAFT and park.section == "investment"
    assert Client().get(f"/invest/parks/{park.pk}/").status_code == 404
    author.post(f"/investment/library/parks/{park.pk}/submit/")
    # The author may not approve their own item; the liaison does.
    author.post(f"/investment/library/parks/{park.pk}/approve/")
    park.refresh_from_db()
    assert park.status == PublicationStatus.SUBMITTED
    review = client_for(reviewer)
    review.post(f"/investment/library/parks/{park.pk}/approve/", {"revision": park.revision})
    review.post(f"/investment/library/parks/{park.pk}/publish/")
    park.refresh_from_db()
    assert park.status == PublicationStatus.PUBLISHED
    assert "石岛风电产业园" in Client().get("/invest/parks/").content.decode()


def test_an_edited_park_leaves_the_public_pages_until_reviewed_again(
    client_for: Any, park: Any, investment_admin: Any
) -> None:
    response = client_for(investment_admin).post(
        f"/investment/library/parks/{park.pk}/",
        {
            "name": park.name,
            "name_en": park.name_en,
            "level": "city",
            "leading_industries": "海洋食品、保健食品",
            "planned_area": "600",
            "available_land": "80",
            "town": park.town_id,
            "latitude": "37.162",
            "longitude": "122.488",
        },
    )
    assert response.status_code == 302
    park.refresh_from_db()
    assert park.status == PublicationStatus.SUBMITTED
    assert Client().get(f"/invest/parks/{park.pk}/").status_code == 404


def test_changing_a_chain_link_sends_the_chain_back_to_review(
    investment_admin: Any, reviewer: Any
) -> None:
    chain = catalogue_create(
        kind=KINDS["chains"],
        author=investment_admin,
        values={"code": "marine-food", "name": "海洋食品", "summary": "海洋食品产业链"},
    )
    chain = publish(chain, investment_admin, reviewer)
    chain_link_save(
        chain=chain,
        actor=investment_admin,
        values={
            "position": "midstream",
            "name": "水产品冷冻加工",
            "industry_prefixes": ["C1361"],
            "target_output": 900000,
        },
    )
    chain.refresh_from_db()
    assert chain.status == PublicationStatus.SUBMITTED
    assert "水产品冷冻加工" in chain.link_outline
    assert not Chain.objects.published().exists()


def test_the_english_pages_show_reviewed_english_and_mark_what_has_none(
    client: Client, park: Any, investment_admin: Any, reviewer: Any
) -> None:
    english = client.get("/en/invest/parks/").content.decode()
    assert 'lang="en"' in english and "Marine Bio-Food Industrial Park" in english
    assert "Advanced seafood processing" in english
    environment = catalogue_create(
        kind=KINDS["environment"],
        author=investment_admin,
        values={"title": "区位交通", "body": "荣成位于山东半岛最东端。"},
    )
    publish(environment, investment_admin, reviewer)
    home = client.get("/en/invest/").content.decode()
    assert "区位交通" in home and "Chinese only" in home
    chinese = client.get("/invest/parks/").content.decode()
    assert 'lang="zh-CN"' in chinese and "海洋生物食品产业园" in chinese


def test_learning_material_is_never_public(
    client: Client, investment_admin: Any, reviewer: Any, officer: Any, client_for: Any
) -> None:
    item = publish(
        catalogue_create(
            kind=KINDS["learning"],
            author=investment_admin,
            values={"category": "knowledge", "title": "备案与核准", "body": "……"},
        ),
        investment_admin,
        reviewer,
    )
    assert client.get(f"/investment/services/materials/{item.pk}/").status_code == 302
    assert "备案与核准" in client_for(officer).get("/investment/services/").content.decode()


def _real_png() -> bytes:
    # A real image: uploads are re-encoded (metadata scrub), so magic bytes alone are refused.
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


def test_a_published_photo_is_served_and_an_unpublished_one_is_not(
    client: Client, park: Any, investment_admin: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qifu.investment.catalogue import catalogue_file_add

    png = _real_png()
    stored = catalogue_file_add(
        item=park,
        actor=investment_admin,
        upload=SimpleUploadedFile("园区.png", png, "image/png"),
        caption="园区鸟瞰",
    )
    response = client.get(f"/invest/photos/{stored.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    draft = catalogue_create(
        kind=KINDS["parks"],
        author=investment_admin,
        values={"name": "草稿园区", "level": "city", "leading_industries": "—"},
    )
    hidden = catalogue_file_add(
        item=draft, actor=investment_admin, upload=SimpleUploadedFile("a.png", png, "image/png")
    )
    assert client.get(f"/invest/photos/{hidden.pk}/").status_code == 404
    with pytest.raises(Exception, match="JPG 或 PNG"):
        catalogue_file_add(
            item=park,
            actor=investment_admin,
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        )
