"""The reviewed English catalogue is compiled as written; the import command reports each row."""

from __future__ import annotations

import gettext
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from qifu.investment.models import IdleAsset

LOCALE = Path(settings.BASE_DIR) / "qifu" / "investment" / "locale" / "en" / "LC_MESSAGES"


def _po_entries() -> dict[str, str]:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n"):
        ids = re.findall(r'^msgid "(.*)"$', block, flags=re.M)
        strs = re.findall(r'^msgstr(?:\[0\])? "(.*)"$', block, flags=re.M)
        if ids and ids[0] and strs:
            entries[ids[0]] = strs[0]
    return entries


def test_every_english_text_is_translated_and_compiled() -> None:
    entries = _po_entries()
    assert len(entries) > 100
    catalogue = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    for msgid, msgstr in entries.items():
        assert msgstr, f"no English for {msgid}"
        assert catalogue.gettext(msgid.replace('\\"', '"')) == msgstr.replace('\\"', '"'), (
            f"django.mo is older than django.po for {msgid} (run compilemessages)"
        )


@pytest.mark.django_db
def test_the_import_command_reports_rejected_rows_and_fails(
    tmp_path: Path, investment_admin: Any, town: Any
) -> None:
    path = tmp_path / "assets.csv"
    path.write_text(
        "code,title,kind,town,area,owner\nRC-F-301,厂房,factory,俚岛镇,500,某公司\nRC-F-302,,factory,俚岛镇,500,某公司\n",
        encoding="utf-8",
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_investment",
            "assets",
            str(path),
            "--actor",
            investment_admin.username,
            stdout=out,
            stderr=err,
        )
    assert "第3行" in err.getvalue() and "新增 1" in out.getvalue()
    assert IdleAsset.objects.filter(code="RC-F-301").exists()
