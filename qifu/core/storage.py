"""Static files storage: hashed names from collectstatic's manifest, without it in development."""

from __future__ import annotations

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Long-cached hashed names in production; a fresh checkout's `runserver` still works.

    Without this, every page answers 500 ("Missing staticfiles manifest entry") until
    `collectstatic` has run, and again whenever a file is added after the last run. Outside
    production such a file is served under its plain name by WhiteNoise's finders instead
    (WHITENOISE_USE_FINDERS); in production a missing entry is a broken release and stays loud.
    """

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:
            if settings.PRODUCTION:
                raise
            return name
