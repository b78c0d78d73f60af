import datetime as dt

import pytest

from apps.admissions.models import DeclaredDay
from apps.admissions.workdays import add_working_days, is_working_day, working_days_between


@pytest.mark.django_db
def test_thirty_working_days_across_tet_2027():
    # From Mon 25/01/2027: 26–29/1 (4), 1–3/2 (7); 4–10/2 is Tết (29 Tết … mùng năm), 11–12/2 (9),
    # 15–19/2 (14), 22–26/2 (19), 1–5/3 (24), 8–12/3 (29), Mon 15/3 (30).
    d = add_working_days(dt.date(2027, 1, 25), 30)
    assert d.date == dt.date(2027, 3, 15)
    holidays = [day for day, why in d.skipped if why != "weekend"]
    assert holidays == [dt.date(2027, 2, day) for day in (4, 5, 6, 7, 8, 9, 10)]
    assert "29 Tết" in d.explanation and "15/03/2027" in d.explanation and "25/01/2027" in d.explanation
    assert "holidays.VN" in d.explanation


@pytest.mark.django_db
def test_thirty_working_days_across_national_day_2026():
    # From Thu 20/8/2026: 21/8 (1), Sat 22/8 is a working day in exchange for Mon 31/8 (2), 24–28/8 (7);
    # 31/8, 1/9 and 2/9 are off; 3–4/9 (9), 7–11/9 (14), 14–18/9 (19), 21–25/9 (24), 28/9–2/10 (29), Mon 5/10 (30).
    d = add_working_days(dt.date(2026, 8, 20), 30)
    assert d.date == dt.date(2026, 10, 5)
    assert [day for day, why in d.skipped if why != "weekend"] == [
        dt.date(2026, 8, 31),
        dt.date(2026, 9, 1),
        dt.date(2026, 9, 2),
    ]
    assert is_working_day(dt.date(2026, 8, 22))
    assert working_days_between(dt.date(2026, 8, 20), dt.date(2026, 10, 5)) == 30


@pytest.mark.django_db
def test_a_declared_day_off_moves_the_deadline_and_a_declared_workday_counts():
    DeclaredDay.objects.create(date=dt.date(2027, 3, 12), name="Ngày nghỉ của tỉnh")
    assert add_working_days(dt.date(2027, 1, 25), 30).date == dt.date(2027, 3, 16)
    DeclaredDay.objects.create(date=dt.date(2027, 3, 13), name="Làm bù", is_working_day=True)
    assert add_working_days(dt.date(2027, 1, 25), 30).date == dt.date(2027, 3, 15)
    assert "Ngày nghỉ của tỉnh" in add_working_days(dt.date(2027, 1, 25), 30).explanation
