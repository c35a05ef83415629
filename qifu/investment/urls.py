"""Staff pages of 智慧招商 under /investment/ (the public pages are in public_urls.py)."""

from django.urls import path

from qifu.investment.views import analysis, catalogue, leads

app_name = "investment"

urlpatterns = [
    # 招商资料库
    path("library/", catalogue.library, name="library"),
    path("library/review/", catalogue.review_queue, name="review"),
    path("library/import/<slug:kind>/", catalogue.import_view, name="import"),
    path("library/chains/<int:pk>/links/", catalogue.chain_links, name="chain_links"),
    path(
        "library/chains/<int:pk>/links/<int:link_pk>/delete/",
        catalogue.chain_link_remove,
        name="chain_link_delete",
    ),
    path(
        "library/chains/<int:pk>/links/<int:link_pk>/placement/",
        catalogue.chain_placement,
        name="chain_placement",
    ),
    path("library/<slug:kind>/", catalogue.item_list, name="items"),
    path("library/<slug:kind>/new/", catalogue.item_new, name="item_new"),
    path("library/<slug:kind>/<int:pk>/", catalogue.item_edit, name="item"),
    path("library/<slug:kind>/<int:pk>/files/", catalogue.file_add, name="file_add"),
    path("library/<slug:kind>/<int:pk>/files/<int:file_pk>/", catalogue.file_download, name="file"),
    path(
        "library/<slug:kind>/<int:pk>/files/<int:file_pk>/delete/",
        catalogue.file_delete,
        name="file_delete",
    ),
    path("library/<slug:kind>/<int:pk>/<str:action>/", catalogue.item_action, name="item_action"),
    # 招商项目管理
    path("projects/", leads.projects, name="projects"),
    path("projects/new/", leads.lead_new, name="lead_new"),
    path("projects/<int:pk>/", leads.lead_detail, name="lead"),
    path("projects/<int:pk>/edit/", leads.lead_edit, name="lead_edit"),
    path("projects/<int:pk>/advance/", leads.lead_advance, name="lead_advance"),
    path("projects/<int:pk>/terminate/", leads.lead_terminate, name="lead_terminate"),
    path("projects/<int:pk>/reopen/", leads.lead_reopen, name="lead_reopen"),
    path("projects/<int:pk>/contact/", leads.lead_contact, name="lead_contact"),
    path("projects/<int:pk>/assign/", leads.lead_assign, name="lead_assign"),
    path("projects/<int:pk>/plan/", leads.lead_plan, name="lead_plan"),
    path("projects/<int:pk>/members/", leads.lead_member, name="lead_member"),
    path("projects/<int:pk>/documents/", leads.lead_document, name="lead_document"),
    path(
        "projects/<int:pk>/documents/<int:document_pk>/",
        leads.lead_document_download,
        name="lead_document_download",
    ),
    path("projects/<int:pk>/tasks/", leads.lead_task, name="lead_task"),
    path("tasks/", leads.tasks, name="tasks"),
    path("tasks/<int:task_pk>/done/", leads.task_done, name="task_done"),
    path("visits/", leads.visits, name="visits"),
    path("visits/new/", leads.visit_edit, name="visit_new"),
    path("visits/<int:pk>/", leads.visit_detail, name="visit"),
    path("visits/<int:pk>/edit/", leads.visit_edit, name="visit_edit"),
    # 招商大数据分析
    path("analysis/", analysis.analysis_home, name="analysis"),
    path("analysis/key-enterprises/new/", analysis.key_enterprise_edit, name="key_enterprise_new"),
    path("analysis/key-enterprises/<int:pk>/", analysis.key_enterprise_edit, name="key_enterprise"),
    path(
        "analysis/key-enterprises/<int:pk>/lead/",
        analysis.key_enterprise_lead,
        name="key_enterprise_lead",
    ),
    path("analysis/gaps/", analysis.gaps, name="gaps"),
    # 招商决策支持
    path("decision/", analysis.decision, name="decision"),
    path("decision/map/", analysis.investment_map, name="map"),
    path("decision/national/", analysis.national_map, name="national"),
    path("decision/indicators/", analysis.indicators, name="indicators"),
    # 招商服务
    path("services/", analysis.services_home, name="services"),
    path("services/materials/<int:pk>/", analysis.material, name="material"),
]
