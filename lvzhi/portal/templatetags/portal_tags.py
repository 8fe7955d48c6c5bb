from django import template

from lvzhi.portal import selectors

register = template.Library()


@register.inclusion_tag("public/_nav.html", takes_context=True)
def site_menu(context, site):
    """The site's menu (its body's public columns, then its townships'), for every page extending public/base.html:
    the portal's own views hand it over in the context, other modules' pages get it computed here."""
    if "nav" in context and "townships" in context:
        return {"site": site, "nav": context["nav"], "townships": context["townships"]}
    menu, townships = selectors.navigation(site, selectors.site_bodies(site)) if site else ([], [])
    return {"site": site, "nav": menu, "townships": townships}
