"""The URL configuration of a request that came in under a site's own host name: the site's pages at the root, then
everything else of the platform (static files, feedback, the public pages of other modules)."""

from django.urls import include, path

urlpatterns = [
    path("", include("lvzhi.portal.urls_public", namespace="host_site")),
    path("", include("lvzhi.urls")),
]
handler404 = "lvzhi.web.views.not_found"
handler500 = "lvzhi.web.views.server_error"
