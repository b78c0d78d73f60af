"""Plausibility of the dates of a party member's record, shared by the forms, the API and imports.

A date that cannot be true is refused with a message naming why, wherever it comes in:
- nobody on the registry was born before 1900;
- nobody was admitted before the Party was founded (3/2/1930), nor before turning 18;
- birth, admission, recognition and every dated change are not in the future.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_BIRTH = date(1900, 1, 1)
PARTY_FOUNDED = date(1930, 2, 3)
MIN_ADMISSION_AGE = 18


def member_date_errors(
    *, birth: date | None, admission: date | None, recognized: date | None = None, today: date | None = None
) -> dict[str, str]:
    """{field: message} for each implausible date of a member sheet (empty when all are plausible)."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if birth:
        if birth > today:
            errors["birth_date"] = _("Ngày sinh ở tương lai.")
        elif birth < EARLIEST_BIRTH:
            errors["birth_date"] = _("Ngày sinh trước năm 1900: hãy kiểm tra lại.")
    if admission:
        if admission > today:
            errors["admission_date"] = _("Ngày vào Đảng ở tương lai.")
        elif admission < PARTY_FOUNDED:
            errors["admission_date"] = _("Ngày vào Đảng trước ngày thành lập Đảng (03/02/1930).")
        elif birth and relativedelta(admission, birth).years < MIN_ADMISSION_AGE:
            errors["admission_date"] = _("Chưa đủ 18 tuổi vào ngày vào Đảng.")
    if recognized and recognized > today:
        errors["full_membership_date"] = _("Ngày chính thức ở tương lai.")
    return errors


def surely_plausible(birth: date, admission: date, recognized: date | None, today: date) -> bool:
    """A fast test (plain comparisons, for 100.000-row imports): True only if no rule above fails."""
    if birth > today or admission > today or (recognized is not None and recognized > today):
        return False
    return birth >= EARLIEST_BIRTH and admission >= PARTY_FOUNDED


def event_date_error(day: date | None, *, today: date | None = None) -> str | None:
    """The message for a dated change (status change, award …) that cannot be true, or None."""
    if day is None:
        return None
    today = today or timezone.localdate()
    if day > today:
        return _("Ngày không được ở tương lai.")
    if day < PARTY_FOUNDED:
        return _("Ngày trước ngày thành lập Đảng (03/02/1930): hãy kiểm tra lại.")
    return None
