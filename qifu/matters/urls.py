from django.urls import path

from qifu.matters import views

app_name = "matters"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("mine/", views.mine, name="mine"),
    path("inbox/", views.inbox, name="inbox"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/<slug:action>/", views.act, name="act"),
    path("materials/<int:pk>/", views.material_download, name="material"),
    path("<slug:code>/", views.matter_detail, name="detail"),
    path("<slug:code>/apply/", views.apply, name="apply"),
]
