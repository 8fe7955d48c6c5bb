"""One presenter per kind of thing, shared by the pages and the API."""

from django.urls import reverse

from .models import Document


def duration(seconds: int) -> str:
    """ "1 小时 05 分" style, from seconds (whole minutes)."""
    minutes = int(seconds or 0) // 60
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}"


def document(doc: Document, versions=None) -> dict:
    data = {
        "id": doc.pk,
        "title": doc.title,
        "source": doc.source,
        "source_label": doc.get_source_display(),
        "year": doc.year,
        "topic": doc.topic,
        "summary": doc.summary,
        "audience": doc.audience,
        "body": doc.body.name,
        "versions": doc.version_count,
        "active": doc.is_active,
        "url": reverse("learning:document", args=[doc.pk]),
    }
    if versions is not None:
        data["files"] = [
            {
                "number": v.number,
                "filename": v.filename,
                "size": v.size,
                "mime": v.mime,
                "uploaded_at": v.uploaded_at.isoformat(),
                "url": reverse("learning:download", args=[doc.pk, v.number]),
            }
            for v in versions
        ]
    return data


def course(c, progress=None) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "summary": c.summary,
        "year": c.year,
        "status": c.status,
        "required_minutes": c.required_minutes,
        "body": c.body.name,
        "seconds": progress.seconds if progress else 0,
        "completed": bool(progress and progress.completed_at),
        "url": reverse("learning:course", args=[c.pk]),
    }


def lesson(item, seconds: int = 0, passed: bool = False) -> dict:
    return {
        "id": item.pk,
        "title": item.title,
        "order": item.order,
        "has_video": bool(item.video),
        "video_url": reverse("learning:video", args=[item.pk]) if item.video else "",
        "seconds": seconds,
        "passed": passed,
        "url": reverse("learning:lesson", args=[item.pk]),
    }
