"""我要咨询 pages: ask, the hand-off conversation, the staff queue and the knowledge base."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from qifu.accounts.access import get_for_user_or_404
from qifu.assistant import selectors, services
from qifu.assistant.forms import AskForm, FaqForm, MessageForm
from qifu.assistant.models import AskLog, Consultation, ConsultationStatus, Faq

# Question logs this browser asked in, so only the asker votes, and once.
_ASKED = "assistant_asked"
_VOTED = "assistant_voted"


def _require_staff(user: Any) -> None:
    if not user.is_platform_staff:
        raise PermissionDenied("仅限平台工作人员使用。")


def ask(request: HttpRequest) -> HttpResponse:
    """The 7×24 assistant: a question in, an answer with votes or a hand-off out."""
    form = AskForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        user = request.user if request.user.is_authenticated else None
        try:
            result = services.assistant_ask(question=form.cleaned_data["question"], user=user)
        except ValidationError as exc:
            form.add_error("question", exc.messages)
        else:
            asked = request.session.get(_ASKED, [])[-50:]
            request.session[_ASKED] = [*asked, result.log.pk]
            form = AskForm()
    context = {
        "form": form,
        "result": result,
        "office_hours": services.is_office_hours(timezone.now()),
    }
    if request.htmx and request.method == "POST":  # type: ignore[attr-defined]
        return render(request, "assistant/_exchange.html", context)
    return render(request, "assistant/ask.html", context)


@require_POST
def vote(request: HttpRequest, log_id: int) -> HttpResponse:
    """有用/没用 on an answer this browser received; a second vote is ignored."""
    if log_id not in request.session.get(_ASKED, []) or log_id in request.session.get(_VOTED, []):
        raise PermissionDenied("只能对您收到的回答评价一次。")
    log = get_object_or_404(AskLog.objects.select_related("faq"), pk=log_id, is_answered=True)
    if log.faq is not None:
        services.faq_vote(faq=log.faq, helpful=request.POST.get("helpful") == "1")
    request.session[_VOTED] = [*request.session.get(_VOTED, [])[-50:], log_id]
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponse('<p class="text-secondary mb-0">感谢您的评价。</p>')
    messages.success(request, "感谢您的评价。")
    return redirect("assistant:ask")


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
                author=request.user,
                source_consultation=source,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
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
