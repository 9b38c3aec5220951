"""Template filters of the programs pages."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def paragraphs(text: str | None) -> SafeString:
    """Plain text with light structure, as the strategy field asks for: paragraphs separated by
    a blank line, lines starting with "- " as a bulleted list. Everything is escaped."""
    blocks = [block.strip("\n") for block in (text or "").replace("\r\n", "\n").split("\n\n")]
    html = []
    for block in blocks:
        if not block.strip():
            continue
        lines = block.split("\n")
        if all(line.lstrip().startswith("- ") for line in lines if line.strip()):
            items = "".join(
                f"<li>{escape(line.lstrip()[2:].strip())}</li>" for line in lines if line.strip()
            )
            html.append(f"<ul>{items}</ul>")
        else:
            html.append("<p>" + "<br>".join(escape(line) for line in lines) + "</p>")
    return mark_safe("".join(html))  # noqa: S308 - every piece of text above is escaped
