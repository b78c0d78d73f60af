"""Where the current request came from, for the records of this app.

auditlog's middleware keeps the request's address in a context variable for the change log;
`apps.core.services.audited` carries it into its own block. Outside a request (a management
command, a test calling a service) there is none.
"""

from auditlog.context import auditlog_value


def remote_addr() -> str | None:
    try:
        return (auditlog_value.get() or {}).get("remote_addr") or None
    except LookupError:
        return None
