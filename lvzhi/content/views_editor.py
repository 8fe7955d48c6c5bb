"""The article editor's image upload: an image placed in the text is attached to the draft through the upload
checker (`services.add_attachment`: type sniffed, pixels bounded, re-encoded without metadata) and answered with
the local address the sanitiser keeps (`/content/files/<id>/`)."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.errors import ApplicationError, NotFound, PermissionDenied
from lvzhi.core.params import query_int

from . import selectors, services


@login_required
@require_POST
def image(request, pk):
    """POST file (and the form's version) → {"src", "alt", "version"}, or {"error", "code"} with 400/404/409."""
    try:
        item = selectors.access_work_article(request.user, pk)
        upload = request.FILES.get("file")
        if upload is None:
            return JsonResponse({"error": _("Choose an image."), "code": "file_required"}, status=400)
        version = query_int(request.POST.get("version"), minimum=0)
        attachment = services.add_attachment(
            actor=request.user,
            article=item,
            name=upload.name,
            data=upload.read(),
            expected_version=version,
            image_only=True,
        )
    except ApplicationError as exc:
        status = 404 if isinstance(exc, (NotFound, PermissionDenied)) else exc.status
        return JsonResponse({"error": str(exc.message), "code": exc.code}, status=status)
    item.refresh_from_db(fields=["version"])
    alt = upload.name.rsplit(".", 1)[0][:100]
    return JsonResponse({"src": reverse("content:file", args=[attachment.pk]), "alt": alt, "version": item.version})
