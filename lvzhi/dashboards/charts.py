"""A chart as data: what ECharts draws (`static/dashboards/dashboards.js`), the table under it, the sentence a screen
reader reads and the Excel sheet — all from one `Chart`, so the picture and the figures cannot disagree."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class Chart:
    name: str  # a slug: the element's id, the Excel sheet
    title: str
    kind: str  # bar | hbar | stack | line | funnel | pie | heatmap
    categories: list[str]
    series: list[tuple[str, list]]  # (label, one value per category)
    summary: str = ""
    category_label: str = ""
    percent: bool = False  # values are percentages
    links: list[str] = field(default_factory=list)  # drill-down link per category ("" for none)
    columns: list[str] = field(default_factory=list)  # heatmap: the column labels (series are the rows)

    def __post_init__(self):
        if self.kind not in {"bar", "hbar", "stack", "line", "funnel", "pie", "heatmap"}:
            raise ValueError(self.kind)

    @property
    def data_id(self) -> str:
        return f"chart-data-{self.name}"

    @property
    def empty(self) -> bool:
        return not self.categories or not any(v for _label, values in self.series for v in values if v)

    def headers(self) -> list[str]:
        if self.kind == "heatmap":
            return [self.category_label or _("Unit"), *self.columns]
        return [self.category_label or _("Item"), *(label for label, _values in self.series)]

    def rows(self) -> list[list]:
        """The data table: one row per category (heatmap: per series), first cell the category."""
        if self.kind == "heatmap":
            return [[label, *values] for label, values in self.series]
        return [[cat, *(values[i] for _label, values in self.series)] for i, cat in enumerate(self.categories)]

    def table(self) -> list[dict]:
        links = self.links or [""] * len(self.rows())
        return [{"cells": row, "link": links[i] if i < len(links) else ""} for i, row in enumerate(self.rows())]

    def option(self) -> dict:
        """What the page script needs to build the ECharts option (no code, only data)."""
        return {
            "kind": self.kind,
            "title": self.title,
            "categories": self.categories,
            "columns": self.columns,
            "series": [{"name": label, "data": values} for label, values in self.series],
            "percent": self.percent,
            "links": self.links,
        }


def rate(part: int, whole: int) -> float | None:
    """A percentage with one decimal, None without a denominator."""
    return round(100.0 * part / whole, 1) if whole else None


def pct_text(value) -> str:
    return "—" if value is None else f"{value}%"
