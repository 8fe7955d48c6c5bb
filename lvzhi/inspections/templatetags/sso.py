"""`{% load sso %}{% sso_button next %}`: the provincial sign-in button, shown only when single sign-on is
configured (S1-4.2)."""

from django import template
from django.utils.translation import gettext as _

from lvzhi.inspections import oidc

register = template.Library()


@register.inclusion_tag("inspections/_sso_button.html")
def sso_button(next_url=""):
    cfg = oidc.config()
    label = (cfg.label if cfg else "") or _("Sign in with the provincial service app")
    return {"configured": cfg is not None, "label": label, "next": next_url}
