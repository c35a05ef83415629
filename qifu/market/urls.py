from django.urls import path

from qifu.market import views

app_name = "market"

urlpatterns = [
    path("", views.home, name="home"),
    path("offerings/<int:pk>/", views.offering_detail, name="offering"),
    path("offerings/<int:pk>/order/", views.offering_order, name="offering_order"),
    path("providers/", views.providers, name="providers"),
    path("providers/<int:pk>/", views.provider_detail, name="provider"),
    path("needs/new/", views.need_new, name="need_new"),
    path("orders/", views.orders, name="orders"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/<str:action>/", views.order_action, name="order_action"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.offering_new, name="offering_new"),
    path("manage/<int:pk>/", views.offering_edit, name="offering_edit"),
    path("manage/<int:pk>/<str:action>/", views.offering_action, name="offering_action"),
    path("review/", views.review, name="review"),
]
