"""Mail HTML made inert for staff: nh3 keeps formatting tags and drops everything active.

Scripts, styles, event handlers, forms, frames, `<base>`, `<meta>` and comments go; links keep
only absolute http(s) and mailto targets; images keep only inline raster `data:` sources, so a
remote tracking pixel never loads. The page shows the result in a sandboxed `srcdoc` iframe
under the app's Content-Security-Policy as a second wall.
"""

from __future__ import annotations

import re

import nh3

MAX_HTML_CHARS = 1_000_000
_TAGS = set(nh3.ALLOWED_TAGS) - {"area", "map"}
_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "*": {"dir", "lang"},
}
_SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
_SAFE_IMAGE = re.compile(r"^data:image/(png|gif|jpeg|webp);base64,[a-z0-9+/=\s]*$", re.IGNORECASE)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value if _SAFE_LINK.match(value.strip()) else None
    if tag == "img" and attribute == "src":
        return value if _SAFE_IMAGE.match(value.strip()) else None
    return value


def sanitize(html: str) -> str:
    """Inert HTML for display; never raises on hostile or broken input."""
    return nh3.clean(
        html[:MAX_HTML_CHARS],
        tags=_TAGS,
        clean_content_tags={
            "script",
            "style",
            "template",
            "noscript",
            "title",
            "textarea",
            "iframe",
            "object",
            "svg",
            "math",
        },
        attributes=_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto", "data"},
        strip_comments=True,
        link_rel="noopener noreferrer nofollow",
    )
