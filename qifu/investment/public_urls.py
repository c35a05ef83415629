"""The public promotion pages (招商推介): /invest/… in Chinese, /en/invest/… in English.

Mounted with i18n_patterns (no prefix for Chinese), so `{% url %}` on an English page gives the
English address; PromotionLanguageMiddleware picks the language from the address alone.
"""

from django.urls import path

from qifu.investment.views import public

app_name = "promotion"

urlpatterns = [
    path("", public.home, name="home"),
    path("chains/", public.chains, name="chains"),
    path("chains/<slug:code>/", public.chain_detail, name="chain"),
    path("parks/", public.parks, name="parks"),
    path("parks/<int:pk>/", public.park_detail, name="park"),
    path("assets/", public.assets, name="assets"),
    path("assets/<int:pk>/", public.asset_detail, name="asset"),
    path("projects/", public.cooperation, name="cooperation"),
    path("costs/", public.costs, name="costs"),
    path("policies/", public.policies, name="policies"),
    path("contacts/", public.contacts, name="contacts"),
    path("intent/", public.intent, name="intent"),
    path("intent/thanks/", public.intent_done, name="intent_done"),
    path("photos/<int:pk>/", public.photo, name="photo"),
]
