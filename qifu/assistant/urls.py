from django.urls import path

from qifu.assistant import views

app_name = "assistant"

urlpatterns = [
    path("", views.ask, name="ask"),
    path("vote/<int:log_id>/", views.vote, name="vote"),
    path("choose/<int:log_id>/", views.choose, name="choose"),
    path("handoff/<int:log_id>/", views.handoff, name="handoff"),
    path("consultations/", views.consultations, name="consultations"),
    path("consultations/<int:pk>/", views.consultation, name="consultation"),
    path("consultations/<int:pk>/messages/", views.consultation_messages, name="messages"),
    path("consultations/<int:pk>/close/", views.consultation_close, name="close"),
    path("faq/", views.faq_manage, name="faq_manage"),
    path("faq/new/", views.faq_new, name="faq_new"),
    path("faq/<int:pk>/approve/", views.faq_approve, name="faq_approve"),
    path("proposals/<int:pk>/", views.proposal_decide, name="proposal_decide"),
]
