"""The staff back office (/office/): thin views over backoffice.selectors, backoffice.permissions and the
services of accounts and orgs. Forbidden and missing look the same (404)."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.accounts import services as account_services
from lvzhi.accounts.permissions import active_assignments, is_administrator
from lvzhi.accounts.roles import ADMIN_ROLES, Role
from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.orgs import services as org_services
from lvzhi.orgs.models import UnitKind, UnitLeader
from lvzhi.orgs.selectors import effective_settings, missing_leader_duties, unit_leaders

from . import forms, selectors
from . import permissions as perms
from . import services as bo_services
from .staffing import bodies_in_scope, staffing_gaps

PAGE_SIZE = 20

# Which form field shows a service error with this code.
ERROR_FIELDS = {
    "invalid_phone": "phone",
    "phone_taken": "phone",
    "real_name_required": "real_name",
    "real_name_too_long": "real_name",
    "id_card_invalid": "id_card",
    "weak_password": "password",
    "admin_roles_separated": "role",
    "role_held": "role",
    "unknown_role": "role",
    "unit_inactive": "unit",
    "name_required": "name",
    "name_too_long": "name",
    "short_name_too_long": "short_name",
    "wrong_type": "value",
    "reason_required": "reason",
}


def show_error(form, exc: ApplicationError) -> None:
    field = ERROR_FIELDS.get(exc.code)
    form.add_error(field if field in form.fields else None, str(exc.message))


def backoffice(view):
    """Logged-in users with a back-office role; everyone else is "not found" (anonymous: the login page)."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not perms.may_enter_backoffice(request.user):
            raise NotFound()
        return view(request, *args, **kwargs)

    return wrapper


def require(allowed: bool) -> None:
    if not allowed:
        raise NotFound()


# ---- overview -------------------------------------------------------------------------------------------------


@require_http_methods(["GET"])
@backoffice
def index(request):
    actor = request.user
    tasks = []
    if perms.may_list_users(actor):
        tasks.append(("backoffice:users", _("Users"), _("Find users and keep their accounts and profiles up to date.")))
    if perms.may_create_user(actor):
        tasks.append(("backoffice:user_new", _("New account"), _("Create an account; it must change its password.")))
    if perms.may_view_units(actor):
        text = (
            _("Create, rename and deactivate org units.")
            if perms.may_manage_units(actor)
            else _("Look up the org units you work with.")
        )
        tasks.append(("backoffice:units", _("Org units"), text))
    if perms.may_manage_settings(actor):
        tasks.append(("backoffice:settings", _("Body settings"), _("Set the rules of a body; lower bodies inherit.")))
    if perms.may_see_calendar(actor):
        tasks.append(("workdays:calendar", _("Calendar"), _("Keep the working-day calendar up to date.")))
    if perms.may_see_audit_log(actor):
        tasks.append(("audit:events", _("Audit log"), _("Read and export the security audit log.")))
    if perms.may_see_staffing(actor):
        tasks.append(
            (
                "backoffice:staffing",
                _("Workflow staffing"),
                _("Steps of reports, items and approval chains that nobody can take."),
            )
        )
    if perms.may_see_datachange_queue(actor):
        tasks.append(("datachange:queue", _("Data-change requests"), _("Carry out personal-data change requests.")))
    roles = list(active_assignments(actor))
    return render(
        request,
        "backoffice/index.html",
        {"tasks": tasks, "roles": roles, "administrator": is_administrator(actor)},
    )


# ---- users ----------------------------------------------------------------------------------------------------


@require_http_methods(["GET"])
@backoffice
def users(request):
    actor = request.user
    require(perms.may_list_users(actor))
    form = forms.UserFilterForm(request.GET or None, units=selectors.user_filter_units(actor))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.users_for(
        actor,
        q=filters.get("q") or "",
        unit=filters.get("unit"),
        role=filters.get("role") or "",
        status=filters.get("status") or "",
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/users.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_create": perms.may_create_user(actor),
        },
    )


def _creatable_roles(actor):
    return [r for r in Role.values if r not in ADMIN_ROLES]


@require_http_methods(["GET", "POST"])
@backoffice
def user_new(request):
    actor = request.user
    require(perms.may_create_user(actor))
    units = selectors.units_where(actor, (Role.INFO_OFFICE,))
    form = forms.UserCreateForm(request.POST or None, units=units, roles=_creatable_roles(actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        require(perms.may_create_user(actor, data["unit"]))
        password = data["password"] if data["password_mode"] == "enter" else bo_services.generate_initial_password()
        try:
            user = bo_services.create_account(
                actor=actor,
                phone=data["phone"],
                real_name=data["real_name"],
                unit=data["unit"],
                initial_password=password,
                id_card=data["id_card"],
                email=data["email"],
                title=data["title"],
                role=data["role"],
            )
        except ApplicationError as exc:
            show_error(form, exc)
        else:
            # Shown once, on this answer only; never stored in clear.
            shown = password if data["password_mode"] == "generate" else ""
            return render(request, "backoffice/user_created.html", {"subject": user, "password": shown})
    return render(request, "backoffice/user_form.html", {"form": form, "heading": _("New account")})


def _detail_context(actor, subject):
    may_full = perms.may_see_full_id_card(actor, subject)
    return {
        "subject": subject,
        "phone": subject.phone if may_full else subject.masked_phone,
        "id_card": subject.id_card if may_full else subject.masked_id_card,
        "roles": selectors.active_roles_of(subject),
        "profiles": [] if is_administrator(actor) else selectors.member_profiles_of(subject),
        "may_edit": perms.may_edit_user(actor, subject),
        "may_profile": perms.may_edit_member_profile(actor, subject),
        "may_roles": perms.may_manage_roles(actor, subject),
        "may_freeze": perms.may_freeze(actor, subject),
        "may_deactivate": perms.may_deactivate(actor, subject),
        "may_reset": perms.may_reset_password(actor, subject),
    }


@require_http_methods(["GET"])
@backoffice
def user_detail(request, user_id):
    actor = request.user
    subject = selectors.access_user(actor, user_id)
    return render(request, "backoffice/user_detail.html", _detail_context(actor, subject))


@require_http_methods(["GET", "POST"])
@backoffice
def user_edit(request, user_id):
    actor = request.user
    subject = selectors.access_user(actor, user_id)
    require(perms.may_edit_user(actor, subject))
    units = selectors.user_filter_units(actor)
    initial = {
        "real_name": subject.real_name,
        "phone": subject.phone,
        "unit": subject.unit_id,
        "title": subject.title,
        "email": subject.email,
    }
    form = forms.UserEditForm(request.POST or None, initial=initial, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = data["unit"]
        if unit.pk != subject.unit_id and not perms.may_move_user_to(actor, unit):
            form.add_error("unit", _("You may not move users to this unit."))
        else:
            try:
                account_services.update_user(
                    actor=actor,
                    user=subject,
                    real_name=data["real_name"],
                    phone=data["phone"],
                    unit=unit,
                    email=data["email"],
                    title=data["title"],
                    id_card=data["id_card"] or None,
                )
            except ApplicationError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("The user's data was saved."))
                return redirect("backoffice:user", user_id=subject.pk)
    return render(
        request, "backoffice/user_form.html", {"form": form, "subject": subject, "heading": _("Edit basic data")}
    )


@require_http_methods(["GET", "POST"])
@backoffice
def user_profile(request, user_id):
    actor = request.user
    subject = selectors.access_user(actor, user_id)
    require(perms.may_edit_member_profile(actor, subject))
    body = subject.unit.body
    profile = next((p for p in selectors.member_profiles_of(subject) if p.body_id == body.pk), None)
    initial = {}
    if profile is not None:
        initial = {
            "sector": profile.sector_id,
            "committee": profile.committee_id,
            "delegation": profile.delegation_id,
            "term": profile.term,
            "workplace": profile.workplace,
        }
    form = forms.MemberProfileForm(request.POST or None, initial=initial, body=body)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account_services.set_member_profile(
                actor=actor,
                user=subject,
                body=body,
                sector=data["sector"],
                committee=data["committee"],
                delegation=data["delegation"],
                term=data["term"].strip(),
                workplace=data["workplace"].strip(),
            )
        except ApplicationError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect("backoffice:user", user_id=subject.pk)
    return render(
        request,
        "backoffice/user_form.html",
        {"form": form, "subject": subject, "heading": _("Member profile"), "note": body.name},
    )


def _grantable_roles(actor, subject):
    roles = []
    for role in Role.values:
        if role in ADMIN_ROLES:
            if perms.may_grant_admin_roles(actor, subject):
                roles.append(role)
        else:
            roles.append(role)
    return roles


@require_http_methods(["GET", "POST"])
@backoffice
def user_roles(request, user_id):
    actor = request.user
    subject = selectors.access_user(actor, user_id)
    require(perms.may_manage_roles(actor, subject))
    form = forms.GrantRoleForm(
        request.POST or None, units=selectors.grant_units(actor), roles=_grantable_roles(actor, subject)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not perms.may_grant_role(actor, subject, data["role"], data["unit"]):
            form.add_error("role", _("You may not grant this role at this unit."))
        else:
            try:
                bo_services.grant_role(  # S2-5: only once the unit's responsible leaders are named
                    actor=actor,
                    user=subject,
                    role=data["role"],
                    unit=data["unit"],
                    include_descendants=data["include_descendants"],
                )
            except ApplicationError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("The role was granted; it takes effect at once."))
                return redirect("backoffice:user_roles", user_id=subject.pk)
    roles = selectors.active_roles_of(subject)
    for assignment in roles:
        assignment.may_revoke = perms.may_grant_role(actor, subject, assignment.role, assignment.unit)
    return render(request, "backoffice/user_roles.html", {"subject": subject, "form": form, "roles": roles})


@require_POST
@backoffice
def user_revoke(request, user_id, assignment_id):
    actor = request.user
    subject = selectors.access_user(actor, user_id)
    assignment = selectors.access_assignment(actor, subject, assignment_id)
    require(perms.may_revoke_role(actor, assignment))
    account_services.revoke_role(actor=actor, assignment=assignment)
    messages.success(request, _("The role was revoked; it takes effect at once."))
    return redirect("backoffice:user_roles", user_id=subject.pk)


ACTIONS = {
    # name: (predicate, service, heading, done message, button class)
    "freeze": (perms.may_freeze, "freeze_user", _("Freeze the account"), _("The account was frozen."), "danger"),
    "unfreeze": (perms.may_freeze, "unfreeze_user", _("Unfreeze the account"), _("The account was unfrozen."), ""),
    "deactivate": (
        perms.may_deactivate,
        "deactivate_user",
        _("The user has left: close the account"),
        _("The account was closed and all its roles revoked."),
        "danger",
    ),
}


def _reason_action(request, user_id, action):
    actor = request.user
    subject = selectors.access_user(actor, user_id)
    allowed, service_name, heading, done, button = ACTIONS[action]
    require(allowed(actor, subject))
    form = forms.ReasonForm(request.POST or None)
    if action == "freeze" and subject.is_frozen or action == "unfreeze" and not subject.is_frozen:
        form = None  # nothing to do; the page says so
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            getattr(account_services, service_name)(actor=actor, user=subject, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            show_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("backoffice:user", user_id=subject.pk)
    return render(
        request,
        "backoffice/user_action.html",
        {"subject": subject, "form": form, "heading": heading, "button": button, "action": action},
    )


@require_http_methods(["GET", "POST"])
@backoffice
def user_freeze(request, user_id):
    return _reason_action(request, user_id, "freeze")


@require_http_methods(["GET", "POST"])
@backoffice
def user_unfreeze(request, user_id):
    return _reason_action(request, user_id, "unfreeze")


@require_http_methods(["GET", "POST"])
@backoffice
def user_deactivate(request, user_id):
    return _reason_action(request, user_id, "deactivate")


@require_http_methods(["GET", "POST"])
@backoffice
def user_reset_password(request, user_id):
    actor = request.user
    subject = selectors.access_user(actor, user_id)
    require(perms.may_reset_password(actor, subject))
    form = forms.ResetPasswordForm(request.POST or None, user=subject)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        password = data["password"] if data["password_mode"] == "enter" else bo_services.generate_initial_password()
        try:
            account_services.reset_initial_password(actor=actor, user=subject, new_password=password)
        except ApplicationError as exc:
            show_error(form, exc)
        else:
            shown = password if data["password_mode"] == "generate" else ""
            return render(
                request, "backoffice/user_created.html", {"subject": subject, "password": shown, "reset": True}
            )
    return render(
        request,
        "backoffice/user_form.html",
        {"form": form, "subject": subject, "heading": _("Reset the initial password")},
    )


# ---- org units --------------------------------------------------------------------------------------------------


@require_http_methods(["GET"])
@backoffice
def units(request):
    actor = request.user
    require(perms.may_view_units(actor))
    include_inactive = request.GET.get("all") == "1"
    tree = list(selectors.unit_tree_for(actor, include_inactive=include_inactive))
    top = min((u.depth for u in tree), default=0)
    for unit in tree:
        unit.indent = min(unit.depth - top, 8)
    return render(request, "backoffice/units.html", {"tree": tree, "include_inactive": include_inactive})


@require_http_methods(["GET"])
@backoffice
def unit_detail(request, unit_id):
    actor = request.user
    unit = selectors.access_unit(actor, unit_id)
    manage = perms.may_manage_units(actor, unit)
    return render(
        request,
        "backoffice/unit_detail.html",
        {
            "unit": unit,
            "ancestors": list(selectors.ancestors_of(unit)),
            "children": list(selectors.children_with_counts(unit)),
            "may_manage": manage,
            "may_settings": unit.is_body and perms.may_manage_settings(actor, unit),
            "leaders": unit_leaders(unit),
            "missing_leaders": [UnitLeader.Duty(d) for d in missing_leader_duties(unit)],
            "rename_form": forms.UnitRenameForm(initial={"name": unit.name, "short_name": unit.short_name}),
        },
    )


@require_http_methods(["GET", "POST"])
@backoffice
def unit_new(request, unit_id):
    actor = request.user
    parent = selectors.access_unit(actor, unit_id)
    require(perms.may_manage_units(actor, parent))
    form = forms.UnitCreateForm(request.POST or None, initial={"kind": UnitKind.OFFICE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = bo_services.create_unit(
                actor=actor,
                name=data["name"],
                short_name=data["short_name"],
                kind=data["kind"],
                function=data["function"] or "",
                parent=parent,
                level=data["level"] or None,
                body_type=data["body_type"] or None,
                sort_order=data["sort_order"] or 0,
            )
        except ApplicationError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The unit was created."))
            return redirect("backoffice:unit", unit_id=unit.pk)
    return render(request, "backoffice/unit_form.html", {"form": form, "parent": parent})


@require_http_methods(["GET", "POST"])
@backoffice
def unit_rename(request, unit_id):
    actor = request.user
    unit = selectors.access_unit(actor, unit_id)
    require(perms.may_manage_units(actor, unit))
    form = forms.UnitRenameForm(request.POST or None, initial={"name": unit.name, "short_name": unit.short_name})
    if request.method == "POST" and form.is_valid():
        try:
            org_services.rename_unit(
                actor=actor, unit=unit, name=form.cleaned_data["name"], short_name=form.cleaned_data["short_name"]
            )
        except ApplicationError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The unit was renamed."))
            return redirect("backoffice:unit", unit_id=unit.pk)
    return render(request, "backoffice/unit_form.html", {"form": form, "unit": unit, "rename": True})


@require_POST
@backoffice
def unit_active(request, unit_id, active):
    actor = request.user
    unit = selectors.access_unit(actor, unit_id)
    require(perms.may_manage_units(actor, unit))
    if active:
        org_services.reactivate_unit(actor=actor, unit=unit)
        messages.success(request, _("The unit was reactivated."))
    else:
        org_services.deactivate_unit(actor=actor, unit=unit)
        messages.success(request, _("The unit was deactivated."))
    return redirect("backoffice:unit", unit_id=unit.pk)


# ---- body settings -------------------------------------------------------------------------------------------------


@require_http_methods(["GET"])
@backoffice
def settings_index(request):
    actor = request.user
    require(perms.may_manage_settings(actor))
    return render(request, "backoffice/settings_index.html", {"bodies": list(selectors.bodies_for_settings(actor))})


@require_http_methods(["GET", "POST"])
@backoffice
def settings_body(request, body_id):
    actor = request.user
    body = selectors.access_settings_body(actor, body_id)
    failed_key, failed_form = None, None
    if request.method == "POST":
        key = request.POST.get("key", "")
        form = forms.SettingForm(request.POST, auto_id=f"id_{key}_%s")
        if request.POST.get("clear"):
            org_services.clear_body_setting(actor=actor, body=body, key=key)
            messages.success(request, _("The own value was removed; the setting is inherited again."))
            return redirect("backoffice:settings_body", body_id=body.pk)
        if form.is_valid():
            try:
                org_services.set_body_setting(
                    actor=actor, body=body, key=form.cleaned_data["key"], value=form.cleaned_data["value"]
                )
            except ApplicationError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("The setting was saved."))
                return redirect("backoffice:settings_body", body_id=body.pk)
        failed_key, failed_form = key, form
    rows = effective_settings(body)
    for row in rows:
        if row["key"] == failed_key:
            row["form"] = failed_form
        else:
            row["form"] = forms.SettingForm(
                initial={"key": row["key"], "value": selectors.as_json(row["value"])}, auto_id=f"id_{row['key']}_%s"
            )
        row["value_json"] = selectors.as_json(row["value"])
        row["default_json"] = selectors.as_json(row["default"])
    stray = failed_form is not None and failed_key not in {row["key"] for row in rows}
    errors = failed_form.errors.as_data() if stray else {}
    messages_ = [str(m) for errs in errors.values() for e in errs for m in e.messages]
    return render(request, "backoffice/settings_body.html", {"body": body, "rows": rows, "errors": messages_})


@require_GET
@backoffice
def staffing(request):
    """Every workflow step of the actor's bodies that nobody (or only a possible author) can take."""

    actor = request.user
    require(perms.may_see_staffing(actor))
    bodies = bodies_in_scope(actor, perms.STAFFING_ROLES)
    gaps = staffing_gaps(bodies)
    return render(request, "backoffice/staffing.html", {"gaps": gaps, "bodies": bodies})
