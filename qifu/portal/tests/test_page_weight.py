"""The home page's weight budget: what a first visit downloads, compressed, and how the static
files it names are cached (forever, by content hash). Sizes, never timings."""

from __future__ import annotations

import gzip
import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db

# A first visit on a phone over a slow link: the page and everything it names, gzip-compressed.
# Today about 150 KB, of which Tabler's CSS and JS are 120 KB; the budget leaves room for a
# little growth and fails on a new library or an inlined blob.
BUDGET_TOTAL_GZIP = 200 * 1024
BUDGET_HTML_GZIP = 10 * 1024
BUDGET_REQUESTS = 8  # the page, its stylesheets, scripts and icon


def _assets(html: bytes) -> list[str]:
    return [m.decode() for m in re.findall(rb'(?:href|src)="(/static/[^"?#]+)"', html)]


def _file(url: str) -> bytes:
    name = url.removeprefix("/static/")
    # Outside tests the names carry a content hash (collectstatic's manifest); here they don't.
    found = finders.find(name) or finders.find(re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", name))
    assert found, f"the home page names {url}, which no finder has"
    with open(str(found), "rb") as handle:
        return handle.read()


def test_the_home_page_stays_within_its_weight_budget() -> None:
    response = Client().get("/")
    assert response.status_code == 200
    html = response.content
    assets = _assets(html)
    sizes = {url: len(gzip.compress(_file(url))) for url in assets}
    html_gzip = len(gzip.compress(html))
    total = html_gzip + sum(sizes.values())
    detail = ", ".join(f"{url}: {n // 1024} KB" for url, n in sizes.items())
    assert html_gzip <= BUDGET_HTML_GZIP, f"HTML {html_gzip // 1024} KB gzip"
    assert 1 + len(assets) <= BUDGET_REQUESTS, detail
    assert total <= BUDGET_TOTAL_GZIP, f"{total // 1024} KB gzip in all: {detail}"
    # Scripts come after the content, so they do not hold up its first paint.
    assert html.find(b"<script") > html.find(b"</main>") > 0


def test_static_files_are_compressed_and_cached_forever_by_their_hash(settings: Any) -> None:
    from whitenoise.middleware import WhiteNoiseMiddleware
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    from qifu.core.storage import StaticStorage

    # Outside tests STORAGES["staticfiles"] is StaticStorage (qifu/settings.py): hashed names
    # from collectstatic's manifest and .gz/.br files beside them, which WhiteNoise serves with
    # "Cache-Control: max-age=315360000, public, immutable" (its test for a hashed name).
    assert issubclass(StaticStorage, CompressedManifestStaticFilesStorage)
    assert not hasattr(settings, "WHITENOISE_IMMUTABLE_FILE_TEST")  # WhiteNoise's own test
    middleware = WhiteNoiseMiddleware(lambda request: None)
    assert middleware.get_name_without_hash("qifu/qifu.27439cd2c9d9.css") == "qifu/qifu.css"
