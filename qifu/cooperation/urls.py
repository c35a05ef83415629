from django.urls import path

from qifu.cooperation import views

app_name = "cooperation"

urlpatterns = [
    path("", views.home, name="home"),
    path("resources/<int:pk>/", views.resource_detail, name="resource"),
    path("needs/<int:pk>/", views.need_detail, name="need"),
    path("propose/", views.propose, name="propose"),
    path("mine/", views.mine, name="mine"),
    path("resources/new/", views.resource_new, name="resource_new"),
    path("resources/<int:pk>/manage/", views.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/manage/<str:action>/", views.resource_action, name="resource_action"),
    path("needs/new/", views.need_new, name="need_new"),
    path("needs/<int:pk>/manage/", views.need_edit, name="need_edit"),
    path("needs/<int:pk>/manage/<str:action>/", views.need_action, name="need_action"),
    path("review/", views.review, name="review"),
    path("records/<int:pk>/", views.record, name="record"),
    path("records/<int:pk>/<str:action>/", views.record_action, name="record_action"),
    path("stats/", views.stats, name="stats"),
]
