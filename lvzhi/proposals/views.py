"""Pages of bills, suggestions and proposals: the proposer's items, drafting, the item page with every step, the
handling units' queue, the office's flow and statistics, the leaders' supervision queue, the annual report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.core import cache
from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.core.paging import KeptPage, kept_page

from . import actions, exports, form_page, forms, present, selectors, services, similar, statistics
from . import permissions as perm
from .models import Kind, Proposal, Reply
from .rules import rule
from .services.replies import reply_waits_for_co_units

PAGE_SIZE = 20


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _areas(user) -> dict:
    """Which parts of the module the user uses (for the navigation)."""
    return {
        "proposer": bool(perm.bodies_of(user)),
        "office": bool(selectors.offices_of(user)),
        "unit": bool(selectors.handling_units_of(user)),
        "leader": bool(selectors.led_bodies(user)),
    }


def _guard(user):
    if not perm._authed(user):
        raise NotFound()


# ---- the proposer ------------------------------------------------------------------------------------------

MINE_SCOPES = ("all", "mine", "cosigned")


@login_required
@require_GET
def home(request):
    user = request.user
    _guard(user)
    scope = request.GET.get("scope", "all")
    if scope not in MINE_SCOPES:
        scope = "all"
    number = str(request.GET.get("page") or "1")[:12]

    def compute():  # what waits on the user and a page of their items: changed only by audited services
        page = _page(request, selectors.my_items(user, scope=scope))
        return {"due": selectors.due_from(user), "page": KeptPage.of(page)}

    variant = ("proposals.home", user.pk, scope, number, get_language())
    kept = cache.cached(cache.WRITES_KEY, compute, timeout=600, variant=variant)
    context = {"areas": _areas(user), **kept, "scope": scope, "now": timezone.now(), "nav": "home"}
    return render(request, "proposals/home.html", context)


def _draft_form_context(user, form, proposal=None, kind=""):
    context = {"form": form, "proposal": proposal, "areas": _areas(user), "nav": "home"}
    return context | form_page.context(form, proposal=proposal, kind=kind)


def _save_draft(request, form, proposal=None):
    data = form.cleaned_data
    common = {
        "title": data["title"],
        "content": data["content"],
        "category": data.get("category", ""),
        "keywords": data.get("keywords", ""),
        "disclosure_consent": data.get("disclosure_consent", False),
        "by_delegation": data.get("delegation"),
        "kind": data["kind"],
    }
    if proposal is None:
        return services.create_draft(actor=request.user, body=data["body"], **common)
    return services.update_draft(actor=request.user, proposal=proposal, **common)


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    user = request.user
    bodies = perm.bodies_of(user)
    if not bodies:
        raise NotFound()
    kind = request.GET.get("kind", "")[:20]
    form = forms.DraftForm(request.POST or None, bodies=bodies, initial={"kind": kind} if kind else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                proposal = _save_draft(request, form)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Draft saved. Invite co-signers if you wish, then submit it."))
                return redirect("proposals:detail", pk=proposal.pk)
    return render(request, "proposals/form.html", _draft_form_context(user, form, kind=kind), status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    proposal = selectors.access_proposal(request.user, pk)
    if not perm.may_edit(request.user, proposal):
        raise NotFound()
    initial = {
        "body": proposal.body_id,
        "kind": proposal.kind,
        "title": proposal.title,
        "content": proposal.content,
        "category": proposal.category,
        "keywords": " ".join(proposal.keyword_list),
        "delegation": proposal.by_delegation_id,
        "disclosure_consent": proposal.disclosure_consent,
    }
    form = forms.DraftForm(request.POST or None, initial=initial, bodies=[proposal.body], body=proposal.body)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                _save_draft(request, form, proposal)
            except ApplicationError as exc:
                if exc.status == 404:
                    raise
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("proposals:detail", pk=proposal.pk)
    return render(request, "proposals/form.html", _draft_form_context(request.user, form, proposal), status=status)


# ---- the item page -----------------------------------------------------------------------------------------

ITEM_FORMS = {s.name: s.form for s in actions.ITEM_STEPS if s.form and s.run}
UNIT_FORMS = {s.name: s.form for s in actions.UNIT_STEPS if s.form}


def _unit_work(assignments, available, bound, reply, data):
    """The assignments where the user has steps, each with the forms of those steps (and, for the reply, what it
    still needs before it can be sent)."""
    units = []
    for a in assignments:
        a.steps = available["units"].get(a.pk, set())
        a.forms = {
            name: bound.get(f"{name}:{a.pk}") or _initial_unit_form(name, form_class, a, reply)
            for name, form_class in UNIT_FORMS.items()
            if name in a.steps
        }
        a.errors = bound.get(f"errors:{a.pk}")
        if "reply" in a.forms:
            a.reply_needs = _reply_needs(a, reply, data)
        if a.steps:
            units.append(a)
    return units


def _reply_needs(assignment, reply, data) -> list[str]:
    """What the lead unit's reply still needs before it can be sent (shown instead of a failing button)."""
    needs = []
    if reply is None:
        needs.append(_("Save the reply letter."))
    elif reply.status != "signed":
        needs.append(_("The head of the unit signs the reply letter off."))
    contacts = getattr(assignment, "contact_list", None)
    if contacts is None:
        contacts = list(assignment.contacts.all())
    if rule(assignment.proposal.body, "proposals.contact_before_reply") and not contacts:
        needs.append(_("Record the contact with the proposer."))
    waiting = reply_waits_for_co_units(assignment)
    if waiting:
        needs.append(_("Opinions of the co-handling units: %(units)s.") % {"units": "、".join(waiting)})
    return needs


def _detail(request, proposal, *, bound=None, status=200):
    user = request.user
    bound = bound or {}
    data = selectors.detail_data(proposal)
    available = actions.available(user, proposal, data)
    item_forms = {
        name: bound.get(name) or _initial_item_form(name, form_class, proposal)
        for name, form_class in ITEM_FORMS.items()
        if name in available["item"]
    }
    current_reply = actions.context(user, proposal, data).current_reply
    units = _unit_work(data["assignments"], available, bound, current_reply, data)
    for r in data["requests"]:
        r.form = bound.get(f"decide:{r.pk}") or forms.DecideForm(prefix=f"r{r.pk}")
        r.decidable = r.pk in available["requests"]
    _share_unit_choices(
        [item_forms.get("assign")]
        + [a.forms.get("transfer") for a in units]
        + [r.form for r in data["requests"] if r.decidable]
    )
    see_internal = present.sees_internal(user, data, available)
    context = {
        "p": proposal,
        "data": data,
        "actions": available,
        "item_forms": item_forms,
        "unit_work": units,
        "current_reply": current_reply,
        "see_internal": see_internal,
        "is_proposer": perm.is_proposer(user, proposal),
        "cosigner_status": perm.cosigner_status(user, proposal),
        "similar": similar.similar_items(proposal) if "merge" in available["item"] else [],
        "similar_threshold": round(similar.THRESHOLD * 100),
        "signers_needed": rule(proposal.body, "proposals.bill_min_signers") if proposal.kind == Kind.BILL else 0,
        "signers": 1 + sum(1 for c in data["cosigners"] if c.status == "confirmed"),
        "now": timezone.now(),
        "error": bound.get("error"),
        "areas": _areas(user),
    }
    return render(request, "proposals/detail.html", context, status=status)


UNIT_FIELDS = ("lead_unit", "co_units", "suggested_unit", "new_unit")


def _share_unit_choices(page_forms):
    """The handling-unit lists of every form on the page, read once (not once per form)."""
    choices = None
    for form in page_forms:
        for name in UNIT_FIELDS if form is not None else ():
            field = form.fields.get(name)
            if field is None:
                continue
            if choices is None:
                choices = [(u.pk, u.name) for u in field.queryset]
            field.choices = choices if name == "co_units" else [("", "---------"), *choices]


def _initial_item_form(name, form_class, proposal):
    if name == "supervise":
        return form_class(initial={"on": not proposal.key_supervision, "note": proposal.supervision_note})
    if name == "publish":
        return form_class(initial={"public": not proposal.is_public})
    return form_class()


def _initial_unit_form(name, form_class, assignment, reply):
    prefix = f"a{assignment.pk}"
    if name == "reply" and reply is not None and reply.status != Reply.Status.SENT:
        return form_class(prefix=prefix, initial={"content": reply.content, "classification": reply.classification})
    if name == "contact":
        return form_class(prefix=prefix, initial={"contacted_on": timezone.localdate()})
    return form_class(prefix=prefix)


@login_required
@require_GET
def detail(request, pk):
    return _detail(request, selectors.access_proposal(request.user, pk))


def _int_post(request, name):
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise NotFound()


# The item's steps posted as a bare button: the step and its inputs.
BUTTONS = {
    "submit": ("submit", lambda request: {}),
    "cosign_confirm": ("cosign", lambda request: {"confirm": True}),
    "cosign_decline": ("cosign", lambda request: {"confirm": False}),
    "uninvite": ("uninvite", lambda request: {"user_id": _int_post(request, "user")}),
}


def _run(request, on, obj, name, data) -> ApplicationError | None:
    """Run a step and show its message; None on success, else the error that refused it (404s go up)."""
    try:
        _result, message = actions.perform(actor=request.user, obj=obj, on=on, name=name, data=data)
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        return exc
    messages.success(request, message)
    return None


@login_required
@require_POST
def item_action(request, pk, action):
    user = request.user
    proposal = selectors.access_proposal(user, pk)
    if action in BUTTONS:
        name, inputs = BUTTONS[action]
        error = _run(request, actions.ITEM, proposal, name, inputs(request))
        if error is not None:
            proposal = selectors.access_proposal(user, pk)
            return _detail(request, proposal, bound={"error": error.message}, status=400)
        return redirect("proposals:detail", pk=proposal.pk)
    form_class = ITEM_FORMS.get(action)
    if form_class is None:
        raise NotFound()
    form = form_class(request.POST)
    if form.is_valid():
        error = _run(request, actions.ITEM, proposal, action, form.cleaned_data)
        if error is None:
            return redirect("proposals:detail", pk=proposal.pk)
        form.add_error(None, error.message)
    return _detail(request, selectors.access_proposal(user, pk), bound={action: form}, status=400)


# ---- a unit's steps ----------------------------------------------------------------------------------------


@login_required
@require_POST
def unit_action(request, pk, action):
    user = request.user
    assignment = selectors.access_assignment(user, pk)
    form_class = UNIT_FORMS.get(action)
    if form_class is None:
        raise NotFound()
    form = form_class(request.POST, prefix=f"a{assignment.pk}")
    if form.is_valid():
        error = _run(request, actions.UNIT, assignment, action, form.cleaned_data)
        if error is None:
            return redirect("proposals:detail", pk=assignment.proposal_id)
        form.add_error(None, error.message)
    proposal = selectors.access_proposal(user, assignment.proposal_id)
    return _detail(request, proposal, bound={f"{action}:{assignment.pk}": form}, status=400)


@login_required
@require_POST
def reply_action(request, pk, action):
    user = request.user
    reply = selectors.access_reply(user, pk)
    actions.get_step(actions.REPLY, action)
    error = _run(request, actions.REPLY, reply, action, {})
    if error is not None:
        proposal = selectors.access_proposal(user, reply.proposal_id)
        return _detail(request, proposal, bound={f"errors:{reply.assignment_id}": error.message}, status=400)
    return redirect("proposals:detail", pk=reply.proposal_id)


@login_required
@require_POST
def decide(request, pk):
    user = request.user
    unit_request = selectors.access_request(user, pk)
    form = forms.DecideForm(request.POST, prefix=f"r{unit_request.pk}")
    if form.is_valid():
        error = _run(request, actions.REQUEST, unit_request, "decide", form.cleaned_data)
        if error is None:
            return redirect("proposals:detail", pk=unit_request.proposal_id)
        form.add_error(None, error.message)
    proposal = selectors.access_proposal(user, unit_request.proposal_id)
    return _detail(request, proposal, bound={f"decide:{unit_request.pk}": form}, status=400)


# ---- queues ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def unit_queue(request):
    user = request.user
    units = selectors.handling_units_of(user)
    if not units:
        raise NotFound()
    state = request.GET.get("state", "open")
    if state not in (*selectors.UNIT_STATES, "requests"):
        state = "open"
    now = timezone.now()
    if state == "requests":
        page = kept_page(request, "proposals.unit_requests", lambda: selectors.unit_requests(user), PAGE_SIZE)
    else:
        query = lambda: selectors.unit_queue(user, state=state)  # noqa: E731
        page = kept_page(request, "proposals.unit_queue", query, PAGE_SIZE, variant=(state,))
    context = {
        "page": page,
        "state": state,
        "units": units,
        "now": now,
        "soon": selectors.due_soon_limit(None, now),
        "areas": _areas(user),
        "nav": "unit",
    }
    return render(request, "proposals/unit_queue.html", context)


@login_required
@require_GET
def office(request):
    user = request.user
    offices = selectors.offices_of(user)
    if not offices:
        raise NotFound()
    state = request.GET.get("state", "review")
    if state not in (*selectors.OFFICE_STATES, "requests", "overdue"):
        state = "review"
    kind = request.GET.get("kind", "")
    q = " ".join(request.GET.get("q", "").split())[:50]
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 1990 <= int(year) <= 2200 else None
    if state == "requests":
        page = kept_page(request, "proposals.office_requests", lambda: selectors.office_requests(user), PAGE_SIZE)
    elif state == "overdue":  # follows the clock: not kept
        page = _page(request, selectors.office_overdue(user))
    else:
        valid = kind if kind in Kind.values else ""
        query = lambda: selectors.office_flow(user, state=state, kind=valid, year=year, q=q)  # noqa: E731
        page = kept_page(request, "proposals.office", query, PAGE_SIZE, variant=(state, valid, year, q))
    filters = f"state={state}&kind={kind}&year={year or ''}&q={q}"
    context = {
        "page": page,
        "state": state,
        "kind": kind,
        "year": year,
        "q": q,
        "filters": filters,
        "kinds": Kind.choices,
        "now": timezone.now(),
        "areas": _areas(user),
        "nav": "office",
    }
    return render(request, "proposals/office.html", context)


def _stats_params(request):
    user = request.user
    offices = selectors.offices_of(user)
    if not offices:
        raise NotFound()
    body = selectors.stats_body(user, request.GET.get("body") or None)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 1990 <= int(year) <= 2200 else timezone.localdate().year
    return offices, body, year


@login_required
@require_GET
def stats(request):
    offices, body, year = _stats_params(request)
    stats = statistics.unit_statistics(body=body, year=year)
    labels = dict(Proposal.Status.choices)
    context = {
        "stats": stats,
        "bodies": {o.body_id: o.body for o in offices}.values(),
        "body": body,
        "year": year,
        "years": range(timezone.localdate().year, timezone.localdate().year - 10, -1),
        "counts": [(str(labels.get(s, s)), n) for s, n in stats["item_counts"].items()],
        "areas": _areas(request.user),
        "nav": "stats",
    }
    return render(request, "proposals/stats.html", context)


@login_required
@require_GET
def export(request):
    _offices, body, year = _stats_params(request)
    content = exports.annual_report(actor=request.user, body=body, year=year)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="proposals-{body.pk}-{year}.xlsx"'
    return response


@login_required
@require_GET
def supervision(request):
    user = request.user
    if not selectors.led_bodies(user):
        raise NotFound()
    scope = request.GET.get("scope", "key")
    if scope not in ("key", "all"):
        scope = "key"
    qs = selectors.supervision_queue(user) if scope == "key" else selectors.leader_items(user)
    context = {"page": _page(request, qs), "scope": scope, "areas": _areas(user), "nav": "supervision"}
    return render(request, "proposals/supervision.html", context)
