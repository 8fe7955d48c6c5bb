"""Similar items to merge with (并案, issue 10 item 8), matched on the title and the text through the search index.

Each submitted item is indexed (`lvzhi.search`: jieba words of its title and text) when it is submitted. The
candidates — items of the same body and kind under review or in handling, this year and last, at most
CANDIDATES_MAX of them — are scored by the words they share with the item: a cosine over their indexed words, a
title word counting twice, the words every item uses (关于, 建议, 加强…, and single characters) left out. Only
candidates scoring at least THRESHOLD are offered, best first, each with its score; so a charging-pile proposal is
not offered a mental-health one because both "suggest strengthening" something.
"""

import math
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from lvzhi.search import services as search
from lvzhi.search.models import SearchEntry

from .models import Proposal

THRESHOLD = 0.25
CANDIDATES_MAX = 300
TITLE_WEIGHT = 2.0
# Words nearly every bill, suggestion or proposal uses: they say nothing about its subject.
COMMON = frozenset(
    [
        "关于",
        "建议",
        "提案",
        "议案",
        "意见",
        "加强",
        "加快",
        "进一步",
        "推进",
        "推动",
        "促进",
        "完善",
        "提升",
        "提高",
        "做好",
        "强化",
        "优化",
        "健全",
        "建立",
        "落实",
        "实施",
        "开展",
        "支持",
        "有关",
        "相关",
        "问题",
        "工作",
        "方面",
        "情况",
        "部门",
        "政府",
        "全市",
        "我市",
        "本市",
        "全区",
        "全县",
        "我们",
        "目前",
        "当前",
        "存在",
        "需要",
        "应当",
        "可以",
        "通过",
        "以及",
        "同时",
        "并且",
        "一些",
        "一是",
        "二是",
        "三是",
        "四是",
        "其中",
        "进行",
        "方式",
        "措施",
        "机制",
        "体系",
        "建设",
        "发展",
        "管理",
        "服务",
        "社会",
        "群众",
        "市民",
        "领域",
        "力度",
        "水平",
        "能力",
        "质量",
        "问题",
        "主要",
        "重要",
        "有效",
        "不断",
        "积极",
        "切实",
        "充分",
        "各级",
        "各类",
        "对于",
        "为了",
        "由于",
        "因此",
        "所以",
        "但是",
        "如果",
        "已经",
        "没有",
        "不够",
        "不足",
        "较多",
        "较为",
        "逐步",
        "继续",
    ]
)


@dataclass(frozen=True)
class Match:
    item: Proposal
    score: float  # 0…1

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def index_item(proposal: Proposal) -> None:
    """Index (or refresh) the item's title and text; call it in the service that submits or changes it."""
    search.index(proposal, title=proposal.title, text=proposal.content)


def _weights(title_tokens: str, tokens: str) -> dict[str, float]:
    title = set(title_tokens.split())
    return {
        t: TITLE_WEIGHT if t in title else 1.0
        for t in set(tokens.split()) | title
        if len(t) > 1 and t not in COMMON and not t.isdigit()
    }


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    shared = sum(a[t] * b[t] for t in a.keys() & b.keys())
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return shared / norm if norm else 0.0


def _words_of(proposal: Proposal, entries: dict) -> dict[str, float]:
    entry = entries.get(proposal.pk)
    if entry is not None:
        return _weights(*entry)
    # not indexed yet (an item from before the index): its words as the index would hold them, nothing written
    title = " ".join(search.segment(proposal.title))
    return _weights(title, title + " " + " ".join(search.segment(proposal.content)))


def similar_items(proposal: Proposal, *, limit: int = 8, threshold: float = THRESHOLD) -> list[Match]:
    """Candidates of the same body and kind scoring at least `threshold`, best first (three queries)."""
    S = Proposal.Status
    candidates = list(
        Proposal.objects.filter(
            body_id=proposal.body_id,
            kind=proposal.kind,
            status__in=[S.SUBMITTED, S.ACCEPTED, S.HANDLING],
            year__gte=proposal.year - 1,
        )
        .exclude(pk=proposal.pk)
        .select_related("proposer")
        .order_by("-submitted_at", "-pk")[:CANDIDATES_MAX]
    )
    content_type = ContentType.objects.get_for_model(Proposal)
    ids = [proposal.pk] + [c.pk for c in candidates]
    entries = {
        object_id: (title_tokens, tokens)
        for object_id, title_tokens, tokens in SearchEntry.objects.filter(
            content_type=content_type, object_id__in=ids
        ).values_list("object_id", "title_tokens", "tokens")
    }
    own = _words_of(proposal, entries)
    matches = [Match(c, _cosine(own, _words_of(c, entries))) for c in candidates if c.pk in entries]
    matches = [m for m in matches if m.score >= threshold]
    matches.sort(key=lambda m: (-m.score, -m.item.pk))
    return matches[:limit]
