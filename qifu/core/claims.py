"""Acts that must happen once (a reminder sent, a step notified), claimed by a unique row."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction


def claim_once(model: type[models.Model], **fields: Any) -> bool:
    """Insert the row recording a one-time act; False if it exists already.

    The row's unique constraint decides: a second run, or a second worker at the same moment,
    loses the insert (inside a savepoint, so the caller's transaction carries on) and does nothing.
    """
    try:
        with transaction.atomic():
            model._default_manager.create(**fields)
    except IntegrityError:
        return False
    return True
