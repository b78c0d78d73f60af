"""Parts the apps above evaluations add beside the review forms.

The pages list them without importing those apps (the layers): each registers in its
`AppConfig.ready` a function. `evidence_sections` take (user, evaluation) and return None or a
dict with the `template` to include and its context (the year's evidence about the subject);
`evidence_counts` take (user, evaluations) and return {evaluation pk: {"label": …, "url": …}}
for the decision page, in a fixed number of queries; `summary_links` take (user, evaluation)
and return the address of the subject's year-end summary, or "" (nothing is read).
"""

from collections.abc import Callable

evidence_sections: list[Callable[..., dict | None]] = []
evidence_counts: list[Callable[..., dict]] = []
summary_links: list[Callable[..., str]] = []


def links_for(user, evaluation) -> list[str]:
    return [url for f in summary_links if (url := f(user, evaluation))]


def sections_for(user, evaluation) -> list[dict]:
    return [s for f in evidence_sections if (s := f(user, evaluation))]


def counts_for(user, evaluations) -> dict:
    found: dict = {}
    for f in evidence_counts:
        for pk, row in f(user, evaluations).items():
            found.setdefault(pk, []).append(row)
    return found
