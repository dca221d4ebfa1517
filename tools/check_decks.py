#!/usr/bin/env python3
"""Check that a built slide deck loads nothing from outside its folder.

    python3 -m tools.check_decks [DECK.slides.html ...]     (default: build/slides/*.slides.html)

Reads what the deck's HTML would load: `src`/`href`/`data` attributes of the elements that fetch
(`script`, `link`, `img`, `iframe`, `source`, `video`, `audio`, `embed`, `object`, `track`), `url()`
and `@import` in `<style>` blocks, `style` attributes and every local stylesheet they reach, and
quoted paths and URLs in inline scripts (the `require([...])` list, the widget renderer URL, module
imports). A reference is a problem when it goes to a host other than 127.0.0.1, is protocol-relative
or absolute (`//cdn...`, `/x.js`), leaves the deck folder (`../`), or names a file that is missing.
Plain links (`<a href>`) are not loads and are not checked.

Fonts and icons: local stylesheets are followed to their `url()` fonts (a missing one is a problem).
The widget renderer's own fonts (Font Awesome: the Play/Stop/Repeat icons) are loaded by webpack
from the folder of the AMD module that asks for them, which require.js derives from the module's
name; so each module the renderer defines must be mapped (the deck's `adam-edu-require-paths`) to a
folder that holds every font file the renderer names. Exit status 1 lists the problems.
"""
from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
LOADING_TAGS = {"script", "link", "img", "iframe", "source", "video", "audio", "embed", "object",
                "track", "input"}
LOADING_ATTRS = {"src", "href", "data", "poster", "srcset"}
JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/x-mathjax-config"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)|@import\s+(['"])([^'"]+)\3""")
JS_STRING = re.compile(r"""(['"])((?:https?:)?//[^'"\s]+|[^'"\s]+\.(?:js|css|mjs)(?:\?[^'"\s]*)?)\1""")
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
INERT = ("data:", "blob:", "about:", "javascript:", "mailto:", "#")
RENDERER = re.compile(r"""widgetRendererSrc = '([^']+)'""")
REQUIRE_PATHS = re.compile(r"""<script id="adam-edu-require-paths" type="application/json">(.*?)</script>""", re.S)
AMD_DEFINE = re.compile(r"""define\(\s*["'](@[^"']+)["']""")
FONT_FILE = re.compile(r"""[0-9a-f]{16,}\.(?:woff2?|ttf|eot|otf)\b""")


class _Refs(HTMLParser):
    """Collect (where, reference) pairs from an HTML document."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []
        self.css: list[str] = []
        self._in = None  # "script" / "style" while inside one whose text we read

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in LOADING_TAGS:
            for name in LOADING_ATTRS & attrs.keys():
                if tag == "link" and attrs.get("rel") in ("canonical", "alternate"):
                    continue
                for ref in (attrs[name] or "").split(",") if name == "srcset" else [attrs[name]]:
                    if ref and ref.strip():
                        self.refs.append((f"<{tag} {name}>", ref.strip().split()[0]))
        if attrs.get("style"):
            self.css.append(attrs["style"])
        is_js = tag == "script" and (attrs.get("type") or "").lower() in JS_TYPES
        self._in = "script" if is_js else "style" if tag == "style" else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.css.append(data)
        elif self._in == "script":
            self.refs.extend(("inline <script>", m.group(2)) for m in JS_STRING.finditer(data))


def css_refs(text: str) -> list[str]:
    text = CSS_COMMENT.sub("", text)
    return [m.group(2) or m.group(4) for m in CSS_URL.finditer(text) if m.group(2) or m.group(4)]


def classify(ref: str, base: Path, root: Path) -> tuple[str | None, Path | None]:
    """Return (problem or None, local file or None) for one reference made from folder `base`."""
    if ref.startswith(INERT):
        return None, None
    parts = urlsplit(ref)
    if parts.scheme in ("http", "https") or ref.startswith("//"):
        if parts.hostname == "127.0.0.1":
            return None, None
        return f"loads {ref!r} from the network", None
    if parts.scheme:
        return f"uses the {parts.scheme}: scheme in {ref!r}", None
    if parts.path.startswith("/"):
        return f"uses the absolute path {ref!r}; deck references must be relative", None
    target = (base / unquote(parts.path)).resolve()
    if not target.is_relative_to(root.resolve()):
        return f"{ref!r} points outside the deck folder {root}", None
    if not target.is_file():
        return f"{ref!r} names a file that does not exist ({target})", None
    return None, target


def widget_font_problems(html: str, deck: Path, root: Path) -> list[str]:
    """Font files of the widget renderer that its modules would request from a folder lacking them."""
    renderer = RENDERER.search(html)
    problem, script = classify(renderer.group(1), deck.parent, root) if renderer else (None, None)
    if problem or script is None:  # no widgets, or a bad renderer URL (reported as a reference)
        return []
    paths = REQUIRE_PATHS.search(html)
    paths = json.loads(paths.group(1)) if paths else {}
    text = script.read_text(encoding="utf-8", errors="replace")
    fonts = sorted(set(FONT_FILE.findall(text)))
    found = []
    for module in sorted(set(AMD_DEFINE.findall(text))):
        folder = (deck.parent / paths.get(module, module)).parent.resolve()
        missing = [font for font in fonts if not (folder / font).is_file()]
        if missing:
            shown = folder.relative_to(root.resolve()) if folder.is_relative_to(root.resolve()) else folder
            found.append(f"widget module {module!r} loads its fonts from {shown}/, which lacks "
                         f"{missing[0]} and {len(missing) - 1} more: its icons would be empty boxes")
    return found


def problems(deck: Path, root: Path | None = None) -> list[str]:
    """Every reference of `deck` (and of the stylesheets it loads) that leaves `root`."""
    root = (root or deck.parent).resolve()
    html = deck.read_text(encoding="utf-8")
    parser = _Refs()
    parser.feed(html)
    found = widget_font_problems(html, deck, root)
    todo = [(where, ref, deck.parent) for where, ref in parser.refs]
    todo += [("<style>", ref, deck.parent) for text in parser.css for ref in css_refs(text)]
    seen: set[Path] = set()
    while todo:
        where, ref, base = todo.pop()
        problem, target = classify(ref, base, root)
        if problem:
            found.append(f"{where}: {problem}")
        elif target and target.suffix == ".css" and target not in seen:
            seen.add(target)
            todo += [(f"{target.relative_to(root)}", r, target.parent)
                     for r in css_refs(target.read_text(encoding="utf-8", errors="replace"))]
    return sorted(set(found))


def main(argv: list[str]) -> int:
    decks = [Path(a) for a in argv] or sorted((ROOT / "build" / "slides").glob("*.slides.html"))
    if not decks:
        print("No decks to check; build them with `python3 course.py slides`.")
        return 1
    bad = 0
    for deck in decks:
        found = problems(deck)
        bad += bool(found)
        print(f"{deck}: " + ("ok" if not found else "\n  " + "\n  ".join(found)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
