"""What :func:`crmkit.exercises.check` says, as plain text and as a coloured HTML box.

:class:`Result` is one check's feedback; :class:`Progress` the table of a notebook's
results. Both show the status with a label and an icon as well as a colour, so the
meaning never rests on colour alone.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

__all__ = ["STATUSES", "SCORES", "Result", "Progress"]

STATUSES = ("correct", "close", "wrong", "wrong_type", "not_answered", "error")
"""Every feedback kind :func:`check` can give."""

SCORES = {
    "correct": 1.0,
    "close": 0.5,
    "wrong": 0.0,
    "wrong_type": 0.0,
    "not_answered": 0.0,
    "error": 0.0,
}
"""Points per feedback kind (used by :func:`progress` and by grading)."""

_LABEL = {
    "correct": "Correct",
    "close": "Close",
    "wrong": "Not yet",
    "wrong_type": "Wrong type or shape",
    "not_answered": "Not answered yet",
    "error": "Could not check",
}
_ICON = {
    "correct": "\u2714",
    "close": "\u2248",
    "wrong": "\u2718",
    "wrong_type": "?",
    "not_answered": "\u2026",
    "error": "!",
}
# Okabe-Ito based colours; the label and icon carry the meaning too (not colour alone).
_COLOUR = {
    "correct": ("#00734d", "#e6f4ee"),
    "close": ("#a35200", "#fdf0e1"),
    "wrong": ("#b3261e", "#fbeaea"),
    "wrong_type": ("#5b3f9e", "#efeaf8"),
    "not_answered": ("#4d5866", "#f0f2f4"),
    "error": ("#4d5866", "#fff8d6"),
}


@dataclass(frozen=True)
class Result:
    """The feedback of one :func:`check`: plain text as ``repr``, a coloured box as HTML."""

    question: str
    status: str
    message: str
    hint: str = ""
    title: str = ""

    @property
    def score(self) -> float:
        return SCORES.get(self.status, 0.0)

    @property
    def label(self) -> str:
        return _LABEL.get(self.status, self.status)

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __str__(self) -> str:
        head = f"{self.question} \u00b7 {self.label}"
        if self.title:
            head += f" ({self.title})"
        text = f"{head}: {self.message}"
        if self.hint:
            text += f"\nHint: {self.hint}"
        return text

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        fg, bg = _COLOUR.get(self.status, _COLOUR["error"])
        esc = html.escape
        title = f" <span style='color:#333'>{esc(self.title)}</span>" if self.title else ""
        hint = (
            f"<div style='margin-top:.25em'><em>Hint:</em> {esc(self.hint)}</div>"
            if self.hint
            else ""
        )
        return (
            f"<div class='crmkit-check crmkit-{esc(self.status)}' style='border-left:6px solid "
            f"{fg};background:{bg};padding:.45em .8em;margin:.3em 0;border-radius:4px;"
            f"color:#1f2328'><strong style='color:{fg}'>{esc(_ICON.get(self.status, ''))} "
            f"{esc(self.label)}</strong> \u00b7 <code>{esc(self.question)}</code>{title}"
            f"<div style='margin-top:.25em'>{esc(self.message)}</div>{hint}</div>"
        )

    def as_dict(self) -> dict:
        return {
            "question": self.question,
            "status": self.status,
            "score": self.score,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True)
class Progress:
    """The results of one exercise set so far: a table and a one-line summary."""

    exercise: str
    rows: tuple  # (question id, title, section, status)

    @property
    def score(self) -> float:
        return sum(SCORES.get(r[3], 0.0) for r in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        out = {}
        for r in self.rows:
            out[r[3]] = out.get(r[3], 0) + 1
        return out

    def summary(self) -> str:
        n = len(self.rows)
        if not n:
            return "No questions checked yet."
        c = self.counts
        parts = [f"{c.get('correct', 0)} of {n} correct"]
        for status in ("close", "wrong", "wrong_type", "error"):
            if c.get(status):
                parts.append(f"{c[status]} {_LABEL[status].lower()}")
        if c.get("not_answered"):
            parts.append(f"{c['not_answered']} not answered yet")
        name = f"Exercise {self.exercise}: " if self.exercise else ""
        return f"{name}{', '.join(parts)} \u2014 score {self.score:g} / {n}"

    def __str__(self) -> str:
        lines = [self.summary()]
        for qid, title, section, status in self.rows:
            lines.append(f"  {qid:<8} {_LABEL.get(status, status):<20} {section}  {title}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        esc = html.escape
        body = []
        for qid, title, section, status in self.rows:
            fg, bg = _COLOUR.get(status, _COLOUR["error"])
            body.append(
                f"<tr><td><code>{esc(qid)}</code></td><td>{esc(title)}</td>"
                f"<td style='text-align:center'>{esc(section)}</td>"
                f"<td style='background:{bg};color:{fg};font-weight:bold'>"
                f"{esc(_ICON.get(status, ''))} {esc(_LABEL.get(status, status))}</td></tr>"
            )
        return (
            f"<div class='crmkit-progress'><p><strong>{esc(self.summary())}</strong></p>"
            "<table><thead><tr><th>question</th><th>about</th><th>section</th>"
            f"<th>result</th></tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        )

    def as_dict(self) -> dict:
        return {
            "exercise": self.exercise,
            "score": self.score,
            "questions": {r[0]: r[3] for r in self.rows},
        }
