"""我要咨询 API, exactly as docs/api.md "Assistant"."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from qifu.accounts.services import api_token_authenticate
from qifu.assistant import services

router = Router(tags=["我要咨询"])


class AskIn(Schema):
    question: str = Field(..., max_length=500)


class SuggestionOut(Schema):
    faq_id: int
    question: str
    score: float


class SourceOut(Schema):
    kind: str
    title: str
    excerpt: str
    url: str


class AskOut(Schema):
    answered: bool
    answer: str
    faq_id: int | None
    score: float
    handoff: bool
    consultation_id: int | None
    # Additions: the matched entry's question and the phrasing that matched (explainability),
    # its link, "您是不是想问" when unsure, and the matter guides / policies the question named.
    question: str
    matched_phrasing: str
    link: str
    suggestions: list[SuggestionOut]
    sources: list[SourceOut]


def _optional_user(request: HttpRequest) -> Any:
    # Public endpoint: only a bearer token makes it a signed-in question. A browser session is
    # ignored here, because without CSRF checks another site could open consultations in the
    # user's name; the web page (with CSRF) serves signed-in browsers.
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return api_token_authenticate(header[7:].strip())
    return None


@router.post("/ask", response=AskOut, auth=None, summary="向7×24智能客服提问")
def ask(request: HttpRequest, payload: AskIn) -> dict[str, Any]:
    try:
        result = services.assistant_ask(question=payload.question, user=_optional_user(request))
    except ValidationError as exc:
        raise HttpError(422, "；".join(exc.messages)) from exc
    return {
        "answered": result.match.answered,
        "answer": result.match.answer if result.match.answered else "",
        "faq_id": result.match.faq_id if result.match.answered else None,
        "score": result.match.score,
        "handoff": result.handoff,
        "consultation_id": result.consultation.pk if result.consultation else None,
        "question": result.match.question if result.match.answered else "",
        "matched_phrasing": result.match.phrasing if result.match.answered else "",
        "link": result.match.link if result.match.answered else "",
        "suggestions": [c.__dict__ for c in result.match.suggestions],
        "sources": result.sources,
    }
