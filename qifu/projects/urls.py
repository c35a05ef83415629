from django.urls import path

from qifu.projects import picker, views

app_name = "projects"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("department/", views.department_items, name="department_items"),
    path("enterprises/", picker.enterprise_options, name="enterprise_options"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/items/<int:item_pk>/", views.item, name="item"),
    path("<int:pk>/items/<int:item_pk>/<slug:action>/", views.item_act, name="item_act"),
    path("<int:pk>/note/", views.note, name="note"),
    path("<int:pk>/upload/", views.upload, name="upload"),
    path("<int:pk>/steward/", views.steward, name="steward"),
    path("<int:pk>/documents/<int:document_pk>/", views.document, name="document"),
]
