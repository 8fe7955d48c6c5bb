from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ListKind
from .permissions import kinds_for, may_keep_global_lists
from .services import DESCRIPTION_MAX, IMPORT_MAX_CHARS, NAME_MAX, TERM_MAX

STATUS_CHOICES = [("active", _("Active")), ("retired", _("Retired")), ("all", _("All"))]
CHECK_MAX_CHARS = 200_000
IMPORT_FILE_MAX_BYTES = 1024 * 1024


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=NAME_MAX)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ListKind.choices)
        self.fields["kind"].choices = [("", _("All kinds"))] + [(k, labels[k]) for k in kinds_for(user)]


class ListForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    kind = forms.ChoiceField(label=_("Kind"))
    scope = forms.ChoiceField(label=_("Applies to"), required=False)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ListKind.choices)
        self.fields["kind"].choices = [(k, labels[k]) for k in kinds_for(user)]
        choices = []
        if any(may_keep_global_lists(user, k) for k in ListKind.values):
            choices.append(("", _("Every body (platform-wide)")))
        self.bodies = {str(b.pk): b for b in bodies}
        choices += [(str(b.pk), b.name) for b in bodies]
        self.fields["scope"].choices = choices

    def clean_scope(self):
        value = self.cleaned_data.get("scope") or ""
        return self.bodies.get(value) if value else None


class TermForm(forms.Form):
    term = forms.CharField(label=_("Word or phrase"), max_length=TERM_MAX, strip=True)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise forms.ValidationError(_("The file is not UTF-8 or GB18030 text."))


class ImportForm(forms.Form):
    text = forms.CharField(
        label=_("Terms, one per line"),
        required=False,
        max_length=IMPORT_MAX_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    file = forms.FileField(label=_("Or a text file (.txt), one term per line"), required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        if not upload.name.lower().endswith(".txt"):
            raise forms.ValidationError(_("Upload a .txt file."))
        if upload.size > IMPORT_FILE_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 1 MB)."))
        return _decode(upload.read())

    def clean(self):
        data = super().clean()
        text = "\n".join(part for part in (data.get("text") or "", data.get("file") or "") if part)
        if not text.strip() and not self.errors:
            raise forms.ValidationError(_("Enter at least one term, one per line."))
        data["all_text"] = text
        return data


class CheckForm(forms.Form):
    text = forms.CharField(
        label=_("Text to check"),
        max_length=CHECK_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
