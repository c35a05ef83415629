"""Periodic jobs of the publishing workflow, run by django-q2's scheduler."""

from __future__ import annotations

from qifu.publishing.services import publication_expire_due, publication_publish_due


def publish_due() -> int:
    """Publish approved items whose scheduled publish_at has come (every minute)."""
    return publication_publish_due()


def expire_due() -> int:
    """Take items past their expires_on off the public site (daily, after midnight)."""
    return publication_expire_due()
