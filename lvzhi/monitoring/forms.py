"""The module's forms (rendered by the project form renderer); the services clean and check again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS
from .models import Watch

RECORD_KINDS = ("harmful_content", "inconsistent_item", "map_without_review_number")


class RecordForm(forms.Form):
    outlet = forms.TypedChoiceField(label=_("Website or account"), coerce=int)
    kind = forms.ChoiceField(label=_("What was found"), choices=[(k, KINDS[k].label) for k in RECORD_KINDS])
    summary = forms.CharField(label=_("Summary"), max_length=300)
    url = forms.CharField(label=_("Address"), max_length=500, required=False)
    excerpt = forms.CharField(label=_("Excerpt"), max_length=2000, required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args, outlets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].choices = [(o.pk, f"{o.name}（{o.get_platform_display()}）") for o in outlets]


class CounterfeitForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"), choices=())
    name = forms.CharField(label=_("Account name"), max_length=60)
    account_id = forms.CharField(label=_("Account id"), max_length=100, required=False)
    url = forms.CharField(label=_("Address"), max_length=300, required=False)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # the registry's platforms, read from the outlet field (domain apps do not import each other's models)
        outlet_model = Watch._meta.get_field("outlet").related_model
        self.fields["platform"].choices = outlet_model._meta.get_field("platform").choices


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    url = forms.CharField(label=_("Address"), max_length=500, required=False)
    published_at = forms.DateTimeField(label=_("Published"), widget=forms.DateTimeInput({"type": "datetime-local"}))
    is_original = forms.BooleanField(label=_("Original"), required=False, initial=True)
    text = forms.CharField(label=_("Text (optional)"), max_length=20000, required=False,
                           widget=forms.Textarea({"rows": 3}))  # fmt: skip


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx): 标题, 链接, 发布时间, 原创, 正文"))


class WatchForm(forms.Form):
    outlet = forms.TypedChoiceField(label=_("Website or account"), coerce=int)
    since = forms.DateField(label=_("Items logged since"), widget=forms.DateInput({"type": "date"}))
    crawl = forms.BooleanField(label=_("Crawl the website"), required=False)
    start_url = forms.CharField(label=_("Start address"), max_length=300, required=False)
    feed_urls = forms.CharField(
        label=_("Feeds (one address a line)"), required=False, widget=forms.Textarea({"rows": 2})
    )
    sitemap_url = forms.CharField(label=_("Sitemap"), max_length=300, required=False)

    def __init__(self, *args, outlets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].choices = [(o.pk, f"{o.name}（{o.get_platform_display()}）") for o in outlets]
