"""Fixtures of the workspace tests: a second member, an invitation sent through the page."""

from __future__ import annotations

import pytest

from qifu.accounts.models import Role
from qifu.accounts.services import user_create
from qifu.workspace.tests.invites import invite, join_link


@pytest.fixture
def member(enterprise):
    return user_create(
        username="yuxm",
        password="Test@2026pw",
        real_name="于晓梅",
        phone="13900000099",
        enterprise=enterprise,
        roles=[Role.ENTERPRISE_MEMBER],
        validate=False,
    )


@pytest.fixture
def invited(client_for, enterprise_user, django_capture_on_commit_callbacks):
    """An invitation sent through the page; returns the join link from the SMS."""
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_for(enterprise_user))
    assert response.status_code == 302
    return join_link()
