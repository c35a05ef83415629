"""The abstract base of uploaded files: every file model keeps the same columns, and the
models' state matches the migrations (moving fields into the base created none)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import models

from qifu.appeals.models import Attachment
from qifu.core.models import UploadedFile
from qifu.declarations.models import ApplicationFile
from qifu.matters.models import MatterMaterial
from qifu.policies.models import PolicyAttachment
from qifu.projects.models import ProjectDocument
from qifu.workspace.models import ServiceRequestAttachment

FILE_MODELS = [
    Attachment,
    ApplicationFile,
    MatterMaterial,
    PolicyAttachment,
    ProjectDocument,
    ServiceRequestAttachment,
]


@pytest.mark.parametrize("model", FILE_MODELS, ids=lambda m: m.__name__)
def test_every_file_model_keeps_name_type_and_size_with_its_own_stored_file(
    model: type[UploadedFile],
) -> None:
    assert issubclass(model, UploadedFile)
    meta = model._meta
    assert meta.get_field("original_name").max_length == 200
    assert meta.get_field("content_type").max_length == 100
    assert isinstance(meta.get_field("size"), models.PositiveIntegerField)
    assert isinstance(meta.get_field("file"), models.FileField)
    assert meta.get_field("created_at") and meta.get_field("updated_at")


def test_the_uploader_is_optional_except_where_a_model_says_otherwise() -> None:
    for model in (Attachment, ApplicationFile, ProjectDocument, ServiceRequestAttachment):
        field = model._meta.get_field("uploaded_by")
        assert field.null and field.remote_field.on_delete is models.SET_NULL, model
    # A policy's attachment always has its uploader, kept even if the account goes.
    policy_uploader = PolicyAttachment._meta.get_field("uploaded_by")
    assert not policy_uploader.null and policy_uploader.remote_field.on_delete is models.PROTECT
    assert PolicyAttachment._meta.get_field("size").verbose_name == "大小（字节）"
    # An application's materials belong to the application: no uploader column.
    assert "uploaded_by" not in {f.name for f in MatterMaterial._meta.get_fields()}


@pytest.mark.django_db
def test_the_models_need_no_migration_that_is_not_written() -> None:
    out = StringIO()
    call_command("makemigrations", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()
