from django.urls import path

from qifu.providers import views

app_name = "providers"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("register/", views.register, name="register"),
    path("mine/", views.mine, name="mine"),
    path("mine/members/", views.member_add, name="member_add"),
    path("mine/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("mine/resubmit/", views.resubmit, name="resubmit"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("review/", views.review_list, name="review"),
    path("review/<int:pk>/", views.review_detail, name="review_detail"),
    path(
        "review/<int:pk>/<str:action>/",
        views.review_act,
        name="review_act",
    ),
]
