"""我要咨询 pages: ask, the hand-off conversation, the staff queue and the knowledge base."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from qifu.accounts.access import get_for_user_or_404
from qifu.assistant import selectors, services
from qifu.assistant.forms import AskForm, FaqForm, MessageForm
from qifu.assistant.models import (
    AskLog,
    Consultation,
    ConsultationStatus,
    Faq,
    SimilarQuestionProposal,
)
from qifu.core.forms import apply_errors

# Question logs this browser asked in (its conversation), so only the asker votes, and once.
_ASKED = "assistant_asked"
CONVERSATION_LENGTH = 30
_VOTED = "assistant_voted"


def _require_staff(user: Any) -> None:
    if not user.is_platform_staff:
        raise PermissionDenied("仅限平台工作人员使用。")


def _conversation_ids(request: HttpRequest) -> list[int]:
    return list(request.session.get(_ASKED, []))[-CONVERSATION_LENGTH:]


def _conversation_logs(request: HttpRequest, ids: list[int]) -> list[AskLog]:
    return list(
        AskLog.objects.filter(pk__in=ids).select_related("faq", "chosen_faq").order_by("pk")
    )


def _see_other(log_id: int) -> HttpResponse:
    # 303: the browser follows with a GET, so reloading the page never posts the question again.
    return HttpResponseRedirect(f"{reverse('assistant:ask')}#ask-{log_id}", status=303)


def _exchange_response(request: HttpRequest, log_id: int) -> HttpResponse:
    """htmx: the one exchange re-rendered; a plain form post: back to the page (PRG)."""
    if request.htmx:  # type: ignore[attr-defined]
        exchanges = selectors.conversation(log_ids=[log_id], user=request.user)
        return render(
            request,
            "assistant/_exchange.html",
            {"ex": exchanges[0], "office_hours": services.is_office_hours(timezone.now())},
        )
    return _see_other(log_id)


def _own_log(request: HttpRequest, log_id: int) -> AskLog:
    """A question this browser asked (the session's conversation), else 403."""
    if log_id not in request.session.get(_ASKED, []):
        raise PermissionDenied("只能操作您自己的提问。")
    return get_object_or_404(AskLog, pk=log_id)


def ask(request: HttpRequest) -> HttpResponse:
    """The 7×24 assistant: the conversation so far, and a question in.

    A question is posted, then the page redirects to itself (POST/redirect/GET), so a refresh
    shows the conversation again instead of asking again; htmx appends just the new exchange.
    """
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user if request.user.is_authenticated else None
        ids = _conversation_ids(request)
        earlier = _conversation_logs(request, ids) if user is not None else []
        try:
            result = services.assistant_ask(
                question=form.cleaned_data["question"],
                user=user,
                transcript=services.transcript_of(earlier),
                handoff_when_unsure=False,
            )
        except ValidationError as exc:
            form.add_error("question", exc.messages)
        else:
            request.session[_ASKED] = [*ids, result.log.pk][-CONVERSATION_LENGTH:]
            return _exchange_response(request, result.log.pk)
    exchanges = selectors.conversation(log_ids=_conversation_ids(request), user=request.user)
    context = {
        "form": AskForm() if request.method == "GET" else form,
        "exchanges": exchanges,
        "hot": [] if exchanges else selectors.hot_questions(),
        "categories": [] if exchanges else selectors.faq_categories(),
        "office_hours": services.is_office_hours(timezone.now()),
    }
    if request.htmx and request.method == "POST":  # type: ignore[attr-defined]
        # An invalid question: the form with its error replaces the form, not a new exchange.
        response = render(request, "assistant/_ask_form.html", context)
        response["HX-Retarget"] = "#assistant-form"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "assistant/ask.html", context)


@require_POST
def choose(request: HttpRequest, log_id: int) -> HttpResponse:
    """One of the "您是不是想问" questions chosen: answer it and record the choice."""
    log = _own_log(request, log_id)
    try:
        services.assistant_choose(log=log, faq_id=int(request.POST.get("faq", "0") or 0))
    except (ValidationError, ValueError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", ["请从推荐的问题中选择。"])))
    return _exchange_response(request, log.pk)


@require_POST
def handoff(request: HttpRequest, log_id: int) -> HttpResponse:
    """转人工 from an exchange: the person gets the whole conversation so far."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('accounts:login')}?next={reverse('assistant:ask')}")
    log = _own_log(request, log_id)
    logs = _conversation_logs(request, _conversation_ids(request))
    consultation = services.assistant_handoff(log=log, user=request.user, logs=logs)
    url = reverse("assistant:consultation", args=[consultation.pk])
    if request.htmx:  # type: ignore[attr-defined]
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@require_POST
def vote(request: HttpRequest, log_id: int) -> HttpResponse:
    """有用/没用 on an answer this browser received, once; 没用 offers 转人工 at once."""
    if log_id not in request.session.get(_ASKED, []) or log_id in request.session.get(_VOTED, []):
        raise PermissionDenied("只能对您收到的回答评价一次。")
    log = get_object_or_404(AskLog.objects.select_related("faq", "chosen_faq"), pk=log_id)
    faq = log.chosen_faq or (log.faq if log.is_answered else None)
    if faq is None:
        raise PermissionDenied("只能对您收到的回答评价一次。")
    helpful = request.POST.get("helpful") == "1"
    services.faq_vote(faq=faq, helpful=helpful)
    if not helpful:
        AskLog.objects.filter(pk=log.pk).update(is_unhelpful=True)
    request.session[_VOTED] = [*request.session.get(_VOTED, [])[-50:], log_id]
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "assistant/_voted.html", {"log": log, "helpful": helpful})
    messages.success(
        request, "感谢您的评价。" if helpful else "感谢您的评价，可以转人工客服继续咨询。"
    )
    return _see_other(log.pk)


@login_required
def consultations(request: HttpRequest) -> HttpResponse:
    """Staff: the queue of every hand-off; an enterprise: its own conversations."""
    user: Any = request.user
    status = request.GET.get("status", "")
    if not (user.is_platform_staff or user.enterprise_id):
        raise PermissionDenied("您无权访问此页面。")
    items = selectors.consultation_list(user=user, status=status)[:200]
    return render(
        request,
        "assistant/consultations.html",
        {
            "items": items,
            "counts": selectors.consultation_counts(user=user),
            "status": status,
            "statuses": ConsultationStatus.choices,
            "is_staff": user.is_platform_staff,
        },
    )


def _conversation_context(request: HttpRequest, consultation: Consultation) -> dict[str, Any]:
    user: Any = request.user
    return {
        "consultation": consultation,
        "chat": consultation.messages.select_related("author"),
        "is_staff": user.is_platform_staff,
        "office_hours": services.is_office_hours(timezone.now()),
    }


@login_required
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-to-one conversation; its messages refresh every 5 s on both sides."""
    item = get_for_user_or_404(
        Consultation.objects.select_related("enterprise", "user"), request.user, pk=pk
    )
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_post(
                consultation=item, author=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            form.add_error("text", exc.messages)
        else:
            return redirect("assistant:consultation", pk=item.pk)
    return render(
        request,
        "assistant/consultation.html",
        {**_conversation_context(request, item), "form": form},
    )


@login_required
def consultation_messages(request: HttpRequest, pk: int) -> HttpResponse:
    """The messages partial polled by htmx."""
    item = get_for_user_or_404(Consultation.objects.all(), request.user, pk=pk)
    return render(request, "assistant/_messages.html", _conversation_context(request, item))


@login_required
@require_POST
def consultation_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_for_user_or_404(Consultation.objects.all(), request.user, pk=pk)
    services.consultation_close(consultation=item, actor=request.user)
    messages.success(request, "咨询已关闭。")
    return redirect("assistant:consultation", pk=item.pk)


@login_required
def faq_manage(request: HttpRequest) -> HttpResponse:
    """Staff: every entry with its answer and hand-off counts and votes; drafts to review."""
    _require_staff(request.user)
    entries = list(selectors.faq_stats())
    total = AskLog.objects.count()
    answered = AskLog.objects.filter(is_answered=True).count()
    return render(
        request,
        "assistant/faq_manage.html",
        {
            "entries": entries,
            "total": total,
            "answer_rate": round(100 * answered / total) if total else None,
            "handoff_rate": round(100 * (total - answered) / total) if total else None,
            "proposals": selectors.proposals_pending()[:100],
        },
    )


@login_required
def faq_new(request: HttpRequest) -> HttpResponse:
    """Staff: a draft entry, optionally from a staff answer in a conversation (系统建模入库)."""
    _require_staff(request.user)
    source = None
    initial: dict[str, str] = {}
    if (
        request.GET.get("consultation", "").isdigit()
        or request.POST.get("consultation", "").isdigit()
    ):
        pk = int(request.GET.get("consultation") or request.POST["consultation"])
        source = get_for_user_or_404(Consultation.objects.all(), request.user, pk=pk)
        reply = source.messages.filter(is_staff_reply=True).order_by("-at").first()
        initial = {"question": source.question[:200], "answer": reply.text if reply else ""}
    form = FaqForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.faq_create(
                question=form.cleaned_data["question"],
                answer=form.cleaned_data["answer"],
                category=form.cleaned_data["category"],
                similar_questions=form.similar_list(),
                link=form.cleaned_data["link"],
                author=request.user,
                source_consultation=source,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存为待审核条目，由另一位工作人员审核后上线。")
            return redirect("assistant:faq_manage")
    return render(request, "assistant/faq_new.html", {"form": form, "source": source})


@login_required
@require_POST
def faq_approve(request: HttpRequest, pk: int) -> HttpResponse:
    _require_staff(request.user)
    faq = get_object_or_404(Faq, pk=pk)
    try:
        services.faq_approve(faq=faq, reviewer=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, "条目已审核上线。")
    return redirect("assistant:faq_manage")


@login_required
@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: a user's wording joins the entry's similar questions, or is declined."""
    _require_staff(request.user)
    proposal = get_object_or_404(SimilarQuestionProposal, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.proposal_decide(proposal=proposal, reviewer=request.user, approve=approve)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已加入相似问法，立即生效。" if approve else "已忽略该建议。")
    return redirect("assistant:faq_manage")
