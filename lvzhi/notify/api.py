"""The inbox API at /api/v1/inbox (bearer token or session): list, unread count, mark one / all read."""

import datetime as dt

from django.core.paginator import Paginator
from ninja import Query, Router, Schema
from pydantic import Field

from lvzhi.accounts.api_auth import token_auth

from . import selectors, services

router = Router(tags=["inbox"], auth=token_auth)


class MessageOut(Schema):
    id: int
    title: str
    body: str
    link: str
    event: str
    object_type: str
    object_id: str
    created_at: dt.datetime
    read_at: dt.datetime | None
    unread: bool

    @staticmethod
    def resolve_unread(obj) -> bool:
        return obj.read_at is None


class MessagePage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    items: list[MessageOut]


class InboxFilter(Schema):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)
    unread: bool = False


class UnreadCount(Schema):
    count: int


class Marked(Schema):
    marked: int


@router.get("", response=MessagePage, summary="The user's messages, newest first")
def list_messages(request, filters: Query[InboxFilter]):
    paginator = Paginator(selectors.inbox_for(request.auth, unread_only=filters.unread), filters.page_size)
    page = paginator.get_page(filters.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "page_size": filters.page_size,
        "items": list(page.object_list),
    }


@router.get("/unread-count", response=UnreadCount, summary="How many messages are unread")
def get_unread_count(request):
    return {"count": selectors.unread_count(request.auth)}


@router.post("/read-all", response=Marked, summary="Mark all messages read")
def read_all(request):
    return {"marked": services.mark_all_read(user=request.auth)}


@router.post("/{int:message_id}/read", response=MessageOut, summary="Mark one message read")
def read_one(request, message_id: int):
    return services.mark_read(user=request.auth, message_id=message_id)
