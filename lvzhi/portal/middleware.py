"""Choosing the site by the request's host name (S4-2.1.3): a host of the members' platform itself
(`LVZHI_PLATFORM_HOSTS`) serves the platform, where each site is reached under /site/<code>/; any other allowed host
is a site's own host name, served from the site's root, else the default site or 404
(`LVZHI_SITE_UNKNOWN_HOST`). Which host names are allowed at all is `ALLOWED_HOSTS` (settings: the platform's
hosts plus `LVZHI_SITE_HOSTS`)."""

from django.http import HttpResponseNotFound

from .selectors import platform_hosts, site_for_host

HOST_URLCONF = "lvzhi.portal.urls_host"


class SiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = request.get_host().rsplit(":", 1)[0].lower()
        if host not in platform_hosts():
            site = site_for_host(host)
            if site is None:
                return HttpResponseNotFound("<h1>404</h1>", content_type="text/html; charset=utf-8")
            site._base = "/"
            request.site = site
            request.urlconf = HOST_URLCONF
        return self.get_response(request)
