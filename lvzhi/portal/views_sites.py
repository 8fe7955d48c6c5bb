"""The office's pages about the sites of the group: the list, each site's evaluation on the inspection indicators
(S4-2.1.3, S2-2: the competent office and the site's body office) and the site's settings (the body's office and
the system administrator). Thin: parse, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lvzhi.content.selectors import page_of
from lvzhi.core.errors import ApplicationError, NotFound

from . import evaluation, rules, selectors, services
from . import permissions as perm
from .forms import SiteForm
from .models import Site


@login_required
@require_GET
def sites(request):
    seen = evaluation.visible_sites(request.user).values("pk")
    edited = selectors.editable_sites(request.user).values("pk")
    qs = Site.objects.filter(Q(pk__in=seen) | Q(pk__in=edited)).select_related("body").order_by("body__path", "pk")
    page = page_of(qs, request.GET.get("page", 1), rules.PAGE_SIZE)
    if not page.items and str(request.GET.get("page", "1")) == "1":
        raise NotFound()
    offices = perm.office_body_ids(request.user)
    admin = perm.is_system_administrator(request.user)
    rows = [{"site": s, "edit": admin or s.body_id in offices} for s in page.items]
    return render(request, "portal/office/sites.html", {"page": page, "rows": rows, "admin": admin})


@login_required
@require_GET
def site_evaluation(request, pk):
    site = evaluation.access_site(request.user, pk)
    context = {
        "site": site,
        "e": evaluation.evaluate(site),
        "may_edit": perm.may_edit_site(request.user, site),
        "may_register": evaluation.may_register(request.user, site),
    }
    return render(request, "portal/office/site.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def site_edit(request, pk):
    site = selectors.access_editable_site(request.user, pk)
    columns = selectors.site_columns(site)
    form = SiteForm(request.POST or None, columns=columns, initial=SiteForm.initial_for(site, columns))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_site(actor=request.user, site=site, **form.values())
        except ApplicationError as error:
            if error.status == 404:
                raise
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("portal:office_site_edit", pk=site.pk)
    return render(
        request, "portal/office/site_edit.html", {"site": site, "form": form}, status=400 if form.errors else 200
    )
