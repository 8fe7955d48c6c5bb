"""The form renderer of the whole platform: `{{ form }}` renders templates/_form.html (errors, then each field),
`{{ form.<field>.as_field_group }}` renders templates/_field.html (label, widget, help, errors). One look for every
form, web and back office alike; templates never hand-roll a field again."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "_form.html"
    field_template_name = "_field.html"
