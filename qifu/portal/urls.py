from django.urls import path

from qifu.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("workbench/", views.workbench_view, name="workbench"),
    path("section/<slug:code>/", views.section, name="section"),
    path("search/", views.site_search, name="search"),
    path("progress/", views.progress_lookup, name="progress"),
    path("contact/", views.contact, name="contact"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("elder/", views.toggle_elder, name="toggle_elder"),
]
