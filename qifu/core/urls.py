from django.urls import path

from qifu.core import views

app_name = "core"

urlpatterns = [
    path("", views.audit_log, name="audit"),
    path("reveal/<str:key>/<int:pk>/", views.pii_reveal, name="pii_reveal"),
]
