from django.urls import path

from qifu.policies import views

app_name = "policies"

urlpatterns = [
    path("", views.library, name="library"),
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
    path("manage/<int:pk>/<str:action>/", views.action, name="action"),
    path("review/", views.review_queue, name="review"),
    path("p/<str:code>/", views.detail, name="detail"),
]
