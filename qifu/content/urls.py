from django.urls import path

from qifu.content import views

app_name = "content"

urlpatterns = [
    path("news/", views.news_list, name="news"),
    path("news/<int:pk>/", views.news_detail, name="news_detail"),
    path("manage/", views.manage_list, name="manage"),
    path("manage/new/", views.notice_new, name="new"),
    path("manage/<int:pk>/", views.notice_edit, name="edit"),
    path("manage/<int:pk>/<str:action>/", views.notice_action, name="action"),
    path("review/", views.review_queue, name="review"),
]
