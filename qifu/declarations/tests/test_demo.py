from __future__ import annotations

from io import StringIO

import pytest

from qifu.declarations.models import Application, ApplicationStatus, Call
from qifu.demo import seeding
from qifu.demo.declarations import CLOSED_TITLE, OPEN_TITLE
from qifu.publishing.models import PublicationStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_open_call_and_qiyes_project_under_publicity_once() -> None:
    seeding.seed_demo(stdout=StringIO())
    seeding.seed_demo(stdout=StringIO())
    open_call = Call.objects.get(title=OPEN_TITLE)
    assert open_call.status == PublicationStatus.PUBLISHED
    assert open_call.is_open()
    closed = Call.objects.get(title=CLOSED_TITLE)
    assert not closed.is_open()
    application = Application.objects.get()
    assert application.call == closed
    assert application.enterprise.users.filter(username="qiye").exists()
    assert application.status == ApplicationStatus.PUBLICIZED
