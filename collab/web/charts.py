"""The equity chart's geometry: one horizontal bar per group, split by where its comments stand.
The template draws it as SVG; the same figures stand in the table beside it."""
from __future__ import annotations

SEGMENTS = (
    ("accepted", "Accepted", "#1b7837"),
    ("accepted_with_changes", "Accepted with changes", "#7fbf7b"),
    ("declined", "Declined", "#b2182b"),
    ("deferred", "Deferred", "#f1a340"),
    ("noted", "Noted", "#8c8c8c"),
    ("open", "Still open", "#d4dae4"),
)
# The group's name stands above its bar, so the chart stays narrow enough to read on a phone.
LABEL_HEIGHT = 18
BAR_WIDTH = 340
ROW_HEIGHT = 50
BAR_HEIGHT = 20


def equity_bars(groups: list[dict]) -> dict:
    """Rows for the groups that commented: each segment's x and width in a 0..BAR_WIDTH bar."""
    rows = []
    for index, group in enumerate(g for g in groups if g["comments"]):
        x = 0.0
        segments = []
        for key, label, colour in SEGMENTS:
            count = group[key]
            if not count:
                continue
            width = BAR_WIDTH * count / group["comments"]
            segments.append({"key": key, "label": label, "colour": colour, "count": count,
                             "x": round(x, 2), "width": round(width, 2)})
            x += width
        rows.append({"name": group["name"], "comments": group["comments"], "flags": group["flags"],
                     "label_y": 4 + index * ROW_HEIGHT + LABEL_HEIGHT - 4,
                     "y": 4 + index * ROW_HEIGHT + LABEL_HEIGHT, "segments": segments})
    return {"rows": rows, "width": BAR_WIDTH + 50, "height": 8 + max(len(rows), 1) * ROW_HEIGHT,
            "bar_width": BAR_WIDTH, "bar_height": BAR_HEIGHT,
            "legend": [{"key": k, "label": label, "colour": c} for k, label, c in SEGMENTS]}
