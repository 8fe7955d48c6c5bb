from lvzhi.accounts.permissions import is_administrator
from lvzhi.backoffice.permissions import may_enter_backoffice
from lvzhi.content.selectors import COLUMNS_KEY
from lvzhi.core import cache
from lvzhi.notify.selectors import unread_count, unread_key

from .pwa import owner_tag


def shell(request):
    """What the page shell needs: the unread count and whether to show the back-office link."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cache.preload_versions(unread_key(user.pk), COLUMNS_KEY)  # the shell's count and the column links: one read
    return {
        "unread_count": unread_count(user),
        "show_backoffice": may_enter_backoffice(user),
        "is_administrator": is_administrator(user),
        "app_owner": owner_tag(user),  # labels this user's offline drafts and kept pages (static/lvzhi/js/app.js)
    }
