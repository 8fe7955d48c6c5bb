"""Splitting the pasted text of a draft regulation into its articles (第X条), with the chapter (第X章) each falls in."""

import re
from dataclasses import dataclass

NUMERAL = "一二三四五六七八九十百千零〇两0-9０-９"
ARTICLE = re.compile(rf"^\s*(第[{NUMERAL}]+条(?:之[{NUMERAL}]+)?)[\s　]*(.*)$")
CHAPTER = re.compile(rf"^\s*(第[{NUMERAL}]+[章节])[\s　]*(.*)$")
MAX_ARTICLES = 500


@dataclass
class ParsedArticle:
    label: str
    chapter: str
    text: str


def split_articles(text: str) -> tuple[str, list[ParsedArticle]]:
    """(the text before the first article, the articles in order). Lines after an article belong to it (its
    paragraphs and items) until the next article or chapter heading."""
    preamble, articles, chapter = [], [], ""
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        heading = CHAPTER.match(line)
        if heading:
            chapter = " ".join(part for part in heading.groups() if part).strip()
            continue
        start = ARTICLE.match(line)
        if start:
            articles.append(ParsedArticle(start.group(1), chapter, start.group(2).strip()))
        elif articles:
            articles[-1].text = f"{articles[-1].text}\n{line.strip()}".strip()
        else:
            preamble.append(line.strip())
    return "\n".join(preamble), articles
