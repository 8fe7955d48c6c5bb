import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from lvzhi.core.html import safe_lazy

from .models import (
    Audience,
    ColumnChange,
    DisclosureCategory,
    Grade,
    MonitorReport,
    RepostSource,
    StepKind,
    StepScope,
    Topic,
    Urgency,
)
from .services import CHECKLIST, NA_ALLOWED, checklist_questions
from .widgets import RichTextarea

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def _datetime_field(label, help_text=""):
    return forms.DateTimeField(
        label=label, required=False, widget=DateTimeLocalInput(), input_formats=[DATETIME_FORMAT], help_text=help_text
    )


class ArticleForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Department"), coerce=int, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body_html = forms.CharField(
        label=_("Text"),
        required=False,
        widget=RichTextarea(attrs={"rows": 14}),
        help_text=_(
            "Use the toolbar for headings, lists, tables and images; on a device without the toolbar, separate "
            "paragraphs by an empty line."
        ),
    )
    is_repost = forms.BooleanField(label=_("Repost from other media"), required=False)
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("A repost names its source and keeps the original title and meaning (S2-27)."),
    )
    repost_source = forms.TypedChoiceField(
        label=_("Designated source"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_(
            "For a repost: choose the source from the body's list; for another source, name it above and say why."
        ),
    )
    source_other_reason = forms.CharField(label=_("Why this source (not on the list)"), max_length=300, required=False)
    original_title = forms.CharField(
        label=_("Original title"),
        max_length=200,
        required=False,
        help_text=_("For a repost: the source's title, copied exactly; the title above must be the same."),
    )
    urgency = forms.ChoiceField(
        label=_("Emergency or rumour"),
        choices=Urgency.choices,
        required=False,
        help_text=_("Emergency responses and rumour rebuttals take the expedited chain; the office is told by SMS."),
    )
    event_noted_at = _datetime_field(
        _("Event noticed at"), _("When the event or the rumour was noticed: the response time is counted from then.")
    )
    grade = forms.ChoiceField(
        label=_("Grade"),
        choices=Grade.choices,
        initial=Grade.NORMAL,
        help_text=_("Important items go to the host unit's leader, major or sensitive ones to the body's leader."),
    )
    topic = forms.ChoiceField(
        label=_("Sensitive topic"),
        choices=Topic.choices,
        required=False,
        help_text=_("Items on these topics never go out without the body leader's review."),
    )
    publish_at = _datetime_field(_("Go-live time"), _("Leave empty to publish as soon as it is approved."))
    expires_at = _datetime_field(_("Expiry"), _("Leave empty to keep it published."))
    client_token = forms.CharField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units=(), upload_url="", body=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body_html"].widget.upload_url = upload_url  # images need a saved draft to belong to
        body = body or (units[0].body if units else None)
        sources = RepostSource.objects.filter(body=body, is_active=True).order_by("name") if body else []
        self.fields["repost_source"].choices = [("", _("Another source (say why)"))] + [(x.pk, x.name) for x in sources]
        if len(units) > 1:
            self.fields["unit"].choices = [(u.pk, u.name) for u in units]
            self.fields["unit"].required = True
        else:
            del self.fields["unit"]
        if not self.is_bound and not self.initial.get("client_token"):
            self.initial["client_token"] = uuid.uuid4().hex


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
    as_cover = forms.BooleanField(label=_("Use as the cover image"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _answer_choices(key):
    choices = [("yes", _("Yes")), ("no", _("No"))]
    if key in NA_ALLOWED:
        choices.append(("na", _("Not applicable")))
    return choices


class DecisionForm(forms.Form):
    """The reviewer's decision with the nine-item checklist (S0-8) and the secrecy review (S0-9)."""

    checklist_note = forms.CharField(
        label=_("Other concerns / notes"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    secrecy_reviewed = forms.BooleanField(
        label=_("I have carried out the secrecy review: it contains no state secrets or work secrets."), required=False
    )
    secrecy_note = forms.CharField(label=_("Secrecy review note"), max_length=300, required=False)
    findings_accepted = forms.BooleanField(
        label=_("I have examined the screening findings and decide that it may be published as it is."),
        required=False,
    )
    raise_grade = forms.ChoiceField(label=_("Raise the grade"), required=False, choices=[("", "—"), *Grade.choices])
    comment = forms.CharField(
        label=_("Comment"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning it: say what must be changed."),
    )
    expected_step = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, question in checklist_questions():
            self.fields[f"check_{key}"] = forms.ChoiceField(
                label=question, choices=_answer_choices(key), required=False, widget=forms.RadioSelect
            )
        order = [f"check_{k}" for k, _safe in CHECKLIST]
        self.order_fields(order + ["checklist_note"])

    def checklist(self) -> dict:
        data = {key: self.cleaned_data.get(f"check_{key}") or "" for key, _safe in CHECKLIST}
        data["note"] = self.cleaned_data.get("checklist_note", "")
        return data

    def checklist_fields(self):
        return [self[f"check_{key}"] for key, _safe in CHECKLIST]


class PublishForm(forms.Form):
    publish_at = _datetime_field(_("Go-live time"), _("Leave empty to publish now."))
    expected_step = forms.IntegerField(widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is wrong"), choices=MonitorReport.Kind.choices)
    reason = forms.CharField(label=_("Details"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class HandleReportForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("contact", _("Contact the poster")),
            ("correct", _("Close: corrected")),
            ("remove", _("Remove the item")),
            ("dismiss", _("Dismiss")),
        ]
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ColumnChangeForm(forms.Form):
    action = forms.ChoiceField(label=_("Change"), choices=ColumnChange.Action.choices)
    column = forms.TypedChoiceField(label=_("Column"), coerce=int, required=False, empty_value=None)
    name = forms.CharField(label=_("Name"), max_length=40, required=False)
    code = forms.SlugField(label=_("Code"), max_length=40, required=False, help_text=_("Letters, digits and dashes."))
    parent = forms.TypedChoiceField(label=_("Parent column"), coerce=int, required=False, empty_value=None)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices, required=False)
    sort_order = forms.IntegerField(label=_("Position"), required=False)
    owners = forms.TypedMultipleChoiceField(
        label=_("Owning departments"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    maintainer = forms.IntegerField(label=_("Maintainer (user number)"), required=False)
    category = forms.TypedChoiceField(label=_("Disclosure category"), coerce=int, required=False, empty_value=None)
    chain = forms.CharField(
        label=_("Approval chain"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=safe_lazy(
            _(
                "One step a line: step, role, where; e.g. <code>review staff host</code>, "
                "<code>approve head function:liaison_office</code>, <code>publish head body</code>. "
                "Steps: <code>review</code>, <code>approve</code>, <code>publish</code>; roles: <code>staff</code>, "
                "<code>head</code>, <code>leader</code>; where: <code>host</code> (the host unit), "
                "<code>host_office</code> (its section), <code>body</code>, <code>function:&lt;office&gt;</code>, "
                "<code>unit:&lt;number&gt;</code>; add <code>original</code> or <code>repost</code> for a step that "
                "applies to one kind only."
            )
        ),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, columns=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = [("", "—")] + [(c.pk, c.name) for c in columns]
        self.fields["parent"].choices = [("", "—")] + [(c.pk, c.name) for c in columns if not c.parent_id]
        self.fields["owners"].choices = [(u.pk, u.name) for u in units]
        body_id = columns[0].body_id if columns else None
        categories = DisclosureCategory.objects.filter(body_id=body_id, is_active=True) if body_id else []
        self.fields["category"].choices = [("", "—")] + [(c.pk, c.name) for c in categories]

    def payload(self) -> dict:
        d = self.cleaned_data
        action = d["action"]
        if action == ColumnChange.Action.CREATE:
            return {
                "name": d["name"], "code": d["code"], "parent": d["parent"], "audience": d["audience"] or "all",
                "maintainer": d["maintainer"], "category": d["category"],
            }  # fmt: skip
        if action == ColumnChange.Action.RENAME:
            return {"name": d["name"]}
        if action == ColumnChange.Action.REORDER:
            return {"sort_order": d["sort_order"]}
        if action == ColumnChange.Action.AUDIENCE:
            return {"audience": d["audience"]}
        if action == ColumnChange.Action.OWNERS:
            return {"owners": d["owners"]}
        if action == ColumnChange.Action.MAINTAINER:
            return {"maintainer": d["maintainer"]}
        if action == ColumnChange.Action.CATEGORY:
            return {"category": d["category"]}
        if action == ColumnChange.Action.CHAIN:
            return {"steps": parse_chain(d["chain"])}
        return {}


def parse_chain(text: str) -> list[dict]:
    """Lines "kind role where [applies]" → step dicts (validated again by the service)."""
    steps = []
    for line in (text or "").splitlines():
        parts = line.split()
        if not parts:
            continue
        kind, role = parts[0], parts[1] if len(parts) > 1 else ""
        where = parts[2] if len(parts) > 2 else StepScope.HOST
        step = {"kind": kind if kind in StepKind.values else "", "role": role, "scope": where, "function": ""}
        if where.startswith("function:"):
            step["scope"], step["function"] = StepScope.FUNCTION, where.split(":", 1)[1]
        elif where.startswith("unit:"):
            step["scope"], step["unit"] = StepScope.UNIT, where.split(":", 1)[1]
        if len(parts) > 3:
            step["applies_to"] = parts[3]
        steps.append(step)
    return steps


def chain_text(column) -> str:
    lines = []
    for s in column.chain.all():
        where = s.scope
        if s.scope == StepScope.FUNCTION:
            where = f"function:{s.function}"
        elif s.scope == StepScope.UNIT:
            where = f"unit:{s.unit_id}"
        lines.append(" ".join([s.kind, s.role, where] + ([s.applies_to] if s.applies_to != "all" else [])))
    return "\n".join(lines)


def repost_initial(article) -> dict:
    """The repost (S2-27) and urgency (S2-29) fields of an article, as the edit form's initial values."""
    return {
        "repost_source": article.repost_source_id,
        "original_title": article.original_title,
        "source_other_reason": article.source_other_reason,
        "urgency": article.urgency,
        "event_noted_at": article.event_noted_at,
    }
