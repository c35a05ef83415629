from django.urls import path

from qifu.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.board_view, name="board"),
    path("<int:pk>/<slug:step>/", views.step_view, name="step"),
]
