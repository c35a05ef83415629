from django.urls import path

from qifu.financing.views import manage, orders, public

app_name = "financing"

urlpatterns = [
    path("", public.home, name="home"),
    path("news/", public.news_list, name="news"),
    path("news/<int:pk>/", public.news_detail, name="news_detail"),
    path("products/", public.product_list, name="products"),
    path("products/<int:pk>/", public.product_detail, name="product_detail"),
    path("institutions/", public.institution_list, name="institutions"),
    path("funds/", public.fund_list, name="funds"),
    # needs: enterprises (and the staff who oversee them)
    path("needs/", orders.request_list, name="requests"),
    path("needs/new/", orders.request_new, name="request_new"),
    path("needs/<int:pk>/", orders.request_detail, name="request"),
    path("needs/orders/<int:pk>/<str:action>/", orders.request_order_act, name="request_act"),
    path("documents/<int:pk>/", orders.document_download, name="document"),
    # orders: institutions
    path("orders/", orders.order_list, name="orders"),
    path("orders/<int:pk>/", orders.order_detail, name="order"),
    path("orders/<int:pk>/<str:action>/", orders.order_act, name="order_act"),
    # products: institutions write, 工信局 reviews
    path("manage/products/", manage.my_products, name="my_products"),
    path("manage/products/new/", manage.product_new, name="product_new"),
    path("manage/products/<int:pk>/", manage.product_edit, name="product_edit"),
    path("manage/products/<int:pk>/<str:action>/", manage.product_action, name="product_action"),
    path("manage/news/", manage.manage_news, name="manage_news"),
    path("manage/news/new/", manage.news_new, name="news_new"),
    path("manage/news/<int:pk>/", manage.news_edit, name="news_edit"),
    path("manage/news/<int:pk>/<str:action>/", manage.news_action, name="news_action"),
    path("review/", manage.review_queue, name="review"),
    path("statistics/", manage.statistics, name="statistics"),
]
