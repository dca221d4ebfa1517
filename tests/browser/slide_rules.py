"""What a projected slide must satisfy, measured in the browser; shared by the static and live decks.

`measure(page, root, scale)` reads the slide under the CSS selector `root` as the audience sees it:
the smallest body text and code in screen pixels (CSS px x the deck's scale x devicePixelRatio, so a
zoomed or scaled deck is measured as projected), and the places that break a rule. `broken(m)` turns
a measurement into the list of broken rules, each naming the slide's text where it happens:

- body text (prose, headings, table cells) >= MIN_BODY_PX, code and printed output (and widget
  controls) >= MIN_CODE_PX; maths typeset by MathJax and HTML sub/superscripts are not counted
  (indices are smaller by design);
- nothing cut off: no element reaches outside the screen (the slide fills it), no code line or output is wider than
  its box (`scrollWidth > clientWidth`);
- no code or output wrapped: each `pre` and code editor renders as many lines as its text has (a
  wrapped line is how "t = 2 / 87" and a number split across two lines happen).
"""
from __future__ import annotations

MIN_BODY_PX = 28
MIN_CODE_PX = 22

CODE = ("pre, code, kbd, samp, .cm-editor, .CodeMirror, .jp-OutputArea-output, .widget-subarea, "
        ".jupyter-widgets")
SKIP = ("script, style, aside.notes, sub, sup, .MathJax, .MathJax_Display, .MathJax_Preview, .mjx-chtml, "
        "mjx-container, .MJX_Assistive_MathML, .jp-InputPrompt, .jp-OutputPrompt, .jp-Collapser")

MEASURE = """([root, scale, code, skip]) => {
  const slide = document.querySelector(root);
  if (!slide) return {missing: root};
  const zoom = scale * window.devicePixelRatio;
  const box = {left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight};  // the screen
  const visible = el => {
    for (let e = el; e && e !== slide.parentElement; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden' || Number(cs.opacity) === 0) return false;
    }
    return true;
  };
  const small = {body: null, code: null};
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest(skip) || !visible(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const kind = el.closest(code) ? 'code' : 'body';
    const px = parseFloat(getComputedStyle(el).fontSize) * zoom;
    if (small[kind] === null || px < small[kind].px)
      small[kind] = {px: Math.round(px * 10) / 10, text: text.slice(0, 40)};
  }
  const cut = [];
  for (const el of slide.querySelectorAll('*')) {
    if (el.closest(skip) || !visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const what = (el.innerText || el.getAttribute('alt') || el.tagName).trim().slice(0, 40);
    if (r.right > box.right + 2 || r.bottom > box.bottom + 2 || r.left < box.left - 2)
      cut.push('outside the slide: ' + what);
    else if ((el.matches('pre, .cm-content, .cm-scroller, .jp-OutputArea-output')
              && el.scrollWidth > el.clientWidth + 2))
      cut.push('line cut off: ' + what);
  }
  const wrapped = [];
  for (const el of slide.querySelectorAll('pre, .cm-line')) {
    if (el.closest(skip) || !visible(el) || el.querySelector('pre')) continue;
    const lines = el.matches('.cm-line') ? 1 : el.textContent.replace(/\\n$/, '').split('\\n').length;
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0)
                         .map(r => Math.round(r.bottom / 4)));
    if (tops.size > lines) wrapped.push(el.textContent.trim().slice(0, 40));
  }
  return {body: small.body, code: small.code, cut: [...new Set(cut)].slice(0, 5),
          wrapped: wrapped.slice(0, 5), heading: (slide.querySelector('h1, h2, h3') || {}).textContent};
}"""


def measure(page, root: str, scale: float = 1.0) -> dict:
    """Measure the slide at CSS selector `root` (see the module docstring)."""
    return page.evaluate(MEASURE, [root, scale, CODE, SKIP])


def broken(m: dict) -> list[str]:
    """The rules measurement `m` breaks, as readable sentences (empty: the slide is fine)."""
    if "missing" in m:
        return [f"no slide at {m['missing']}"]
    found = []
    if m["body"] and m["body"]["px"] < MIN_BODY_PX:
        found.append(f"body text {m['body']['px']} px < {MIN_BODY_PX} px: {m['body']['text']!r}")
    if m["code"] and m["code"]["px"] < MIN_CODE_PX:
        found.append(f"code {m['code']['px']} px < {MIN_CODE_PX} px: {m['code']['text']!r}")
    found += m["cut"]
    found += [f"wrapped: {text!r}" for text in m["wrapped"]]
    return found
