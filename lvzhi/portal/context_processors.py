from django.utils.functional import SimpleLazyObject

from .selectors import default_site


def public_site(request):
    """`site` for pages of other modules that extend public/base.html (the deputies' pages, the public's messages):
    the site the request's host chose, else the default site. Lazy: pages that never show it cost no query."""

    def site():
        chosen = getattr(request, "site", None)
        if chosen is not None:
            return chosen
        return default_site()

    return {"site": SimpleLazyObject(site)}
