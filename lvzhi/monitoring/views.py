"""Pages of 监测 (monitoring): the host unit's findings, the competent office's findings with filters, one finding
with its steps, recording by hand (harmful content, counterfeit accounts), the watched outlets with their item logs
(entry by hand, Excel import) and "crawl now". Thin: parse, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.core.pages import run_on_page
from lvzhi.core.params import query_int
from lvzhi.core.validation import safe_query
from lvzhi.newmedia import selectors as registry

from . import actions, forms, selectors, services
from . import permissions as perm
from .kinds import KINDS
from .models import Finding, Source
from .present import present


def _filters(request) -> dict:
    return {
        "status": safe_query(request.GET.get("status", "active"), max_length=20),
        "source": safe_query(request.GET.get("source", ""), max_length=20),
        "kind": safe_query(request.GET.get("kind", ""), max_length=40),
        "veto": safe_query(request.GET.get("veto", ""), max_length=1),
        "outlet": query_int(request.GET.get("outlet")),
        "q": safe_query(request.GET.get("q", ""), max_length=100),
    }


def _list_context(request, page, filters, office: bool) -> dict:
    return {
        "page": page,
        "items": [present(request.user, f) for f in page],
        "filters": filters,
        "office": office,
        "statuses": [("active", _("Open or fixed")), *Finding.Status.choices],
        "sources": Source.choices,
        "kinds": [(k.code, k.label) for k in KINDS.values()],
    }


@login_required
@require_GET
def mine(request):
    if not perm.is_monitor_user(request.user):
        raise NotFound()
    filters = _filters(request)
    page = selectors.my_findings(request.user, page=request.GET.get("page"), **filters)
    return render(request, "monitoring/list.html", _list_context(request, page, filters, office=False))


@login_required
@require_GET
def office(request):
    if not perm.is_office(request.user):
        raise NotFound()
    filters = _filters(request)
    page = selectors.office_findings(request.user, page=request.GET.get("page"), **filters)
    return render(request, "monitoring/list.html", _list_context(request, page, filters, office=True))


@login_required
@require_GET
def detail(request, pk):
    finding = selectors.access_finding(request.user, pk)
    context = {
        "item": present(request.user, finding, with_history=True, history=selectors.history(finding)),
        "steps": actions.available_actions(request.user, finding),
    }
    return render(request, "monitoring/detail.html", context)


@login_required
@require_POST
def step(request, pk, name):
    finding = selectors.access_finding(request.user, pk)
    actions.STEPS.perform_on_page(request, finding, name)
    return redirect("monitoring:detail", pk=finding.pk)


def _outlets(user):
    return list(registry.outlets(user).filter(status__in=("open", "changing", "closing")).order_by("name", "pk")[:500])


@login_required
@require_http_methods(["GET", "POST"])
def record(request):
    """Record by hand what was found on duty (S2-39), or a suspected counterfeit account."""
    if not perm.is_monitor_user(request.user):
        raise NotFound()
    outlets = _outlets(request.user)
    form = forms.RecordForm(request.POST or None, outlets=outlets, prefix="r")
    fake = forms.CounterfeitForm(request.POST or None, prefix="c")
    status = 200
    if request.method == "POST":
        chosen = form if request.POST.get("what") == "finding" else fake
        if chosen.is_valid():
            try:
                if chosen is form:
                    data = form.cleaned_data
                    finding = services.record_by_hand(
                        actor=request.user, outlet_id=data["outlet"], kind=data["kind"], summary=data["summary"],
                        url=data["url"], excerpt=data["excerpt"],
                    )  # fmt: skip
                else:
                    finding = services.report_counterfeit(actor=request.user, **fake.cleaned_data)
            except ApplicationError as exc:
                if exc.status == 404:
                    raise
                chosen.add_error(None, exc.message)
            else:
                messages.success(request, _("Recorded."))
                return redirect("monitoring:detail", pk=finding.pk)
        status = 400
        form = form if chosen is form else forms.RecordForm(outlets=outlets, prefix="r")
        fake = fake if chosen is fake else forms.CounterfeitForm(prefix="c")
    return render(request, "monitoring/record.html", {"form": form, "fake": fake}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def outlets(request):
    """The watched outlets; the office puts an outlet under monitoring."""
    if not perm.is_monitor_user(request.user):
        raise NotFound()
    office = perm.is_office(request.user)
    candidates = [o for o in _outlets(request.user) if perm.competent(request.user, o.competent_office)]
    form = forms.WatchForm(request.POST or None, outlets=candidates) if office else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise NotFound()
        if form.is_valid():
            data = form.cleaned_data
            outlet = next(o for o in candidates if o.pk == data["outlet"])
            try:
                services.watch_outlet(
                    actor=request.user, outlet=outlet, since=data["since"], crawl=data["crawl"],
                    start_url=data["start_url"], feed_urls=data["feed_urls"].splitlines(),
                    sitemap_url=data["sitemap_url"],
                )  # fmt: skip
            except ApplicationError as exc:
                if exc.status == 404:
                    raise
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Saved."))
                return redirect("monitoring:outlets")
        status = 400
    page = selectors.watches(request.user, page=request.GET.get("page"))
    return render(request, "monitoring/outlets.html", {"page": page, "form": form, "office": office}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def outlet(request, outlet_id):
    """One watched outlet: its item log, entry by hand and Excel import, its crawls."""
    watch = selectors.access_watch(request.user, outlet_id)
    item_form = forms.ItemForm(request.POST if request.POST.get("what") == "item" else None, prefix="i")
    import_form = forms.ImportForm(
        request.POST if request.POST.get("what") == "import" else None, request.FILES or None, prefix="x"
    )
    status = 200
    if request.method == "POST":
        chosen = import_form if request.POST.get("what") == "import" else item_form
        if chosen.is_valid():
            try:
                if chosen is item_form:
                    services.enter_item(actor=request.user, outlet=watch.outlet, **item_form.cleaned_data)
                    messages.success(request, _("Item logged."))
                else:
                    upload = import_form.cleaned_data["file"]
                    made = services.import_items(actor=request.user, outlet=watch.outlet, data=upload.read(2_100_000))
                    messages.success(request, _("%(n)d item(s) imported.") % {"n": made})
            except ApplicationError as exc:
                if exc.status == 404:
                    raise
                chosen.add_error(None, exc.message)
            else:
                return redirect("monitoring:outlet", outlet_id=watch.outlet_id)
        status = 400
    context = {
        "watch": watch,
        "page": selectors.items_of(watch, page=request.GET.get("page")),
        "runs": selectors.crawl_runs(watch),
        "item_form": item_form,
        "import_form": import_form,
        "may_crawl": perm.competent(request.user, watch.outlet.competent_office) and watch.crawl,
    }
    return render(request, "monitoring/outlet.html", context, status=status)


@login_required
@require_POST
def crawl_now(request, outlet_id):
    watch = selectors.access_watch(request.user, outlet_id)
    run_on_page(
        request, lambda: services.request_crawl(actor=request.user, watch=watch), _("The crawl starts within a minute.")
    )
    return redirect("monitoring:outlet", outlet_id=watch.outlet_id)
