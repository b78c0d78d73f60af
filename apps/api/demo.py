"""Demo API tokens (called by `manage.py seed_demo`): a read-only sync client of the ward office
and a read-write one of the organization board, so the token page has rows to show."""

from apps.accounts.services import api_token_create


def seed(context) -> None:
    users = context["users"]
    api_token_create(user=users["committee_staff"], name="Đồng bộ CSDL đảng viên", days=90, read_only=True)
    api_token_create(user=users["organization_board"], name="Báo cáo của Tỉnh ủy", days=30, read_only=False)
