from django.urls import path

from qifu.integrations import views

app_name = "integrations"

urlpatterns = [
    path("keys/", views.key_list, name="keys"),
    path("keys/issued/", views.key_issued, name="key_issued"),
    path("keys/<int:pk>/revoke/", views.key_revoke, name="key_revoke"),
]
