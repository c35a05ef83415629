"""Who may open a page: one rule per page, checked by the view and asked by every link to it.

A view decorated with `@page_rule(check, reason)` refuses (403 with the reason) whoever `check`
turns away, and the navigation, the home tiles, the section menus and the workbench ask
`link_for(user, url)`, which resolves the address to that same view and runs that same check.
So a link is offered exactly when the page behind it opens; a rule never lives in two places.

Pages for one kind of user (say, enterprise-only) may name `elsewhere`: the pages that serve
the same purpose for others (the staff list of the same appeals). Whoever the rule turns away
is taken to the first of those they may open, and a link to the page leads them there directly.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import NoReverseMatch, Resolver404, get_script_prefix, resolve, reverse

Check = Callable[[Any], bool]
View = Callable[..., HttpResponseBase]


@dataclass(frozen=True)
class PageRule:
    check: Check
    reason: str
    elsewhere: tuple[str, ...] = ()  # URL names, tried in order, for those the check turns away


def page_rule(
    check: Check, reason: str, *, elsewhere: Sequence[str] = ()
) -> Callable[[View], View]:
    """Decorator: sign-in required, then `check(user)`; `reason` is what a refused user reads."""
    rule = PageRule(check=check, reason=reason, elsewhere=tuple(elsewhere))

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule.check(user):
                target = _elsewhere(user, rule)
                if target and request.method in ("GET", "HEAD"):
                    return HttpResponseRedirect(target)
                raise PermissionDenied(rule.reason)
            return view(request, *args, **kwargs)

        wrapped.page_rule = rule  # type: ignore[attr-defined]
        return wrapped

    return decorator


# The URLconf does not change while a process runs: a page's rule and a name's address are
# looked up once per process, not on every link of every page (the home page asks for about
# seventy; resolving and reversing them was a quarter of its time).
@lru_cache(maxsize=4096)
def _rule_of_path(path: str) -> PageRule | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return getattr(match.func, "page_rule", None)


@lru_cache(maxsize=4096)
def _reverse_name(name: str, prefix: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _clear_url_memos(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":  # tests that swap the URLconf
        _rule_of_path.cache_clear()
        _reverse_name.cache_clear()


setting_changed.connect(_clear_url_memos)


def rule_of(url: str) -> PageRule | None:
    """The rule of the view serving `url` (a path, with or without a query), if it has one."""
    return _rule_of_path(urlsplit(url).path)


def can_open(user: Any, url: str) -> bool:
    """Whether `url` opens for `user` itself (no redirect elsewhere); anonymous: sign in first."""
    rule = rule_of(url)
    if rule is None or not user.is_authenticated:
        return True
    return bool(rule.check(user))


def _elsewhere(user: Any, rule: PageRule) -> str | None:
    for name in rule.elsewhere:
        url = _reverse(name)
        if url and can_open(user, url):
            return url
    return None


def reverse_name(name: str) -> str | None:
    """The address of a URL name without arguments, or None if it does not resolve (yet)."""
    return _reverse_name(name, get_script_prefix())


_reverse = reverse_name


def link_for(user: Any, url_name_or_path: str) -> str | None:
    """The address a link to this page should take for `user`, or None when nothing opens.

    Accepts a URL name ("appeals:new") or a path; an unbuilt page (its name does not resolve)
    gives None as well, so callers can show it as "建设中".
    """
    url = url_name_or_path if url_name_or_path.startswith("/") else _reverse(url_name_or_path)
    if url is None:
        return None
    rule = rule_of(url)
    if rule is None or not user.is_authenticated or rule.check(user):
        return url
    return _elsewhere(user, rule)
