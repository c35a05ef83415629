from __future__ import annotations

import io

import pytest

from qifu.demo import accounts, enterprises, matters, organisations
from qifu.matters.models import ELicence, HandlingMode, LifeStage, Matter

pytestmark = pytest.mark.django_db


def test_demo_catalogue_covers_every_life_stage_and_walks_one_application_to_its_licence() -> None:
    out = io.StringIO()
    for step in (organisations.seed, enterprises.seed, accounts.seed, matters.seed):
        step(stdout=out)

    assert Matter.objects.count() == len(matters.MATTERS) >= 25
    assert set(Matter.objects.values_list("life_stage", flat=True)) == set(LifeStage.values)
    assert not Matter.objects.filter(
        handling_mode=HandlingMode.EXTERNAL, connector_code=""
    ).exists()
    assert Matter.objects.get(code="SL-001").legal_limit_days == 3
    licence = ELicence.objects.get()
    assert licence.name == "食品生产许可证"

    matters.seed(stdout=out)  # a second run adds nothing
    assert Matter.objects.count() == len(matters.MATTERS)
    assert ELicence.objects.count() == 1
