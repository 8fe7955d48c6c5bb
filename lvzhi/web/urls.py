from django.urls import path

from . import pwa, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("todo/", views.todo_page, name="todo"),
    path("search/", views.search, name="search"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("app/draft-key", pwa.key, name="draft_key"),
    path("scan/", pwa.scan, name="scan"),
    path("favicon.ico", pwa.favicon),
]
