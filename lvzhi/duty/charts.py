"""Small charts drawn on the server as SVG (no script, nothing from outside): a bar chart and a line chart."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

W, H, PAD = 320, 160, 24


def bar_chart(pairs, *, label="") -> str:
    """pairs: [(label, value)] → an SVG bar chart (inline markup)."""
    pairs = list(pairs)
    top = max([v for _l, v in pairs] + [1])
    n = max(len(pairs), 1)
    bw = (W - 2 * PAD) / n
    parts = [
        f'<svg class="chart" width="100%" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (name, value) in enumerate(pairs):
        h = (H - 2 * PAD) * value / top
        x, y = PAD + i * bw, H - PAD - h
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{y:.1f}" width="{max(bw - 4, 1):.1f}" height="{h:.1f}" fill="#b22222">'
            f"<title>{escape(name)}: {value}</title></rect>"
        )
        parts.append(f'<text x="{x + bw / 2:.1f}" y="{H - 8}" font-size="8" text-anchor="middle">{escape(name)}</text>')
        parts.append(f'<text x="{x + bw / 2:.1f}" y="{y - 2:.1f}" font-size="9" text-anchor="middle">{value}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every label and value is escaped)


def line_chart(points, *, label="") -> str:
    """points: [(label, value)] in order → an SVG line chart with dots (e.g. a member's points month by month)."""
    points = list(points)
    top = max([v for _l, v in points] + [1])
    low = min([v for _l, v in points] + [0])
    span = max(top - low, 1)
    n = max(len(points) - 1, 1)
    coords = [
        (PAD + i * (W - 2 * PAD) / n, H - PAD - (H - 2 * PAD) * (v - low) / span) for i, (_l, v) in enumerate(points)
    ]
    parts = [
        f'<svg class="chart" width="100%" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - PAD}" y2="{H - PAD}" stroke="#999"/>',
    ]
    if coords:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#b22222" stroke-width="2"/>')
    for (x, y), (name, value) in zip(coords, points, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#b22222"><title>{escape(name)}: {value}</title></circle>'
        )
        parts.append(f'<text x="{x:.1f}" y="{H - 8}" font-size="8" text-anchor="middle">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every label and value is escaped)
