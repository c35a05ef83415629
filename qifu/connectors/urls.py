from django.urls import path

from qifu.connectors import views

app_name = "connectors"

urlpatterns = [
    path("", views.connector_manage, name="manage"),
    path("issued/", views.secret_issued, name="secret_issued"),
    path("mine/", views.mine, name="mine"),
    path("<slug:code>/rotate/", views.rotate, name="rotate"),
    path("<slug:code>/toggle/", views.toggle, name="toggle"),
    path("<slug:code>/enter/", views.enter, name="enter"),
    path("<slug:code>/webhook", views.webhook, name="webhook"),
]
