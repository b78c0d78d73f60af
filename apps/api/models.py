"""What the API keeps between requests: the answers to POSTs sent with an Idempotency-Key."""

from django.conf import settings
from django.db import models


class IdempotentRequest(models.Model):
    """A POST a client marked with an `Idempotency-Key`, and the answer it got.

    The same key from the same user within `API_IDEMPOTENCY_HOURS` gets the stored answer again
    instead of a second write (a client retrying after a lost connection creates one member, not
    two). The answer may hold a member's record, so rows older than the window are purged.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)  # sha256 of method, path and body
    status = models.PositiveSmallIntegerField(null=True)  # null while the first request runs
    body = models.JSONField(null=True)
    location = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_key_once")]
