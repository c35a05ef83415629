"""督办 demo: the supervisor `ducha` has pressed (催办) one case on the board and listed another
for the 通报, so the ladder and its history show on a fresh demo. Idempotent: a case that has
a 催办 already is left alone."""

from __future__ import annotations

from django.utils import timezone

from qifu.accounts.models import User
from qifu.appeals.models import AppealAction, AppealEvent
from qifu.core.workflow import TransitionNotAllowed
from qifu.demo import Output
from qifu.supervision import selectors, services


def seed(*, stdout: Output) -> None:
    ducha = User.objects.filter(username="ducha").first()
    if ducha is None:
        return
    if AppealEvent.objects.filter(action=AppealAction.URGE).exists():
        stdout.write("督办：已有催办记录（跳过）\n")
        return
    cases = list(selectors.board(timezone.now()).order_by("supervised_at", "due_at", "id")[:2])
    done = 0
    for index, case in enumerate(cases):
        try:
            services.supervision_urge(
                appeal=case.pk, user=ducha, note="请承办单位主要负责人过问，两个工作日内答复企业。"
            )
            if index == len(cases) - 1:
                services.supervision_escalate(
                    appeal=case.pk, user=ducha, note="催办后仍未答复，列入本月通报。"
                )
            done += 1
        except TransitionNotAllowed:
            continue
    stdout.write(f"督办：催办 {done} 件，列入通报 {1 if done else 0} 件\n")
