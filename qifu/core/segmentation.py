"""Chinese word segmentation with jieba, shared by search and similarity.

jieba's dictionary takes about a second to load, so it is loaded once per process, under a lock
(gunicorn threads may race for it), and `warm_up()` does it before the first request is served
(STYLE.md rule 7) instead of making some visitor wait.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

_lock = threading.Lock()
_jieba: Any = None

# Single characters that carry no meaning on their own in a policy text or a query.
STOP_CHARS = frozenset("的了和与及或在是对为将已但有无也就都而被把之其等各由从向以于并且")
# A kept token is letters or digits only: punctuation and whitespace never reach the index, and
# the FTS5 tokenizer then sees exactly the words jieba produced.
_TOKEN = re.compile(r"[^\W_]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def jieba_module() -> Any:
    """jieba, initialised on first use and then shared by every thread of the process."""
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def warm_up() -> None:
    """Load the dictionary now (called by the WSGI entry point before serving)."""
    jieba_module()


def _meaningful(token: str, *, keep_single: bool) -> bool:
    if not _TOKEN.fullmatch(token):
        return False
    if len(token) == 1 and _CJK.match(token):
        return keep_single and token not in STOP_CHARS
    return True


def segment(text: str) -> list[str]:
    """The words of a text in search-engine mode (a long word also yields its parts).

    Punctuation, whitespace and single CJK characters are dropped, except when the whole text is
    one meaningful character (a one-character query such as “税”).
    """
    cleaned = text.strip().lower()
    if not cleaned:
        return []
    keep_single = len(cleaned) == 1
    return [
        t
        for t in (w.strip() for w in jieba_module().cut_for_search(cleaned))
        if _meaningful(t, keep_single=keep_single)
    ]


def words(text: str) -> list[str]:
    """The words of a text in precise mode (each character belongs to one word), same filter."""
    cleaned = text.strip().lower()
    if not cleaned:
        return []
    keep_single = len(cleaned) == 1
    return [
        t
        for t in (w.strip() for w in jieba_module().cut(cleaned))
        if _meaningful(t, keep_single=keep_single)
    ]
