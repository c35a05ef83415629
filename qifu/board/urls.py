from django.urls import path

from qifu.board import views

app_name = "board"

urlpatterns = [
    path("", views.message_new, name="new"),
    path("mine/", views.message_mine, name="mine"),
    path("lookup/", views.message_lookup, name="lookup"),
    path("<int:pk>/", views.message_detail, name="detail"),
    path("manage/", views.manage_list, name="manage"),
    path("manage/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("manage/<int:pk>/answer/", views.message_answer, name="answer"),
    path("manage/<int:pk>/convert/", views.message_convert, name="convert"),
]
