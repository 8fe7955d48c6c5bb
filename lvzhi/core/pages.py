"""What a page does with a service call it makes on a POST that redirects afterwards (steps, small actions).

```python
run_on_page(request, lambda: services.request_crawl(actor=request.user, watch=watch), _("Done."))
return redirect(...)
```
"""

from django.contrib import messages

from .errors import ApplicationError


def run_on_page(request, fn, done=None):
    """Call `fn()` and return its result. A refusal (`ApplicationError`) becomes the page's error message and None;
    not found stays not found (raised on: the same answer as a missing object). On success, `done` (if given) is
    shown as the page's success message."""
    try:
        result = fn()
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        messages.error(request, str(exc.message))
        return None
    if done is not None:
        messages.success(request, done)
    return result
