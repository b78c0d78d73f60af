"""The API fuzzed from its own OpenAPI schema (schemathesis), as a scoped user.

Schemathesis reads /api/openapi.json from the Django WSGI application and, for every operation,
generates requests from the schema (valid ones and, where the schema allows, invalid ones), sends
them with a ward staff member's token and checks every response: no server error, a documented
status code, a documented content type and headers, and a body that matches the documented
schema. The database is pytest-django's (one transaction per test, rolled back), with a small
tree and members so that ids in paths hit real rows.

Bounded: FUZZ_EXAMPLES examples per operation (environment variable, default 25), no shrinking
beyond hypothesis' default deadline-free run, no database of examples kept between runs.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token

from apps.core.roles import Role

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))


@pytest.fixture
def fuzz_world(tree, make_member, make_user):
    """Members in the ward's two cells and one outside it; a ward staff member with a token."""
    members = [
        make_member(tree["cell_a"], "Nguyễn Văn Hùng", citizen_id="079080000001", phone="0903000001"),
        make_member(tree["cell_a"], "Trần Thị An"),
        make_member(tree["cell_b"], "Lê Văn Bình", citizen_id="079080000002", email="binh@example.com"),
        make_member(tree["cell_c"], "Phạm Văn Đạt"),
    ]
    staff = make_user("dangu_fuzz", Role.COMMITTEE_STAFF, tree["ward"])
    token = Token.objects.create(user=staff)
    return {"tree": tree, "members": members, "token": token.key, "staff": staff}


def _checks():
    from schemathesis.checks import load_all_checks
    from schemathesis.specs.openapi import checks

    load_all_checks()
    return [
        checks.status_code_conformance,
        checks.content_type_conformance,
        checks.response_headers_conformance,
        checks.response_schema_conformance,
    ]


@pytest.mark.django_db
def test_the_api_survives_fuzzing_as_a_scoped_user(fuzz_world):
    from schemathesis.checks import not_a_server_error

    headers = {"Authorization": f"Token {fuzz_world['token']}"}
    checks = [not_a_server_error, *_checks()]
    failures: list[str] = []
    counted = {"cases": 0, "operations": 0}
    statuses: dict[int, int] = {}

    def fuzz(operation):
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            counted["cases"] += 1
            # DELETE /api/auth/token/ revokes the token: bring it back, with the same key.
            Token.objects.get_or_create(user=fuzz_world["staff"], defaults={"key": fuzz_world["token"]})
            case.headers.update(headers)  # over any Authorization the generator chose
            response = case.call()
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            try:
                case.validate_response(response, checks=checks)
            except (AssertionError, BaseExceptionGroup) as error:  # every failure is collected, then reported
                first = " | ".join(str(error).strip().splitlines()[:8])
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {first}")

        run()

    # Like Django's test client: the WSGI handler must not close the test's connection (inside
    # pytest-django's transaction, so not in autocommit) at the start and end of each request,
    # the schema's own request included. SQLite's in-memory test database ignores the close;
    # PostgreSQL's would be gone.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
        for result in schema.get_all_operations():
            counted["operations"] += 1
            fuzz(result.ok())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)

    print(
        f"\nAPI fuzz: {counted['cases']} cases over {counted['operations']} operations; statuses {sorted(statuses.items())}"
    )
    assert counted["operations"] >= 8
    assert failures == [], "\n".join(sorted(set(failures))[:40])
