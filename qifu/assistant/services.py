"""Writes of 我要咨询: the knowledge base, votes, questions asked and hand-off conversations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from qifu.assistant import engine
from qifu.assistant.models import (
    AskLog,
    Consultation,
    ConsultationMessage,
    ConsultationStatus,
    Faq,
    FaqAction,
    FaqStatus,
    KnowledgeVersion,
    ProposalStatus,
    SimilarQuestionProposal,
)
from qifu.assistant.sources import named_sources
from qifu.core.audit import audit_record
from qifu.core.spreadsheets import cell_text, missing_columns, read_table
from qifu.notifications.services import notify
from qifu.workdays.calendar import WorkCalendar

OFFICE_OPENS = dt.time(9, 0)
OFFICE_CLOSES = dt.time(17, 0)
# Within office hours a person answers within this time (the promise shown to the enterprise).
ANSWER_WITHIN = dt.timedelta(hours=2)
COLUMNS = ("question", "answer", "category", "similar_questions", "link", "action")
# How many earlier exchanges of the conversation a hand-off carries to the person.
TRANSCRIPT_LENGTH = 20


def _knowledge_changed() -> None:
    # Every process compares this number with its index's before answering (engine.live_index).
    updated = KnowledgeVersion.objects.filter(pk=1).update(value=F("value") + 1)
    if not updated:
        KnowledgeVersion.objects.get_or_create(pk=1, defaults={"value": 1})


def _split_similar(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        items = [str(v) for v in value]
    else:
        items = str(value or "").split("|")
    return [s.strip() for s in items if s and s.strip()]


def _checked_link(value: Any, question: str) -> str:
    link = str(value or "").strip()
    # Only pages of this platform: an answer never sends an enterprise to an outside address.
    if link and (not link.startswith("/") or link.startswith("//") or len(link) > 200):
        raise ValidationError(f"链接须为本平台以 / 开头的地址：{question}")
    return link


def _checked_action(value: Any, question: str) -> str:
    action = str(value or "").strip()
    if action not in FaqAction.values:
        raise ValidationError(f"未知的答复动作“{action}”：{question}")
    return action


# --- Knowledge base --------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    removed: int


def faq_rows_read(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file with the columns of docs/api.md, checked."""
    try:
        table = read_table(path)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    if not table:
        raise ValidationError("表格为空。")
    missing = missing_columns(table, ("question", "answer"))
    if missing:
        raise ValidationError(f"缺少列：{'、'.join(missing)}")
    rows = [{name: cell_text(row, name) for name in row} for row in table]
    return [r for r in rows if r.get("question")]


@transaction.atomic
def faq_import(
    *, rows: Iterable[dict[str, Any]], replace: bool = False, actor: Any = None
) -> ImportResult:
    """Load entries by question (idempotent); `replace` removes every entry not in the rows.

    An imported file is the reviewed base itself (maintained by the platform's office), so its
    entries go live at once; entries written on the platform go through `faq_approve`.
    """
    created = updated = 0
    seen: set[str] = set()
    changed: list[Faq] = []
    now = timezone.now()
    for row in rows:
        question = str(row.get("question") or "").strip()[:200]
        answer = str(row.get("answer") or "").strip()
        if not question or not answer:
            raise ValidationError(f"问题和答案都不能为空：{question or '（空问题）'}")
        seen.add(question)
        fields = {
            "answer": answer,
            "category": str(row.get("category") or "").strip()[:50],
            "similar_questions": _split_similar(row.get("similar_questions")),
            "link": _checked_link(row.get("link"), question),
            "action": _checked_action(row.get("action"), question),
            "status": FaqStatus.APPROVED,
            "is_active": True,
        }
        faq = Faq.objects.filter(question=question).first()
        if faq is None:
            changed.append(Faq.objects.create(question=question, approved_at=now, **fields))
            created += 1
        elif any(getattr(faq, k) != v for k, v in fields.items()):
            for key, value in fields.items():
                setattr(faq, key, value)
            faq.approved_at = faq.approved_at or now
            faq.save()
            changed.append(faq)
            updated += 1
    # The model runs here, once per changed entry, never while a question waits.
    engine.vectors_refresh(changed)
    removed = 0
    if replace:
        removed, _ = Faq.objects.exclude(question__in=seen).delete()
    if not (created or updated or removed):
        # A second run of the same file is a no-op, down to the audit log.
        return ImportResult(created=0, updated=0, removed=0)
    _knowledge_changed()
    audit_record(
        action="assistant.faq.import",
        actor=actor,
        summary=f"导入知识库：新增{created}，更新{updated}，删除{removed}",
        data={"created": created, "updated": updated, "removed": removed, "replace": replace},
    )
    return ImportResult(created=created, updated=updated, removed=removed)


@transaction.atomic
def faq_create(
    *,
    question: str,
    answer: str,
    category: str = "",
    similar_questions: Iterable[str] = (),
    link: str = "",
    author: Any,
    source_consultation: Consultation | None = None,
) -> Faq:
    """A draft entry (系统建模入库); it answers nobody until another person approves it."""
    if not author.is_platform_staff:
        raise PermissionDenied("只有平台工作人员可以维护知识库。")
    question = question.strip()
    if Faq.objects.filter(question=question).exists():
        raise ValidationError({"question": "知识库中已有相同的问题。"})
    try:
        link = _checked_link(link, question)
    except ValidationError as exc:
        raise ValidationError({"link": "链接须为本平台以 / 开头的地址。"}) from exc
    faq = Faq.objects.create(
        question=question,
        answer=answer.strip(),
        category=category.strip(),
        similar_questions=_split_similar(list(similar_questions)),
        link=link,
        author=author,
        source_consultation=source_consultation,
    )
    engine.vectors_refresh([faq])
    audit_record(action="assistant.faq.create", actor=author, target=faq, summary=question)
    return faq


@transaction.atomic
def faq_approve(*, faq: Faq, reviewer: Any) -> Faq:
    """Put a draft live; the reviewer must be platform staff and not its author."""
    faq = Faq.objects.select_for_update().get(pk=faq.pk)
    if not reviewer.is_platform_staff:
        raise PermissionDenied("只有平台工作人员可以审核知识库。")
    if faq.status != FaqStatus.DRAFT:
        raise ValidationError("只有待审核的条目可以审核上线。")
    if faq.author_id is not None and faq.author_id == reviewer.pk:
        raise PermissionDenied("编写人不能审核自己编写的条目。")
    faq.status = FaqStatus.APPROVED
    faq.reviewer = reviewer
    faq.approved_at = timezone.now()
    faq.save(update_fields=["status", "reviewer", "approved_at", "updated_at"])
    _knowledge_changed()
    audit_record(action="assistant.faq.approve", actor=reviewer, target=faq, summary=faq.question)
    return faq


@transaction.atomic
def faq_retire(*, faq: Faq, actor: Any) -> Faq:
    """Take an entry off the live base."""
    if not actor.is_platform_staff:
        raise PermissionDenied("只有平台工作人员可以维护知识库。")
    Faq.objects.filter(pk=faq.pk).update(status=FaqStatus.RETIRED, updated_at=timezone.now())
    faq.refresh_from_db()
    _knowledge_changed()
    audit_record(action="assistant.faq.retire", actor=actor, target=faq, summary=faq.question)
    return faq


def faq_vote(*, faq: Faq, helpful: bool) -> None:
    """Count one 有用/没用 vote (an atomic UPDATE; concurrent votes all count)."""
    column = "helpful_count" if helpful else "unhelpful_count"
    Faq.objects.filter(pk=faq.pk).update(**{column: F(column) + 1})


@transaction.atomic
def proposal_record(*, log: AskLog, faq: Faq) -> SimilarQuestionProposal | None:
    """Remember that someone who asked `log.question` meant `faq` (a pending similar question)."""
    text = log.question.strip()[:200]
    if text in engine.phrasings(faq.question, faq.similar_questions or ()):
        return None
    proposal, created = SimilarQuestionProposal.objects.get_or_create(
        faq=faq, text=text, defaults={"source_log": log}
    )
    if not created and proposal.status == ProposalStatus.PENDING:
        SimilarQuestionProposal.objects.filter(pk=proposal.pk).update(times=F("times") + 1)
    return proposal


@transaction.atomic
def proposal_decide(
    *, proposal: SimilarQuestionProposal, reviewer: Any, approve: bool
) -> SimilarQuestionProposal:
    """A curator adds a user's wording to the entry's similar questions, or declines it."""
    if not reviewer.is_platform_staff:
        raise PermissionDenied("只有平台工作人员可以审核知识库。")
    proposal = SimilarQuestionProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError("该建议已经审核过了。")
    proposal.status = ProposalStatus.APPROVED if approve else ProposalStatus.REJECTED
    proposal.reviewer = reviewer
    proposal.save(update_fields=["status", "reviewer", "updated_at"])
    if approve:
        faq = Faq.objects.select_for_update().get(pk=proposal.faq_id)
        faq.similar_questions = [*(faq.similar_questions or []), proposal.text]
        faq.save(update_fields=["similar_questions", "updated_at"])
        engine.vectors_refresh([faq])
        _knowledge_changed()
    audit_record(
        action="assistant.proposal.approve" if approve else "assistant.proposal.reject",
        actor=reviewer,
        target=proposal.faq,
        summary=proposal.text,
    )
    return proposal


# --- Asking ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AskResult:
    match: engine.Match
    log: AskLog
    consultation: Consultation | None
    sources: list[dict[str, Any]]

    @property
    def handoff(self) -> bool:
        return not self.match.answered


def _signed_in(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


@transaction.atomic
def assistant_ask(
    *,
    question: str,
    user: Any = None,
    transcript: list[dict[str, str]] | None = None,
    handoff_when_unsure: bool = True,
) -> AskResult:
    """Answer from the live base, ask back, or hand off.

    A signed-in user's question the base cannot answer opens a consultation (with the
    conversation so far). The page passes `handoff_when_unsure=False`: while it asks back
    ("您是不是想问") or cites a matter guide or policy, the asker decides whether to 转人工.
    """
    question = question.strip()
    if not question:
        raise ValidationError({"question": "请输入您的问题。"})
    if len(question) > 500:
        raise ValidationError({"question": "问题请不要超过500字。"})
    match = engine.live_index().search(question)
    sources = named_sources(question)
    signed_in = _signed_in(user)
    log = AskLog.objects.create(
        question=question,
        faq_id=match.faq_id,
        score=match.score,
        is_answered=match.answered,
        suggested_ids=[c.faq_id for c in match.suggestions],
        sources=sources,
        user=user if signed_in else None,
        asked_at=timezone.now(),
    )
    consultation = None
    unsure = match.ask_back or bool(sources)
    if not match.answered and signed_in and (handoff_when_unsure or not unsure):
        consultation = consultation_open(user=user, question=question, transcript=transcript)
        log.consultation = consultation
        log.save(update_fields=["consultation"])
    return AskResult(match=match, log=log, consultation=consultation, sources=sources)


@transaction.atomic
def assistant_choose(*, log: AskLog, faq_id: int) -> AskLog:
    """The asker picked one of the "您是不是想问" questions: answer it and keep the feedback."""
    if faq_id not in (log.suggested_ids or []):
        raise ValidationError("请从推荐的问题中选择。")
    log = AskLog.objects.select_for_update().get(pk=log.pk)
    if log.chosen_faq_id is not None:
        return log  # a second click changes nothing
    faq = Faq.objects.live().filter(pk=faq_id).first()
    if faq is None:
        raise ValidationError("该问题已下线，请重新提问。")
    log.chosen_faq = faq
    log.save(update_fields=["chosen_faq"])
    proposal_record(log=log, faq=faq)
    return log


def transcript_of(logs: Iterable[AskLog]) -> list[dict[str, str]]:
    """The exchanges of a conversation as text, for the person who takes it over."""
    lines = []
    for log in list(logs)[-TRANSCRIPT_LENGTH:]:
        faq = log.chosen_faq or (log.faq if log.is_answered else None)
        if faq is not None:
            reply = f"（{faq.question}）{faq.answer}"
        elif log.suggested_ids:
            reply = "（未确定，向提问人推荐了相近的问题）"
        else:
            reply = "（智能客服未能回答）"
        lines.append({"question": log.question, "reply": reply[:500]})
    return lines


@transaction.atomic
def assistant_handoff(*, log: AskLog, user: Any, logs: Iterable[AskLog] = ()) -> Consultation:
    """转人工 from an exchange (没用, or nothing offered fits): one consultation per exchange."""
    log = AskLog.objects.select_for_update().get(pk=log.pk)
    if log.consultation_id is not None:
        return Consultation.objects.get(pk=log.consultation_id)
    earlier = [entry for entry in logs if entry.pk != log.pk]
    consultation = consultation_open(
        user=user, question=log.question, transcript=transcript_of([*earlier, log])
    )
    log.consultation = consultation
    log.save(update_fields=["consultation"])
    return consultation


# --- Hand-off to a person --------------------------------------------------------------------


def _aware(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at))


def answer_expected_at(now: dt.datetime) -> dt.datetime:
    """When a person will answer: within two office hours, else at the next opening (9:00)."""
    calendar = WorkCalendar()
    local = timezone.localtime(now)
    today = local.date()
    if calendar.is_workday(today) and OFFICE_OPENS <= local.time() < OFFICE_CLOSES:
        return min(local + ANSWER_WITHIN, _aware(today, OFFICE_CLOSES))
    if calendar.is_workday(today) and local.time() < OFFICE_OPENS:
        return _aware(today, OFFICE_OPENS)
    return _aware(calendar.next_workday(today), OFFICE_OPENS)


def is_office_hours(now: dt.datetime) -> bool:
    local = timezone.localtime(now)
    return WorkCalendar().is_workday(local.date()) and (
        OFFICE_OPENS <= local.time() < OFFICE_CLOSES
    )


@transaction.atomic
def consultation_open(
    *, user: Any, question: str, transcript: list[dict[str, str]] | None = None
) -> Consultation:
    """Hand a question to a person; the enterprise is told when the answer will come."""
    now = timezone.now()
    consultation = Consultation.objects.create(
        enterprise_id=user.enterprise_id,
        user=user,
        question=question,
        transcript=list(transcript or [])[-TRANSCRIPT_LENGTH:],
        answer_expected_at=answer_expected_at(now),
        last_message_at=now,
    )
    ConsultationMessage.objects.create(
        consultation=consultation, author=user, text=question, at=now
    )
    audit_record(
        action="assistant.consultation.open", actor=user, target=consultation, summary=question
    )
    return consultation


@transaction.atomic
def consultation_post(*, consultation: Consultation, author: Any, text: str) -> ConsultationMessage:
    """Add a message; a staff reply marks it answered and notifies the enterprise user."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": "请输入消息内容。"})
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status == ConsultationStatus.CLOSED:
        raise ValidationError("该咨询已关闭，如有新问题请重新咨询。")
    is_staff = bool(author.is_platform_staff)
    if not is_staff and not (
        author.pk == consultation.user_id
        or (author.enterprise_id and author.enterprise_id == consultation.enterprise_id)
    ):
        raise PermissionDenied("您无权在该咨询中发言。")
    now = timezone.now()
    message = ConsultationMessage.objects.create(
        consultation=consultation, author=author, text=text, at=now, is_staff_reply=is_staff
    )
    consultation.status = ConsultationStatus.ANSWERED if is_staff else ConsultationStatus.OPEN
    consultation.last_message_at = now
    if not is_staff:
        consultation.answer_expected_at = answer_expected_at(now)
    consultation.save(
        update_fields=["status", "last_message_at", "answer_expected_at", "updated_at"]
    )
    if is_staff:
        url = reverse("assistant:consultation", args=[consultation.pk])
        notify(
            users=[consultation.user],
            code="generic",
            context={
                "title": "您的咨询有了答复",
                "body": f"“{consultation.question[:30]}”：{text[:60]}",
            },
            url=url,
        )
        audit_record(
            action="assistant.consultation.reply",
            actor=author,
            target=consultation,
            summary=text[:100],
        )
    return message


@transaction.atomic
def consultation_close(*, consultation: Consultation, actor: Any) -> Consultation:
    """Close a conversation (the enterprise is satisfied, or staff end it)."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not Consultation.objects.for_user(actor).filter(pk=consultation.pk).exists():
        raise PermissionDenied("您无权关闭该咨询。")
    consultation.status = ConsultationStatus.CLOSED
    consultation.save(update_fields=["status", "updated_at"])
    audit_record(action="assistant.consultation.close", actor=actor, target=consultation)
    return consultation
