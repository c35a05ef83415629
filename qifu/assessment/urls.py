from django.urls import path

from qifu.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.ranking_page, name="ranking"),
    path("methods/", views.methods, name="methods"),
    path("methods/new/", views.method_new, name="method_new"),
    path("methods/<int:version>/", views.method_detail, name="method_detail"),
    path("reports/", views.public_reports, name="reports"),
    path("reports/manage/", views.report_manage, name="report_manage"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/export.xlsx", views.report_xlsx, name="report_xlsx"),
    path("reports/<int:pk>/export.pdf", views.report_pdf, name="report_pdf"),
    path("<str:period>/publish/", views.period_publish, name="publish"),
    path("<str:period>/<slug:department>/", views.department_page, name="department"),
    path("<str:period>/<slug:department>/<slug:code>/", views.cases_page, name="cases"),
]
