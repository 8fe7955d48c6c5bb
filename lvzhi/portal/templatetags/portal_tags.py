from django import template

from lvzhi.portal import selectors

register = template.Library()


@register.inclusion_tag("public/_nav.html")
def site_menu(site):
    """The site's menu (its body's public columns, then its townships'), for every page extending public/base.html."""
    menu, townships = selectors.navigation(site, selectors.site_bodies(site)) if site else ([], [])
    return {"site": site, "nav": menu, "townships": townships}
