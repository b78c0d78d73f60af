"""Sections the apps above members add to a member's page.

The page lists them without importing those apps: each registers a function in its
`AppConfig.ready` that takes (user, member) and returns the context its part of
`members/detail.html` reads.
"""

from collections.abc import Callable

detail_sections: list[Callable[..., dict]] = []
