"""The tree's path helpers: one place knows the segment width."""

import pytest

from apps.organizations.models import line_paths


@pytest.mark.django_db
def test_line_paths_run_from_the_root_to_the_organization(tree):
    cell = tree["cell_a"]
    assert line_paths(cell.path) == [tree["province"].path, tree["ward"].path, cell.path]
    assert list(cell.ancestors()) == [tree["province"], tree["ward"]]
    assert line_paths("") == []
