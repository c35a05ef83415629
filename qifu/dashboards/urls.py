from django.urls import path

from qifu.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("mine/", views.mine_view, name="mine"),
    path("departments/<slug:code>/", views.department_view, name="department"),
    path("open-data/", views.open_data_page, name="open_data"),
    path("open-data/appeals.csv", views.open_data_csv, name="open_data_csv"),
    path("open-data/appeals.json", views.open_data_json, name="open_data_json"),
]
