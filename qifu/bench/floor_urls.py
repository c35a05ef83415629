"""The floor's URLconf: one path, one line of view (qifu/bench/wsgi.py)."""

from __future__ import annotations

from django.urls import path

from qifu.bench.views import baseline

urlpatterns = [path("_bench/floor", baseline)]
