"""Small HTML helpers shared by forms and templates."""

from django.utils.functional import lazy
from django.utils.safestring import SafeString, mark_safe

# A translated help text written as HTML (its syntax tokens in <code>, which pages show as code, not as prose):
# marked safe when it is rendered, in the language of the request. Only for msgids written by us, never user text.
safe_lazy = lazy(mark_safe, SafeString)
