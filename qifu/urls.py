from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from qifu.api.main import api
from qifu.portal.views import healthz

admin.site.site_header = settings.PLATFORM_NAME + " · 数据维护"
admin.site.site_title = settings.PLATFORM_NAME
admin.site.index_title = "数据维护"

urlpatterns = [
    path("", include("qifu.portal.urls")),
    path("accounts/", include("qifu.accounts.urls")),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
