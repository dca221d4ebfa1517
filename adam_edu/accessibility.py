"""What a playground tells a screen reader: a worded name for each control, the figure in words.

Three gaps of ipywidgets 8 that a course cannot leave open, and how the playgrounds close them:

* A control's visible label is often only a symbol (``β1``). Every control gets a *spoken name*
  with words, ``"β1: decay rate of the first moment"``: its own ``tooltip`` if it has one, else
  the entry of :data:`SPOKEN` for its name in ``controls()`` (names follow the maths, so one table
  serves every playground). ipywidgets shows it as the label's hover text.
* A slider's handle (``role="slider"``) is not tied to its label, and the play widget's buttons
  show only an icon, so a screen reader announces "slider" and "button" with no name. The kernel
  cannot set ARIA attributes, so :data:`NAME_CONTROLS_JS` does it in the page: a hidden Output
  widget of the playground carries it (front ends run an Output widget's JavaScript as trusted),
  so it runs wherever the playground is rendered live, and again whenever a view is re-rendered.
* The figure is a PNG, and ipywidgets' Image has no ``alt`` (and fails to render with a
  ``tooltip``: ipywidgets 8.1 reads the description it does not have). :func:`figure_text` gives
  its text alternative: what the figure shows (the playground's ``figure_description``) and the
  readout now, so it follows every move. The playground keeps it in a hidden HTML widget, and
  the same script copies it to the image's ``alt`` whenever it changes.

Taught in lessons/00_welcome.ipynb (playgrounds by keyboard and screen reader).
"""
from __future__ import annotations

import html
import re

# Control name in a playground's controls() -> its spoken name: the symbol, then what it is.
SPOKEN = {
    "lr": "α: step size (learning rate)",
    "lr_plain": "α uncorrected: step size of the run without bias correction",
    "lr_adam": "Adam α: Adam's step size",
    "lr_sgd": "SGD α: SGD's step size",
    "manual": "manual α: step size chosen by hand",
    "beta": "β: decay rate of the exponential moving average",
    "beta1": "β1: decay rate of the first moment m",
    "beta2": "β2: decay rate of the second moment v",
    "sigma": "noise σ: standard deviation of the gradient noise",
    "corrected": "bias correction: on or off",
    "bias_correction": "highlight: which run is drawn thick and described first",
    "gradients": "gradients: constant or noisy",
    "steps": "steps: number of steps run",
    "step": "step k: the step shown",
    "problem": "objective: the function minimised",
    "kappa": "valley κ: condition number of the valley",
    "angle": "angle: rotation of the valley in degrees",
    "group": "optimizers: which optimizers are compared",
    "mode": "α mode: each optimizer's tuned step size or one chosen by hand",
    "optimizer": "optimizer: the update rule",
    "batch_size": "batch size: examples per gradient",
    "schedule": "schedule: how the step size changes over training",
    "epochs": "epochs: passes over the training data",
    "page": "misclassified: page of misclassified examples shown",
}

# Names the page gives the play widget's icon-only buttons, by their Font Awesome icon.
PLAY_BUTTONS = {"fa-play": "play", "fa-pause": "pause", "fa-stop": "stop",
                "fa-retweet": "repeat (loop)"}

NAME_CONTROLS_JS = """
(function (output) {
  const PLAY = %(play)s;
  function name(root) {
    const text = root.querySelector('.adam-edu-figure-text');
    const img = root.querySelector('img.adam-edu-figure');
    if (text && img && img.alt !== text.textContent.trim()) img.alt = text.textContent.trim();
    for (const slider of root.querySelectorAll('.widget-slider, .widget-hslider')) {
      const label = slider.querySelector('.widget-label');
      const spoken = label && (label.title || label.textContent.trim());
      if (!spoken) continue;
      for (const handle of slider.querySelectorAll('[role=slider]'))
        if (handle.getAttribute('aria-label') !== spoken) handle.setAttribute('aria-label', spoken);
      for (const readout of slider.querySelectorAll('.widget-readout'))
        if (readout.getAttribute('aria-label') !== spoken + ': value')
          readout.setAttribute('aria-label', spoken + ': value');
    }
    for (const icon of root.querySelectorAll('.widget-play button i')) {
      const kind = [...icon.classList].find(c => c in PLAY);
      const button = icon.closest('button');
      if (kind && button.getAttribute('aria-label') !== PLAY[kind])
        button.setAttribute('aria-label', PLAY[kind]);
    }
  }
  function attach(tries) {
    const root = output.closest('.adam-edu-playground');
    if (!root) return tries && requestAnimationFrame(() => attach(tries - 1));  // not shown yet
    if (root.dataset.adamEduNamed) return;
    root.dataset.adamEduNamed = 'yes';
    name(root);
    new MutationObserver(() => name(root))
      .observe(root, {childList: true, subtree: true, characterData: true});
  }
  if (output) attach(600);
})(typeof element === 'undefined' ? null : element);  // element: the output's node (JupyterLab)
""" % {"play": repr(PLAY_BUTTONS).replace("'", '"')}


def spoken_name(name: str, control) -> str:
    """The worded name of the control called ``name`` in ``controls()``.

    Examples
    --------
    >>> import ipywidgets as w
    >>> spoken_name("beta1", w.FloatSlider(description="β1"))
    'β1: decay rate of the first moment m'
    >>> spoken_name("x", w.FloatSlider(description="x", tooltip="x: where the run starts"))
    'x: where the run starts'
    """
    own = getattr(control, "tooltip", None)
    return own or SPOKEN.get(name) or getattr(control, "description", "") or name


def has_words(text: str) -> bool:
    """True when ``text`` holds a word of three or more letters, not only symbols.

    >>> has_words("β1"), has_words("β1: decay rate")
    (False, True)
    """
    return re.search(r"[A-Za-z]{3,}", text) is not None


def readout_text(readout_html: str) -> str:
    """Plain text of a readout's HTML: subscripts as ``_t``, line breaks and table rows as ``;``.

    >>> readout_text("m̂<sub>1</sub> = 1.0<br><b>step</b> 0.1")
    'm̂_1 = 1.0; step 0.1'
    """
    text = re.sub(r"<sub>(.*?)</sub>", r"_\1", readout_html)
    text = re.sub(r"<br\s*/?>|</tr>", "; ", text)
    text = re.sub(r"</t[dh]>", " ", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return re.sub(r"\s*;\s*(;\s*)*", "; ", re.sub(r"[ \t\n]+", " ", text)).strip(" ;")


def figure_text(description: str, readout_html: str) -> str:
    """The figure's text alternative: what it shows, then the readout as it is now.

    >>> figure_text("Left: a curve.", "α = 0.1<br>f = 2")
    'Figure. Left: a curve. Now: α = 0.1; f = 2'
    """
    return f"Figure. {description} Now: {readout_text(readout_html)}"
