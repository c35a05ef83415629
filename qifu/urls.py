from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from qifu.api.main import api
from qifu.integrations import open311
from qifu.portal.views import healthz

admin.site.site_header = settings.PLATFORM_NAME + " · 数据维护"
admin.site.site_title = settings.PLATFORM_NAME
admin.site.index_title = "数据维护"

urlpatterns = [
    path("", include("qifu.portal.urls")),
    path("accounts/", include("qifu.accounts.urls")),
    path("audit/", include("qifu.core.urls")),
    path("notifications/", include("qifu.notifications.urls")),
    path("workdays/", include("qifu.workdays.urls")),
    path("content/", include("qifu.content.urls")),
    path("appeals/", include("qifu.appeals.urls")),
    path("declarations/", include("qifu.declarations.urls")),
    path("reports/", include("qifu.reports.urls")),
    path("assessment/", include("qifu.assessment.urls")),
    path("matters/", include("qifu.matters.urls")),
    path("connectors/", include("qifu.connectors.urls")),
    path("policies/", include("qifu.policies.urls")),
    path("assistant/", include("qifu.assistant.urls")),
    path("workspace/", include("qifu.workspace.urls")),
    path("projects/", include("qifu.projects.urls")),
    path("investment/", include("qifu.investment.urls")),
    path("integrations/", include("qifu.integrations.urls")),
    path("messages/", include("qifu.board.urls")),
    path("supervision/", include("qifu.supervision.urls")),
    path("dashboards/", include("qifu.dashboards.urls")),
    path("providers/", include("qifu.providers.urls")),
    path("financing/", include("qifu.financing.urls")),
    path("market/", include("qifu.market.urls")),
    path("cooperation/", include("qifu.cooperation.urls")),
    path("open311/v2/", include((open311.urlpatterns, "open311"))),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # The public investment-promotion pages: /invest/ in Chinese, /en/invest/ in English.
    *i18n_patterns(
        path("invest/", include("qifu.investment.public_urls")), prefix_default_language=False
    ),
]

# Chinese error pages in the site's layout (JSON under /api/ and /open311/).
handler400 = "qifu.portal.errors.bad_request"
handler403 = "qifu.portal.errors.permission_denied"
handler404 = "qifu.portal.errors.page_not_found"
handler500 = "qifu.portal.errors.server_error"
