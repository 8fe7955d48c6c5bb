from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("new/", views.give, name="give"),
    path("lookup/", views.lookup, name="lookup"),
    path("mine/", views.mine, name="mine"),
    path("office/", views.office, name="office"),
    path("office/export.xlsx", views.office_export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/steps/<slug:name>/", views.step, name="step"),
]
