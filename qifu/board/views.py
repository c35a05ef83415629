"""我要留言 pages: leave a message, see one's own, look one up as a visitor; staff handle them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.appeals.services import is_platform_staff
from qifu.board import selectors, services
from qifu.board.forms import (
    AnswerForm,
    ConvertForm,
    LookupForm,
    MessageForm,
    StatusFilterForm,
    VisitorMessageForm,
)
from qifu.board.models import Message, MessageStatus
from qifu.core.forms import apply_errors as _add_errors
from qifu.core.pages import page_rule

PAGE_SIZE = 20
# Messages a visitor proved to be theirs (by phone code) in this session.
SESSION_VISITOR_MESSAGES = "board.visitor_messages"


staff_required = page_rule(is_platform_staff, "仅限平台工作人员处理留言。")


def _remember_visitor_message(request: HttpRequest, message: Message) -> None:
    allowed = list(request.session.get(SESSION_VISITOR_MESSAGES, []))
    if message.pk not in allowed:
        allowed = [*allowed[-19:], message.pk]
    request.session[SESSION_VISITOR_MESSAGES] = allowed


# --- authors ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def message_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    as_enterprise = bool(user.is_authenticated and user.enterprise_id)
    form: MessageForm
    if as_enterprise:
        form = MessageForm(request.POST or None)
    elif request.method == "POST" and request.POST.get("action") == "send_code":
        form = VisitorMessageForm(request.POST, sending_code=True)
        if form.is_valid():
            try:
                services.message_code_send(phone=form.cleaned_data["phone"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "验证码已发送，10分钟内有效。")
                keep = {k: v for k, v in request.POST.items() if k in form.fields and k != "code"}
                form = VisitorMessageForm(initial=keep)
        return render(request, "board/new.html", {"form": form, "visitor": True})
    else:
        form = VisitorMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            message = services.message_leave(user=user if user.is_authenticated else None, **data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if not user.is_authenticated:
                _remember_visitor_message(request, message)
            messages.success(request, f"留言已提交，留言编号 {message.number}，请妥善保存。")
            return redirect("board:detail", pk=message.pk)
    return render(request, "board/new.html", {"form": form, "visitor": not as_enterprise})


@require_GET
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if pk in request.session.get(SESSION_VISITOR_MESSAGES, []):
        message = get_object_or_404(Message.objects.select_related("appeal", "category"), pk=pk)
    elif request.user.is_authenticated:
        message = selectors.message_get(user=request.user, pk=pk)
    else:
        return redirect_to_login(request.get_full_path())
    return render(request, "board/detail.html", {"message": message})


@login_required
@require_GET
def message_mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.message_mine(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "board/mine.html", {"page": page})


@require_http_methods(["GET", "POST"])
def message_lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "send_code":
                services.message_lookup_code_send(number=data["number"], phone=data["phone"])
                messages.success(request, "如留言编号与手机号一致，验证码已发送，10分钟内有效。")
            else:
                message = services.message_lookup(
                    number=data["number"], phone=data["phone"], code=data["code"]
                )
                _remember_visitor_message(request, message)
                return redirect("board:detail", pk=message.pk)
        except ValidationError as exc:
            _add_errors(form, exc)
    return render(request, "board/lookup.html", {"form": form})


# --- staff --------------------------------------------------------------------------------------


@staff_required
@require_GET
def manage_list(request: HttpRequest) -> HttpResponse:
    filters = StatusFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    page = Paginator(selectors.message_list(user=request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "board/manage_list.html",
        {
            "page": page,
            "filters": filters,
            "query": urlencode({"status": status}) if status else "",
        },
    )


def _manage_detail(request: HttpRequest, message: Message, **forms_: Any) -> HttpResponse:
    context = {
        "message": message,
        "answer_form": forms_.get("answer_form") or AnswerForm(),
    }
    return render(request, "board/manage_detail.html", context)


@staff_required
@require_GET
def manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _manage_detail(request, selectors.message_get(user=request.user, pk=pk))


@staff_required
@require_POST
def message_answer(request: HttpRequest, pk: int) -> HttpResponse:
    message = selectors.message_get(user=request.user, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.message_answer(
                message=message,
                user=request.user,  # type: ignore[arg-type]
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "已答复，留言人将收到通知。")
            return redirect("board:manage_detail", pk=message.pk)
    return _manage_detail(request, message, answer_form=form)


@staff_required
@require_http_methods(["GET", "POST"])
def message_convert(request: HttpRequest, pk: int) -> HttpResponse:
    message = selectors.message_get(user=request.user, pk=pk)
    if message.status == MessageStatus.CONVERTED:
        messages.info(request, "该留言已转为办件。")
        return redirect("board:manage_detail", pk=message.pk)
    initial = {
        "category": message.category_id,
        "enterprise": message.enterprise.credit_code if message.enterprise else message.credit_code,
        "title": message.title,
        "content": message.content,
    }
    form = ConvertForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = services.message_convert(
                message=message,
                user=request.user,  # type: ignore[arg-type]
                category=data["category"],
                enterprise=data["enterprise"],
                title=data["title"],
                content=data["content"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已生成诉求办件 {appeal.number}，进入研判派发。")
            return redirect("board:manage_detail", pk=message.pk)
    return render(request, "board/convert.html", {"message": message, "form": form})
