"""One workflow mechanism for every process with states (STYLE.md, rule 5).

A process is data: its states, its actions (the states each may be taken from, the state or
states it leads to, who may take it), the deadline each state carries, and the history table its
steps are written to. It reads in one screen and `Process.table()` renders it for the README.

`Process.act()` is the one way to take an action:

1. lock the row (`select_for_update`; on SQLite the IMMEDIATE transaction holds the write lock);
2. refuse what the table forbids (`TransitionNotAllowed`: HTTP 409 in the API, a message on the
   page) and what the action's permission forbids (`PermissionDenied`), both checked on the
   locked row, so a decision never rests on a copy read before someone else acted;
3. run the step (the caller's block, which changes the row and may record more history);
4. move the state, attach the deadline of the state entered (the working-day calendar), save;
5. write the history rows (who, the actor's unit, when, from, to, note, public or internal) and
   an audit record for each;
6. write the notifications to the outbox in the same transaction: delivery happens afterwards, so
   a worker killed between the commit and the delivery loses nothing, and a rolled-back step
   notifies no one.

Each history table is a concrete subclass of `qifu.core.models.WorkflowEvent`; every action's
Chinese label comes from the one registry here (`action_label`), filled by the tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

Permission = Callable[[Any, Any], bool]


class TransitionNotAllowed(Exception):
    """The current state does not allow the action: a page message, HTTP 409 in the API.

    Every process raises this class (or a subclass); the API maps it once.
    """


def permission(who: str, refusal: str) -> Callable[[Permission], Permission]:
    """Name a permission rule for the process table (`who`) and give its refusal message."""

    def decorate(fn: Permission) -> Permission:
        fn.who = who  # type: ignore[attr-defined]
        fn.refusal = refusal  # type: ignore[attr-defined]
        return fn

    return decorate


@permission("系统", "该操作由平台自动执行。")
def nobody(user: Any, obj: Any) -> bool:
    """Only the platform itself (a scheduled job, no user) takes such an action."""
    return user is None


@dataclass(frozen=True)
class Action:
    """One row of a process table."""

    name: str
    label: str
    sources: frozenset[str]
    # The states the action may lead to; empty: the state stays. With several, the step chooses.
    targets: frozenset[str] = frozenset()
    allowed: Permission = nobody
    # Whether its history row is shown to the enterprise (internal notes are not).
    public: bool = True
    # False for a step that changes no state and is not worth a timeline row (it is audited).
    history: bool = True
    # True when the step may also leave the state as it is (it chooses with `Step.go`).
    may_stay: bool = False

    @property
    def refusal(self) -> str:
        return str(getattr(self.allowed, "refusal", "您无权执行此操作。"))

    @property
    def who(self) -> str:
        return str(getattr(self.allowed, "who", self.allowed.__name__))

    @property
    def target(self) -> str | None:
        """The state the action leads to unless the step chooses otherwise."""
        if self.may_stay or len(self.targets) != 1:
            return None
        return next(iter(self.targets))


def action(
    name: str,
    label: str,
    *,
    sources: Iterable[str],
    to: str | Iterable[str | None] | None = None,
    allowed: Permission = nobody,
    public: bool = True,
    history: bool = True,
) -> Action:
    """An action: `to` is one state, several (the step chooses; None among them: it may also
    stay) or None (the state stays)."""
    states: list[str | None] = [] if to is None else [to] if isinstance(to, str) else list(to)
    targets = frozenset(s for s in states if s is not None)
    may_stay = None in states
    return Action(name, label, frozenset(sources), targets, allowed, public, history, may_stay)


@dataclass(frozen=True)
class Deadline:
    """A deadline carried by some states, computed by the working-day calendar on entering them.

    `working_days` is a number or a function of the object (a matter's promised limit);
    `start` gives the time the clock starts from (default: the moment of the step). Moving
    between two states of the same deadline keeps the clock running (研判 does not restart the
    dispatch deadline); a step may restart it explicitly.
    """

    states: frozenset[str]
    field: str
    working_days: int | Callable[[Any], int]
    # What must be done by then (e.g. 派发); per state where one clock spans several states.
    what: str | dict[str, str]
    start: Callable[[Any, dt.datetime], dt.datetime] | None = None
    # The column the deadline sweep reads (the appeals keep the effective, extended one apart).
    sweep_field: str = ""
    # Where the start and the number of working days are kept, so that a change of a year's
    # holidays can compute the deadline again from what it was computed from
    # (qifu/notifications/deadlines.py, process_deadlines_recompute); empty: not stored (the
    # start is then an attribute the object keeps anyway, the days the rule's).
    start_field: str = ""
    days_field: str = ""
    # States in which the clock stands still (waiting for the enterprise): the deadline is kept
    # and follows the calendar, but nobody is reminded of it.
    quiet: frozenset[str] = frozenset()
    # The limit in words, for the documents, where `working_days` is a function.
    rule: str = ""
    # False for a deadline nobody has to meet (the end of a publicity period): never swept.
    remind: bool = True

    def days_for(self, obj: Any) -> int:
        days = self.working_days
        return int(days(obj) if callable(days) else days)

    def what_for(self, state: str) -> str:
        return self.what if isinstance(self.what, str) else self.what.get(state, "")

    @property
    def swept(self) -> str:
        return self.sweep_field or self.field


@dataclass
class Entry:
    """A history row to be written at the end of the step."""

    action: str
    note: str = ""
    is_public: bool | None = None
    data: dict[str, Any] = field(default_factory=dict)
    at: dt.datetime | None = None
    from_state: str | None = None
    to_state: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    after: bool = False


Text = str | Callable[[], str]


@dataclass
class Notice:
    users: Callable[[], Iterable[Any]] | Iterable[Any]
    title: Text
    body: Text
    url: str
    channels: tuple[str, ...]


_LABELS: dict[tuple[str, str], str] = {}
_PROCESSES: dict[str, Process] = {}


def action_label(process: str, action_name: str) -> str:
    """The Chinese name of an action of a process (the one label registry)."""
    return _LABELS.get((process, action_name), action_name)


def processes() -> list[Process]:
    return list(_PROCESSES.values())


def actor_unit(user: Any) -> str:
    """The unit an actor acts for, as the timeline names it: the enterprise's name, the
    department's full name (platform staff: their agency), or 系统 for the platform's jobs."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "系统"
    if user.enterprise_id:
        return str(user.enterprise.name)
    if user.department_id:
        return str(user.department.name)
    if getattr(user, "organisation_name", ""):
        return str(user.organisation_name)
    return "平台管理员" if user.is_superuser else ""


class Step:
    """What the caller's block of `Process.act()` works with."""

    def __init__(self, process: Process, obj: Any, action: Action, actor: Any, now: dt.datetime):
        self.process = process
        self.obj = obj
        self.action = action
        self.actor = actor
        self.now = now
        self.state_from: str = getattr(obj, process.state_field)
        self.target: str | None = action.target
        self.note = ""
        self.is_public: bool | None = None
        self.data: dict[str, Any] = {}
        self.extra: dict[str, Any] = {}
        self.at: dt.datetime | None = None
        # Set to a label to leave the actor off the history (e.g. an objector shown as 公众);
        # the audit log still records who it was.
        self.anonymous_as: str | None = None
        self.restart: set[str] = set()
        self.fixed: set[str] = set()
        self.callbacks: list[Callable[[], object]] = []
        self.entries: list[Entry] = []
        self.notices: list[Notice] = []
        self.events: list[Any] = []

    def go(self, state: str) -> None:
        """Choose the state the step leads to, among the action's targets."""
        if state not in self.action.targets:
            raise ValueError(f"{self.action.name} cannot lead to {state}")
        self.target = state

    def rename(self, action_name: str) -> None:
        """Record the step as another action of the table allowed in the same state (e.g. a
        submission after 补正 is 补正后重新提交)."""
        act = self.process.actions[action_name]
        if self.state_from not in act.sources:
            raise self.process.conflict(self.obj, act)
        self.action = act
        self.target = act.target or self.target

    def restart_deadline(self, deadline_field: str) -> None:
        """Start the clock of this deadline again although the state keeps it."""
        self.restart.add(deadline_field)

    def fix_deadline(self, deadline_field: str, due: dt.datetime | None) -> None:
        """Set the deadline of the state entered by a rule of the step's own (e.g. the working
        days that were left when the clock stopped), instead of the table's."""
        setattr(self.obj, deadline_field, due)
        self.fixed.add(deadline_field)

    def record(self, action_name: str, **entry: Any) -> None:
        """Write another history row in the same step: before the main one (研判 before 派发), or
        after it with `after=True` (the e-licence issued on approval)."""
        self.entries.append(Entry(action=action_name, **entry))

    def then(self, callback: Callable[[], object]) -> None:
        """Run once the step is saved and written, still inside its transaction (e.g. a process's
        own notification plan that reads the new state)."""
        self.callbacks.append(callback)

    def notify(
        self,
        users: Callable[[], Iterable[Any]] | Iterable[Any],
        title: Text,
        body: Text,
        *,
        url: str = "",
        channels: tuple[str, ...] = ("inbox",),
    ) -> None:
        self.notices.append(Notice(users, title, body, url, channels))


class Process:
    """A workflow: states, actions, deadlines and the history table of one model."""

    def __init__(
        self,
        *,
        name: str,
        label: str,
        model: type[models.Model],
        states: type[models.TextChoices],
        actions: Iterable[Action],
        history: type[models.Model],
        subject: str,
        state_field: str = "status",
        deadlines: Iterable[Deadline] = (),
        lock_related: tuple[str, ...] = (),
        audit_prefix: str = "",
        url: Callable[[Any], str] | None = None,
        number: Callable[[Any], str] | None = None,
        history_fields: Callable[[Step, Entry], dict[str, Any]] | None = None,
        entries: dict[str, str] | None = None,
    ) -> None:
        self.name = name
        self.label = label
        self.model = model
        self.states = states
        self.actions = {a.name: a for a in actions}
        self.history = history
        self.subject = subject
        self.state_field = state_field
        self.deadlines = tuple(deadlines)
        self.lock_related = lock_related
        self.audit_prefix = audit_prefix or name
        self.url = url or (lambda obj: "")
        self.number = number or (lambda obj: str(getattr(obj, "number", obj.pk)))
        self.history_fields = history_fields
        # History rows that are not actions of their own (e.g. 超期, written by the sweep).
        for entry_name, entry_label in (entries or {}).items():
            _LABELS[(self.name, entry_name)] = entry_label
        for act in self.actions.values():
            unknown = (act.sources | act.targets) - set(states.values)
            if unknown:
                raise ValueError(f"{self.name}.{act.name}: unknown states {sorted(unknown)}")
            _LABELS[(self.name, act.name)] = act.label
        _PROCESSES[self.name] = self

    # --- reading the table ----------------------------------------------------------------------

    def state_of(self, obj: Any) -> str:
        return str(getattr(obj, self.state_field))

    def allows(self, action_name: str, state: str) -> bool:
        act = self.actions.get(action_name)
        return act is not None and state in act.sources

    def can(self, user: Any, action_name: str, obj: Any) -> bool:
        """Whether the user may take the action now: the table and the permission agree."""
        act = self.actions[action_name]
        return self.state_of(obj) in act.sources and bool(act.allowed(user, obj))

    def offered(self, user: Any, obj: Any) -> list[str]:
        """The actions the user may take on the object in its current state."""
        return [name for name in self.actions if self.can(user, name, obj)]

    def deadline_for_state(self, state: str) -> Deadline | None:
        return next((d for d in self.deadlines if state in d.states), None)

    def table(self) -> list[tuple[str, str, str, str]]:
        """(action, from, to, who) rows in the measures' words, for the README."""
        labels = dict(self.states.choices)
        rows = []
        for act in self.actions.values():
            sources = "、".join(labels[s] for s in self.states.values if s in act.sources)
            sources = sources or "（新建）"
            targets = "、".join(labels[s] for s in self.states.values if s in act.targets)
            if not act.sources and not targets:
                targets = labels[self.states.values[0]]  # creating the row: its first state
            if act.may_stay or not targets:
                targets = "（不变）" + (f"或{targets}" if targets else "")
            rows.append((act.label, sources, targets, act.who))
        return rows

    # --- taking an action -----------------------------------------------------------------------

    def _lock(self, pk: Any) -> Any:
        qs = self.model._default_manager.select_for_update(of=("self",))
        if self.lock_related:
            qs = qs.select_related(*self.lock_related)
        return qs.get(pk=pk)

    def conflict(self, obj: Any, act: Action) -> TransitionNotAllowed:
        state_label = dict(self.states.choices).get(self.state_of(obj), self.state_of(obj))
        return TransitionNotAllowed(
            f"{self.label}当前处于“{state_label}”，不能执行“{act.label}”。"
            "可能已被他人处理，请刷新后查看。"
        )

    @contextmanager
    def act(self, obj: Any, action_name: str, *, actor: Any, check: bool = True) -> Iterator[Step]:
        """Take an action on the object (or its primary key); see the module docstring."""
        act = self.actions[action_name]
        pk = obj.pk if isinstance(obj, models.Model) else obj
        with transaction.atomic():
            locked = self._lock(pk)
            if self.state_of(locked) not in act.sources:
                raise self.conflict(locked, act)
            if check and not act.allowed(actor, locked):
                raise PermissionDenied(act.refusal)
            step = Step(self, locked, act, actor, timezone.now())
            yield step
            self._finish(step)

    @contextmanager
    def start(self, obj: Any, action_name: str, *, actor: Any, state: str) -> Iterator[Step]:
        """Create the object in its first state with the history row of its creation."""
        act = self.actions[action_name]
        with transaction.atomic():
            setattr(obj, self.state_field, state)
            step = Step(self, obj, act, actor, timezone.now())
            step.state_from = ""
            step.target = state
            yield step
            self._finish(step, created=True)

    def _finish(self, step: Step, *, created: bool = False) -> None:
        obj = step.obj
        state_from = step.state_from
        target = step.target or self.state_of(obj)
        setattr(obj, self.state_field, target)
        self._attach_deadlines(step, state_from, target)
        obj.save()
        main = Entry(
            action=step.action.name,
            note=step.note,
            is_public=step.is_public,
            data=step.data,
            at=step.at,
            from_state=state_from,
            to_state=target,
            extra=step.extra,
        )
        before = [e for e in step.entries if not e.after]
        after = [e for e in step.entries if e.after]
        written = [main]
        if not step.action.history:
            self._audit(step, main)
            written = []
        for entry in [*before, *written, *after]:
            step.events.append(self._write(step, entry))
        self._send(step)
        for callback in step.callbacks:
            callback()

    def _attach_deadlines(self, step: Step, state_from: str, target: str) -> None:
        from qifu.workdays.calendar import deadline_after

        for deadline in self.deadlines:
            if deadline.field in step.fixed:
                continue
            entering = target in deadline.states and state_from not in deadline.states
            if not (entering or (target in deadline.states and deadline.field in step.restart)):
                continue
            start = deadline.start(step.obj, step.now) if deadline.start else step.now
            days = deadline.days_for(step.obj)
            due = deadline_after(start=start, working_days=days)
            setattr(step.obj, deadline.field, due.due_at)
            if deadline.start_field:
                setattr(step.obj, deadline.start_field, start)
            if deadline.days_field:
                setattr(step.obj, deadline.days_field, days)
            if hasattr(step.obj, "calendar_warning"):
                step.obj.calendar_warning = due.calendar_warning or ""

    def _write(self, step: Step, entry: Entry) -> Any:
        act = self.actions.get(entry.action)
        public = entry.is_public
        if public is None:
            public = act.public if act is not None else True
        state = self.state_of(step.obj)
        values: dict[str, Any] = {
            self.subject: step.obj,
            "at": entry.at or step.now,
            "action": entry.action,
            "actor": step.actor
            if step.anonymous_as is None and getattr(step.actor, "is_authenticated", False)
            else None,
            "actor_label": (step.anonymous_as or actor_unit(step.actor))[:100],
            "from_state": entry.from_state if entry.from_state is not None else state,
            "to_state": entry.to_state if entry.to_state is not None else state,
            "note": entry.note.strip(),
            "is_public": public,
            "data": entry.data,
            **entry.extra,
        }
        if self.history_fields is not None:
            values.update(self.history_fields(step, entry))
        event = self.history._default_manager.create(**values)
        self._audit(step, entry)
        return event

    def _audit(self, step: Step, entry: Entry) -> None:
        from qifu.core.audit import audit_record

        state = self.state_of(step.obj)
        audit_record(
            action=f"{self.audit_prefix}.{entry.action}",
            actor=step.actor,
            username="" if getattr(step.actor, "is_authenticated", False) else "系统",
            target=step.obj,
            summary=f"{self.number(step.obj)} {action_label(self.name, entry.action)}",
            data={
                **entry.data,
                "from": entry.from_state if entry.from_state is not None else state,
                "to": entry.to_state if entry.to_state is not None else state,
            },
        )

    def _send(self, step: Step) -> None:
        from qifu.notifications.services import notify

        for notice in step.notices:
            users = notice.users() if callable(notice.users) else notice.users
            unique = list({u.pk: u for u in users if u is not None}.values())
            if unique:
                title = notice.title() if callable(notice.title) else notice.title
                body = notice.body() if callable(notice.body) else notice.body
                notify(
                    users=unique,
                    code="generic",
                    context={"title": title, "body": body},
                    url=notice.url or self.url(step.obj),
                    channels=notice.channels,
                )
