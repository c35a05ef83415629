"""URLs of the exclusive space; each topic module keeps its own list."""

from qifu.workspace.views import home, licences, members, requests

app_name = "workspace"

urlpatterns = home.urlpatterns + members.urlpatterns + licences.urlpatterns + requests.urlpatterns
