"""Pluggable SMS backends. Production plugs in a carrier's backend by dotted path (SMS_BACKEND)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SmsMessage:
    phone: str
    text: str


class SmsBackend(Protocol):
    def send(self, message: SmsMessage) -> None: ...


class ConsoleBackend:
    """Prints messages (development)."""

    def send(self, message: SmsMessage) -> None:
        print(f"[SMS] {message.phone}: {message.text}", flush=True)


class FileBackend:
    """Appends each message as a JSON line under var/sms/ (development and demo)."""

    _lock = threading.Lock()

    def send(self, message: SmsMessage) -> None:
        directory = settings.SMS_FILE_PATH
        directory.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"at": timezone.now().isoformat(), "phone": message.phone, "text": message.text},
            ensure_ascii=False,
        )
        with self._lock, open(directory / "outbox.jsonl", "a", encoding="utf-8") as fh:
            fh.write(line + "\n")


class MemoryBackend:
    """Keeps messages in `outbox` (tests)."""

    outbox: list[SmsMessage] = []

    def send(self, message: SmsMessage) -> None:
        MemoryBackend.outbox.append(message)


def get_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend
