from django.urls import path

from qifu.policies import views
from qifu.policies.extras import views as extras

app_name = "policies"

urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.new_notices, name="new_notices"),
    path("calculator/", views.calculator, name="calculator"),
    path("matches/", views.matches, name="matches"),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("subscriptions/add/", views.subscription_add, name="subscription_add"),
    path("subscriptions/<int:pk>/remove/", views.subscription_remove, name="subscription_remove"),
    path("mutes/add/", views.mute_add, name="mute_add"),
    path("mutes/<int:pk>/remove/", views.mute_remove, name="mute_remove"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.new, name="new"),
    path("manage/<int:pk>/", views.edit, name="edit"),
    path("manage/<int:pk>/auto-grant/", views.auto_grant, name="auto_grant"),
    path("manage/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        "manage/attachments/<int:pk>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("manage/<int:pk>/<str:action>/", views.action, name="action"),
    path("review/", views.review_queue, name="review"),
    path("p/<str:code>/", views.detail, name="detail"),
    path("interpretations/", extras.interpretations, name="interpretations"),
    path(
        "interpretations/<int:pk>/",
        extras.interpretation_detail,
        name="interpretation_detail",
    ),
    path(
        "interpretations/<int:pk>/image/",
        extras.interpretation_image,
        name="interpretation_image",
    ),
    path("topics/", extras.topics, name="topics"),
    path("topics/<int:pk>/", extras.topic_detail, name="topic_detail"),
    path("topics/<int:pk>/cover/", extras.topic_cover, name="topic_cover"),
    path("lectures/", extras.lectures, name="lectures"),
    path("lectures/<int:pk>/", extras.lecture_detail, name="lecture_detail"),
    path("lectures/<int:pk>/register/", extras.lecture_register, name="lecture_register"),
    path("lectures/<int:pk>/cancel/", extras.lecture_cancel, name="lecture_cancel"),
    path("manage/extra/<str:kind>/", extras.manage, name="extra_manage"),
    path("manage/extra/<str:kind>/new/", extras.new, name="extra_new"),
    path("manage/extra/<str:kind>/<int:pk>/", extras.edit, name="extra_edit"),
    path(
        "manage/extra/<str:kind>/<int:pk>/<str:action>/",
        extras.action,
        name="extra_action",
    ),
    path(
        "manage/lectures/<int:pk>/export/",
        extras.lecture_export,
        name="lecture_export",
    ),
    path("files/<int:pk>/", views.attachment_download, name="attachment_download"),
]
