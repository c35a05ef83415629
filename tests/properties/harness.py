"""The property-based harness of the workflow processes (issue 11).

Each process's test describes its moves (an action of the table and the service call that the
views and the API make for it) and its personas; `explore` lets Hypothesis draw a sequence of
(move, persona) pairs, runs it through the services and checks after every step:

- the state is one of the table's states, and a change of state was made by a listed action
  from one of its sources to one of its targets;
- the history is complete: every change of state has its row, the rows are ordered by time and
  id, each change starts where the previous one ended and the last ends in the current state;
- a deadline is present exactly where the state carries one;
- a refused action (TransitionNotAllowed, PermissionDenied, ValidationError) changes nothing:
  the row, the history, the outbox, the notifications and the audit log stay as they were;
- an action the services let a persona take is one the table offers that persona in that state
  (`Process.can`: the state is a source and the permission rule agrees).

Every example runs inside a savepoint that is rolled back, so the function-scoped fixtures (the
personas, built once per test) are shared safely by the examples.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st

from qifu.core.models import AuditEvent
from qifu.core.workflow import Process, TransitionNotAllowed
from qifu.notifications.models import Notification, OutboxMessage

# Fast enough for the whole property suite to stay within about a minute per database; the
# personas are function-scoped fixtures shared by the examples, each example rolled back.
PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)

# The states each process's examples reached (for a look at the coverage: QIFU_PROPERTY_COVERAGE=1).
REACHED: dict[str, set[str]] = {}

REFUSALS = (TransitionNotAllowed, PermissionDenied, ValidationError)


@dataclass(frozen=True)
class Move:
    """One way to take an action through the services: `run(user, obj)`.

    `actions` are the table's actions the service may record the step as (a submission after
    补正 is 补正后重新提交). `obj` is the object the process is about; `run` may return a new
    object to follow instead (None: keep following the same)."""

    name: str
    actions: tuple[str, ...]
    run: Callable[[Any, Any], Any]
    # Whether the move is offered to the user now, when the table's own check cannot say (a
    # step of another process that moves this one, e.g. closing a project's last item).
    offer: Callable[[Any, Any], bool] | None = None

    def offered(self, process: Process, user: Any, obj: Any) -> bool:
        if self.offer is not None:
            return self.offer(user, obj)
        return any(process.can(user, a, obj) for a in self.actions)


@dataclass
class Explorer:
    process: Process
    moves: Sequence[Move]
    personas: dict[str, Any]
    # A state's deadline field stays filled once the state is left (the record of what was
    # due; the shared sweep selects by state), so a field is checked both ways (set exactly in
    # the states that carry it) only when named here; the appeals' current deadline `due_at`
    # (the sweep's field) always is.
    exact: frozenset[str] = frozenset()
    steps: int = 10
    # Rows of the history table that belong to another process on the same subject (a
    # project's history holds its items' steps too): excluded, e.g. {"item__isnull": True}.
    history_filter: dict[str, Any] = field(default_factory=dict)
    # True when the object is created by another process's step (a project's items) and so
    # starts in its first state without a history row of its own.
    born_silent: bool = False
    initial: str = ""
    change_count: int = 0
    log: list[str] = field(default_factory=list)

    # --- reading -------------------------------------------------------------------------------

    def history(self, obj: Any) -> list[Any]:
        model = self.process.history
        if self.process.subject == "item" and model._meta.model_name == "publicationevent":
            ct = ContentType.objects.get_for_model(type(obj), for_concrete_model=False)
            qs = model._default_manager.filter(content_type=ct, object_id=obj.pk)
        else:
            qs = model._default_manager.filter(**{self.process.subject: obj.pk})
        qs = qs.filter(**self.history_filter)
        return list(qs.order_by("at", "id"))

    def snapshot(self, obj: Any) -> dict[str, Any]:
        row = type(obj)._default_manager.filter(pk=obj.pk).values().get()
        row.pop("updated_at", None)
        return {
            "row": row,
            "history": [(e.pk, e.action, e.from_state, e.to_state) for e in self.history(obj)],
            "outbox": OutboxMessage.objects.count(),
            "notifications": Notification.objects.count(),
            "audit": AuditEvent.objects.count(),
        }

    # --- the invariants ------------------------------------------------------------------------

    def check(self, obj: Any, before_state: str | None, move: Move | None) -> None:
        process = self.process
        obj.refresh_from_db()
        state = process.state_of(obj)
        context = " → ".join(self.log)
        assert state in process.states.values, (
            f"{state!r} is not a state of {process.name}: {context}"
        )
        if move is not None and before_state is not None and state != before_state:
            assert any(
                before_state in process.actions[a].sources and state in process.actions[a].targets
                for a in move.actions
            ), f"{move.name} moved {before_state} → {state}, not in the table: {context}"

        event(f"reached {state}")
        REACHED.setdefault(process.name, set()).add(state)
        events = self.history(obj)
        if not events:
            assert self.born_silent and state == self.initial, f"no history: {context}"
            self.change_count = 0
            return
        by_id = sorted(events, key=lambda e: e.pk)
        assert [e.pk for e in events] == [e.pk for e in by_id], f"history out of order: {context}"
        changes = [e for e in events if e.from_state != e.to_state]
        previous: str | None = None
        for row in changes:
            act = process.actions.get(row.action)
            assert act is not None, f"history action {row.action!r} not in the table: {context}"
            if not row.from_state:  # the creation (`Process.start`), the first row
                assert row is changes[0], f"{row.action} creates again: {context}"
            else:
                assert row.from_state in act.sources, f"{row.action} from {row.from_state}"
                assert row.to_state in act.targets, f"{row.action} to {row.to_state}"
            if previous is not None:
                assert row.from_state == previous, (
                    f"history not chained: {row.action} {row.from_state}→{row.to_state} "
                    f"after …→{previous}: {context}"
                )
            elif self.born_silent:
                assert row.from_state == self.initial, f"{row.action} does not start: {context}"
            previous = row.to_state
        if move is not None:
            # A step that moved wrote its rows of change, from where it was to where it is (a
            # dispatch of an appeal not yet judged writes 研判 then 派发); one that did not, none.
            new = changes[self.change_count :]
            if before_state is not None and state != before_state:
                assert new and new[0].from_state == before_state and new[-1].to_state == state, (
                    f"{move.name} {before_state}→{state} wrote {new}: {context}"
                )
            else:
                assert not new, f"{move.name} did not move but wrote {new}: {context}"
        self.change_count = len(changes)
        last = events[-1].to_state if not changes else changes[-1].to_state
        assert last == state, f"history ends in {last}, the row is {state}: {context}"
        for row in events:
            assert row.to_state in process.states.values or row.to_state == ""

        fields: dict[str, set[str]] = {}
        exact = set(self.exact)
        for deadline in process.deadlines:
            fields.setdefault(deadline.field, set()).update(deadline.states)
            if deadline.swept != deadline.field:
                fields.setdefault(deadline.swept, set()).update(deadline.states)
                exact.add(deadline.swept)
        for name, states in fields.items():
            value = getattr(obj, name)
            if state in states:
                assert value is not None, f"{state} carries {name}, it is empty: {context}"
            elif name in exact:
                assert value is None, f"{state} carries no {name}, it is {value}: {context}"

    # --- driving -------------------------------------------------------------------------------

    def moving(self, move: Move) -> bool:
        return any(self.process.actions[a].targets for a in move.actions)

    def run(self, data: st.DataObject, make: Callable[[], Any]) -> None:
        """One example: make the object, then draw and take `steps` moves, checking each."""

        class Rollback(Exception):
            pass

        try:
            with transaction.atomic():
                self._run(data, make)
                raise Rollback
        except Rollback:
            pass

    def _run(self, data: st.DataObject, make: Callable[[], Any]) -> None:
        self.log = ["created"]
        obj = make()
        self.initial = self.process.state_of(obj)
        self.check(obj, None, None)
        names = sorted(self.personas)
        for _ in range(self.steps):
            # Half the steps are drawn among what the table offers someone now (so that the
            # sequences reach the later states), half among every move and persona.
            # Moves that change the state count three times, so that the later states are
            # reached within a short sequence.
            offered = [
                (move, who)
                for move in self.moves
                for who in names
                if move.offered(self.process, self.personas[who], obj)
                for _ in range(3 if self.moving(move) else 1)
            ]
            if offered and data.draw(st.booleans(), label="offered"):
                move, who = data.draw(st.sampled_from(offered), label="offered move")
            else:
                move = data.draw(st.sampled_from(self.moves), label="move")
                who = data.draw(st.sampled_from(names), label="persona")
            user = self.personas[who]
            before = self.snapshot(obj)
            state = self.process.state_of(obj)
            permitted = move.offered(self.process, user, obj)
            try:
                # No savepoint of our own: a service that writes before refusing is a defect.
                result = move.run(user, obj)
            except REFUSALS as refusal:
                self.log.append(f"{move.name}({who}) refused: {type(refusal).__name__}")
                obj.refresh_from_db()
                after = self.snapshot(obj)
                assert after == before, f"a refused {move.name} by {who} changed: {self.log}"
                continue
            self.log.append(f"{move.name}({who})")
            if result is not None:
                # What the services let a person do, the table (state and permission) offers.
                assert permitted, f"{move.name} by {who} was not offered but done: {self.log}"
            if isinstance(result, type(obj)) and result.pk != obj.pk:
                obj = result
                self.check(obj, None, None)
                continue
            self.check(obj, state, move)
