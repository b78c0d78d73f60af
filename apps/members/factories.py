"""factory_boy factories for members, built through the registry's own service (audited, with history)."""

import datetime as dt

import factory

from .services import member_create

GIVEN_NAMES = ("An", "Bình", "Chi", "Dũng", "Đức", "Giang", "Hà", "Hùng", "Lan", "Minh", "Nga", "Phúc", "Tâm", "Yến")
MIDDLE_NAMES = ("Văn", "Thị", "Hữu", "Minh", "Ngọc", "Quang", "Thanh", "")


class MemberFactory(factory.Factory):
    """`MemberFactory(user=…, organization=…)`: a full member admitted in 2010 unless told otherwise."""

    class Meta:
        model = dict  # the service builds the row; the factory only draws its fields

    family_name = factory.Faker("last_name", locale="vi_VN")
    middle_name = factory.Iterator(MIDDLE_NAMES)
    given_name = factory.Iterator(GIVEN_NAMES)
    gender = factory.Iterator(("male", "female"))
    admission_date = dt.date(2010, 5, 19)
    # Admitted between 20 and 39 years old, so every draw passes the age rule.
    birth_date = factory.LazyAttributeSequence(
        lambda m, n: m.admission_date.replace(year=m.admission_date.year - 20 - n % 20)
    )
    full_membership_date = factory.LazyAttribute(lambda m: m.admission_date.replace(year=m.admission_date.year + 1))
    card_number = factory.Sequence(lambda n: f"{70_000_000 + n}")

    @classmethod
    def _create(cls, model_class, *, user, organization, **fields):
        return member_create(user=user, organization=organization, **fields)
