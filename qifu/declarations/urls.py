from django.urls import path

from qifu.declarations import views

app_name = "declarations"

urlpatterns = [
    path("", views.call_list, name="calls"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:pk>/apply/", views.application_edit, name="apply"),
    path("mine/", views.my_applications, name="mine"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/submit/", views.application_submit, name="submit"),
    path(
        "applications/<int:pk>/<str:action>/",
        views.application_decide,
        name="decide",
    ),
    path("publicity/", views.publicity, name="publicity"),
    path("publicity/<int:pk>/object/", views.objection_new, name="object"),
    path("objections/<int:pk>/answer/", views.objection_reply, name="answer"),
    path("manage/", views.manage_calls, name="manage"),
    path("manage/new/", views.call_new, name="call_new"),
    path("manage/<int:pk>/", views.call_edit, name="call_edit"),
    path("manage/<int:pk>/publication/<str:action>/", views.call_action, name="call_action"),
    path("manage/<int:pk>/applications/", views.call_applications, name="applications"),
    path("manage/<int:pk>/publish-results/", views.results_publish, name="publish_results"),
]
