"""The form renderer of the whole platform: `{{ form }}` renders templates/_form.html (errors, then each field),
`{{ form.<field>.as_field_group }}` renders templates/_field.html (label, widget, help, errors). One look for every
form, web and back office alike; templates never hand-roll a field again."""

from django import forms
from django.forms.renderers import TemplatesSetting

from lvzhi.core.errors import ValidationFailed
from lvzhi.core.validation import clean_text


class FormRenderer(TemplatesSetting):
    form_template_name = "_form.html"
    field_template_name = "_field.html"


class CleanTextField(forms.CharField):
    """A text field cleaned by the validation kit (`lvzhi.core.validation.clean_text`): control characters, bidi
    overrides and text of invisible characters only are refused with the kit's message; one-line text is folded,
    a `Textarea` keeps its lines. Use it for every free-text field of a form."""

    def __init__(self, *args, code: str = "", **kwargs):
        self.code = code
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return clean_text(
                value,
                field=self.code or "text",
                max_length=self.max_length or 100_000,
                label=str(self.label or ""),
                required=self.required,
                multiline=isinstance(self.widget, forms.Textarea),
            )
        except ValidationFailed as exc:
            raise forms.ValidationError(str(exc.message), code=exc.code) from None
