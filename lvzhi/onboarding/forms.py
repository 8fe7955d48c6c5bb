from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportJob


class UploadForm(forms.Form):
    body = forms.ModelChoiceField(queryset=None, label=_("Body"), empty_label=None)
    kind = forms.ChoiceField(choices=ImportJob.Kind.choices, label=_("What the file holds"))
    file = forms.FileField(label=_("Excel (.xlsx) or CSV file in the template's format"))
    replaces_term = forms.CharField(
        label=_("Term change: the term this list replaces (empty if none)"), max_length=40, required=False
    )

    def __init__(self, *args, bodies=None, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        if kinds is not None:  # only what the user may import somewhere (a proposals clerk: past proposals)
            self.fields["kind"].choices = [(k.value, k.label) for k in ImportJob.Kind if k.value in kinds]


class ConfirmForm(forms.Form):
    exclude_bad_rows = forms.BooleanField(label=_("Leave out the rows with problems"), required=False)
    send_sms = forms.BooleanField(label=_("Send each new account its initial password by SMS"), required=False)
