"""Sections the apps above discipline add to a decision's page (where it started, …).

As for a member's page (apps/members/pages.py): each app registers, in its AppConfig.ready, a
function taking (user, discipline) and returning the context its part of `discipline/detail.html`
reads, so this app imports none of them.
"""

from collections.abc import Callable

detail_sections: list[Callable[..., dict]] = []
