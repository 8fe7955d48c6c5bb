from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("office/", views.office, name="office"),
    path("record/", views.record, name="record"),
    path("outlets/", views.outlets, name="outlets"),
    path("outlets/<int:outlet_id>/", views.outlet, name="outlet"),
    path("outlets/<int:outlet_id>/crawl/", views.crawl_now, name="crawl"),
    path("findings/<int:pk>/", views.detail, name="detail"),
    path("findings/<int:pk>/steps/<slug:name>/", views.step, name="step"),
]
