from django.urls import path

from qifu.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("workbench/", views.workbench_view, name="workbench"),
    path("elder/", views.toggle_elder, name="toggle_elder"),
]
