from django.urls import path

from qifu.reports import views

app_name = "reports"

urlpatterns = [
    path("reply-rates/", views.reply_rate_report, name="reply_rates"),
]
