"""The article editor's widget: a textarea (the plain-text fallback without script) with a toolbar, which
`static/lvzhi/js/editor.js` turns into a rich-text editor (headings, lists, quotes, tables, links, images uploaded
through the upload checker). The tags and attributes it may produce are the sanitiser's allow-list, handed to the
script from `sanitize.TAGS` / `sanitize.ATTRIBUTES`: one list, so the editor and the sanitiser cannot drift."""

from django import forms

from .sanitize import ATTRIBUTES, LOCAL_IMAGE, TAGS


class RichTextarea(forms.Textarea):
    template_name = "content/widgets/rich_text.html"

    def __init__(self, attrs=None, upload_url: str = ""):
        super().__init__(attrs)
        self.upload_url = upload_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["editor"] = {
            "tags": " ".join(sorted(TAGS)),
            "attributes": " ".join(f"{tag}:{','.join(sorted(names))}" for tag, names in sorted(ATTRIBUTES.items())),
            "image_pattern": LOCAL_IMAGE.pattern,
            "upload_url": self.upload_url,
        }
        return context
