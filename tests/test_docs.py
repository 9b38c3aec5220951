"""The documentation never points at a missing file.

Every relative link and image in README.md and docs/**/*.md (Markdown ``[text](target)``,
``![alt](target)``, reference definitions ``[name]: target`` and HTML ``src``/``href``) must
resolve to a file or directory in the checkout, so the guides never show a broken screenshot.
Links inside fenced code blocks and inline code are examples, not links, and are skipped.
"""

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted([ROOT / "README.md", *ROOT.joinpath("docs").rglob("*.md")])

INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$", re.MULTILINE)
HTML = re.compile(r"""<(?:img|a|source)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']""", re.I)
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,}).*?^\1\2[ \t]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.I)


def prose(text: str) -> str:
    """The text without fenced code blocks and inline code."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def targets(text: str) -> list[str]:
    text = prose(text)
    found = INLINE.findall(text) + REFERENCE.findall(text) + HTML.findall(text)
    return [target for target in found if not EXTERNAL.match(target)]


def missing_targets(document: Path) -> list[str]:
    missing = []
    for target in targets(document.read_text(encoding="utf-8")):
        path = unquote(target.split("#", 1)[0].split("?", 1)[0])
        resolved = (ROOT / path.lstrip("/")) if path.startswith("/") else document.parent / path
        if not resolved.exists():
            missing.append(target)
    return missing


def test_the_documents_are_found():
    names = {str(document.relative_to(ROOT)) for document in DOCUMENTS}
    assert {"README.md", "docs/operations.md", "docs/development.md"} <= names


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: str(d.relative_to(ROOT)))
def test_every_relative_link_and_image_resolves(document):
    assert missing_targets(document) == [], f"{document.relative_to(ROOT)} links to missing files"


def test_a_missing_image_or_link_is_reported(tmp_path):
    document = tmp_path / "guide.md"
    document.write_text(
        "![Login](../screenshots/nowhere.png) [ok](guide.md) [web](https://example.org)\n"
        '[top](#top) <img src="missing.png" alt=""> `[code](not-a-link.md)`\n'
        "```\n![example](also-not-a-link.png)\n```\n[ref]: gone.md\n",
        encoding="utf-8",
    )
    assert missing_targets(document) == ["../screenshots/nowhere.png", "gone.md", "missing.png"]
