from django.urls import path

from . import views, views_export

app_name = "proposals"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.new, name="new"),
    path("units/", views.unit_queue, name="unit_queue"),
    path("office/", views.office, name="office"),
    path("office/export/", views_export.office_export, name="office_export"),
    path("office/stats/", views.stats, name="stats"),
    path("office/export.xlsx", views.export, name="export"),
    path("supervision/", views.supervision, name="supervision"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/do/<slug:action>/", views.item_action, name="item_action"),
    path("assignments/<int:pk>/<slug:action>/", views.unit_action, name="unit_action"),
    path("replies/<int:pk>/<slug:action>/", views.reply_action, name="reply_action"),
    path("requests/<int:pk>/decide/", views.decide, name="decide"),
]
