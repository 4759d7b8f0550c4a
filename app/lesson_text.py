"""A lesson's text as Qt rich text: paragraphs, lists and `code` spans.

No Qt here. Lesson files keep their text as light Markdown: a blank line starts a paragraph,
lines starting with ``- `` make a list, and text in backticks is code. Everything else is
escaped, so ``x[0] < 3`` reads as written.
"""

from __future__ import annotations

import html
import re

CODE_SPAN = re.compile(r"`([^`\n]+)`")
LIST_ITEM = re.compile(r"^\s*[-*]\s+")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
BLOCK_STYLE = "margin-top: 0px; margin-bottom: 8px;"
"""Qt's rich text puts 12 px around a paragraph; 8 below and none above reads closer."""


def inline_html(text: str, code_style: str) -> str:
    """``text`` escaped, each `code` span a ``<span>`` in ``code_style`` (inline CSS)."""
    pieces = []
    position = 0
    for match in CODE_SPAN.finditer(text):
        pieces.append(html.escape(text[position : match.start()], quote=False))
        code = html.escape(match.group(1), quote=False)
        pieces.append(f'<span style="{code_style}">{code}</span>')
        position = match.end()
    pieces.append(html.escape(text[position:], quote=False))
    return "".join(pieces)


def lesson_html(text: str, code_style: str) -> str:
    """``text`` as rich text: a paragraph per blank-line block, ``- `` lines as a list.

    The lines of a paragraph join with a space, as in Markdown, so a teacher can wrap the
    text in the file at any width; an indented line after a list item continues the item.
    """
    blocks = []
    for paragraph in PARAGRAPH_BREAK.split(text.strip()):
        words: list[str] = []  # the plain lines of the paragraph so far
        items: list[str] = []  # the list items so far, each its lines joined
        for line in paragraph.splitlines():
            if not line.strip():
                continue
            if LIST_ITEM.match(line):
                blocks += _paragraph(words, code_style)
                words = []
                items.append(LIST_ITEM.sub("", line).strip())
            elif items and line[:1].isspace():
                items[-1] += " " + line.strip()
            else:
                blocks += _list(items, code_style)
                items = []
                words.append(line.strip())
        blocks += _paragraph(words, code_style) + _list(items, code_style)
    return "".join(blocks)


def _paragraph(lines: list[str], code_style: str) -> list[str]:
    if not lines:
        return []
    return [f'<p style="{BLOCK_STYLE}">{inline_html(" ".join(lines), code_style)}</p>']


def _list(items: list[str], code_style: str) -> list[str]:
    if not items:
        return []
    body = "".join(f"<li>{inline_html(item, code_style)}</li>" for item in items)
    return [f'<ul style="{BLOCK_STYLE}">{body}</ul>']


def code_html(code: str, indent_px: int) -> str:
    """Lines of code as rich text: spaces kept, a wrapped line's rest indented ``indent_px``.

    A long line in a narrow dock wraps, and the hanging indent shows the wrap is not a
    new line.
    """
    style = (
        f"margin-top: 0px; margin-bottom: 0px; margin-left: {indent_px}px; "
        f"text-indent: -{indent_px}px; white-space: pre-wrap;"
    )
    return "".join(
        f'<p style="{style}">{html.escape(line, quote=False) or "&nbsp;"}</p>'
        for line in code.splitlines()
    )
