from django.urls import path

from . import views_sso

app_name = "sso"
urlpatterns = [
    path("oidc/start/", views_sso.start, name="start"),
    path("oidc/callback/", views_sso.callback, name="callback"),
]
