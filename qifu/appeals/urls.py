from django.urls import path

from qifu.appeals import views

app_name = "appeals"

urlpatterns = [
    path("", views.my_appeals, name="mine"),
    path("new/", views.new, name="new"),
    path("manage/", views.manage, name="manage"),
    path("inbox/", views.inbox, name="inbox"),
    path("record/", views.record, name="record"),
    path("record/enterprises/", views.enterprise_options, name="enterprise_options"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]
