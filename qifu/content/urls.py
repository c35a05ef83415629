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
    path("postings/", views.posting_list, name="postings"),
    path("postings/mine/", views.posting_mine, name="postings_mine"),
    path("postings/mine/new/<str:kind>/", views.posting_new, name="posting_new"),
    path("postings/review/", views.posting_review_queue, name="postings_review"),
    path("postings/<str:kind>/<int:pk>/", views.posting_detail, name="posting_detail"),
    path("postings/<str:kind>/<int:pk>/manage/", views.posting_manage, name="posting_manage"),
    path(
        "postings/<str:kind>/<int:pk>/manage/<str:action>/",
        views.posting_action,
        name="posting_action",
    ),
]
