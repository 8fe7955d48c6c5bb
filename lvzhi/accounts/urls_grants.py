from django.urls import path

from . import views_grants

urlpatterns = [
    path("", views_grants.data_access, name="data_access"),
    path("<int:grant_id>/decide/", views_grants.decide, name="data_access_decide"),
]
