"""`manage.py seed_demo`: a synthetic province, the Bình Thắng ward and demo logins.

    manage.py seed_demo                 # province + Bình Thắng + 2.000 synthetic members
    manage.py seed_demo --if-empty      # do nothing if any organization exists (make run)
    manage.py seed_demo --size 150000   # the benchmark province: 150.000 members in 3.000 cells
    manage.py seed_demo --seed 7        # another deterministic data set

Other apps add their own demo rows through `apps/<app>/demo.py` defining `seed(context)`; see
apps/demo/README.md for the context they receive.
"""

import importlib
import importlib.util
import random
import time
from datetime import date

from django.apps import apps as django_apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import RoleAssignment, User
from apps.core.roles import Role
from apps.members.services import member_link_user
from apps.organizations.models import Kind, Organization, Sector
from apps.organizations.services import organization_create, organization_end, organization_move, organization_rename

from ... import resolutions as resolutions_demo
from ...admissions import seed as seed_admissions
from ...binh_thang import FOUNDED, WARD_RENAMED, plan_2018
from ...binh_thang import build as build_binh_thang
from ...bulk import REFORM_DAY, REFORM_DECISION, build_synthetic
from ...library import seed as seed_library
from ...lifecycle import seed as seed_lifecycle
from ...names import Identifiers
from ...quizzes import seed as seed_quizzes
from ...voice import seed as seed_voice

PASSWORD = "demo12345"
PROVINCE_NAME = "Đảng bộ tỉnh Bình Đông"
PROVINCE_CODE = "BDG"


def demo_hooks():
    """`seed` functions of every installed app that has a `demo` module, in INSTALLED_APPS order."""
    hooks = []
    for config in django_apps.get_app_configs():
        if config.name == "apps.demo":
            continue
        module_name = f"{config.name}.demo"
        if importlib.util.find_spec(module_name) is None:
            continue
        seed = getattr(importlib.import_module(module_name), "seed", None)
        if callable(seed):
            hooks.append((config.label, seed))
    return hooks


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: một tỉnh giả lập, Đảng bộ phường Bình Thắng và các tài khoản dùng thử."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Không làm gì nếu đã có tổ chức đảng.")
        parser.add_argument(
            "--size", type=int, default=2000, help="Số đảng viên của các đảng bộ giả lập khác trong tỉnh."
        )
        parser.add_argument(
            "--seed", type=int, default=2019, help="Hạt giống ngẫu nhiên (cùng hạt giống, cùng dữ liệu)."
        )
        parser.add_argument("--no-hooks", action="store_true", help="Không gọi demo.py của các ứng dụng khác.")

    def handle(self, *args, if_empty=False, size=2000, seed=2019, no_hooks=False, **options):
        if Organization.objects.exists():
            if if_empty:
                self.stdout.write("Cơ sở dữ liệu đã có dữ liệu: bỏ qua dữ liệu mẫu.")
                return
            self.stderr.write("Cơ sở dữ liệu đã có tổ chức đảng; dữ liệu mẫu chỉ tạo trên cơ sở dữ liệu trống.")
            raise SystemExit(1)
        started = time.monotonic()
        rng = random.Random(seed)
        today = timezone.localdate()
        with transaction.atomic():
            context = self.build(rng=rng, today=today, size=size)
            if not no_hooks:
                for label, seed_fn in demo_hooks():
                    t = time.monotonic()
                    seed_fn(context)
                    self.stdout.write(f"  dữ liệu mẫu của {label}: {time.monotonic() - t:.1f} s")
                resolutions_demo.seed(context)
                seed_library(context)
                # Last, so that the other apps' demo rows do not count the members it admits.
                seed_admissions(context)
                seed_quizzes(context)
                seed_voice(context)
                seed_lifecycle(context)
        self.stdout.write(self.style.SUCCESS(f"Đã tạo dữ liệu mẫu trong {time.monotonic() - started:.1f} s."))
        self.print_logins(context)

    def log(self, text):
        self.stdout.write(text)

    def build(self, *, rng, today, size):
        admin = User.objects.create_superuser("admin", "admin@example.com", PASSWORD, first_name="Quản trị")
        province = organization_create(
            user=admin,
            name=PROVINCE_NAME,
            short_name="Tỉnh ủy Bình Đông",
            code=PROVINCE_CODE,
            kind=Kind.PROVINCIAL_COMMITTEE,
            sector=Sector.OTHER,
            parent=None,
            founded_on=date(1997, 1, 1),
        )
        district = organization_create(
            user=admin,
            name="Đảng bộ huyện Dĩ An",
            short_name="Huyện ủy Dĩ An",
            code=f"{PROVINCE_CODE}-DA",
            kind=Kind.DISTRICT_COMMITTEE,
            sector=Sector.OTHER,
            parent=province,
            founded_on=FOUNDED,
        )
        organization_rename(
            user=admin, organization=district, name="Đảng bộ thị xã Dĩ An", on=WARD_RENAMED, decision="04/NQ-CP"
        )
        organization_rename(
            user=admin,
            organization=district,
            name="Đảng bộ thành phố Dĩ An",
            on=date(2020, 2, 1),
            decision="857/NQ-UBTVQH14",
        )
        ids = Identifiers(province_code="074", card_start=74_000_100)
        ward = build_binh_thang(user=admin, district=district, rng=rng, today=today, ids=ids, log=self.log)
        # The two-tier reform: the district committee ends, its grassroots committees move up.
        organization_move(
            user=admin, organization=ward.ward, new_parent=province, on=REFORM_DAY, decision=REFORM_DECISION
        )
        organization_end(user=admin, organization=district, on=REFORM_DAY, decision=REFORM_DECISION)
        province.refresh_from_db()
        district.refresh_from_db()
        if size > 0:
            t = time.monotonic()
            counts = build_synthetic(province=province, size=size, rng=rng, today=today, ids=ids, log=self.log)
            self.log(
                f"  {counts['members']} đảng viên giả lập trong {counts['cells']} chi bộ: {time.monotonic() - t:.1f} s"
            )
        for key in ward.cells:
            ward.cells[key].refresh_from_db()
        ward.ward.refresh_from_db()
        users = self.users(admin, province, ward)
        return {
            "province": province,
            "district": district,
            "ward": ward.ward,
            "cells": list(ward.cells.values()),
            "cells_by_key": ward.cells,
            "members": ward.members,
            "named": ward.named,
            "users": users,
            "admin": admin,
            "random": rng,
            "today": today,
            "classification_2018": plan_2018(ward),
            "log": self.log,
        }

    def users(self, admin, province, ward):
        def make(username, full_name, role=None, org=None, subtree=True, member=None, **extra):
            # The whole name in one field, as accounts.services.account_create stores it.
            user = User.objects.create_user(
                username, f"{username}@example.com", PASSWORD, first_name=full_name, **extra
            )
            if role:
                RoleAssignment.objects.create(user=user, organization=org, role=role, include_subtree=subtree)
            if member is not None:
                member_link_user(user=admin, member=member, account=user)
            return user

        cell = ward.cells["trung-thang"]
        secretary = ward.named["secretary:trung-thang"]
        hung = ward.named["nguyen_van_hung"]
        inspector = ward.named["inspection_chair"]
        return {
            "admin": admin,
            "organization_board": make("bantochuc", "Ban Tổ chức Tỉnh ủy", Role.ORGANIZATION_BOARD, province),
            "committee_staff": make("binhthang", "Văn phòng Đảng ủy Bình Thắng", Role.COMMITTEE_STAFF, ward.ward),
            "cell_secretary": make(
                "bithu.trungthang",
                secretary.full_name,
                Role.CELL_SECRETARY,
                cell,
                member=secretary,
            ),
            "inspection": make(
                "kiemtra",
                inspector.full_name,
                Role.INSPECTION,
                ward.ward,
                member=inspector,
            ),
            "member": make(
                "dangvien",
                hung.full_name,
                Role.MEMBER,
                cell,
                subtree=False,
                member=hung,
            ),
        }

    def print_logins(self, context):
        rows = [
            ("admin", "Quản trị hệ thống (toàn quyền)"),
            ("bantochuc", f"Ban Tổ chức – {context['province'].name}"),
            ("binhthang", f"Cán bộ đảng ủy – {context['ward'].name}"),
            (
                "bithu.trungthang",
                f"Bí thư – {context['cells_by_key']['trung-thang'].name} ({context['named']['secretary:trung-thang']})",
            ),
            ("kiemtra", f"Ủy ban Kiểm tra – {context['ward'].name} ({context['named']['inspection_chair']})"),
            (
                "dangvien",
                f"Đảng viên – {context['named']['nguyen_van_hung']}, {context['cells_by_key']['trung-thang'].name}",
            ),
        ]
        self.stdout.write(f"\nTài khoản dùng thử (mật khẩu: {PASSWORD}):")
        for username, role in rows:
            self.stdout.write(f"  {username:<18} {role}")
        if settings.OTP_REQUIRED:
            self.stdout.write(
                "Xác thực hai bước (OTP_REQUIRED) đang BẬT: tài khoản bao quát nhiều chi bộ phải thiết lập "
                "ứng dụng xác thực ở lần đăng nhập đầu."
            )
        else:
            self.stdout.write(
                "Xác thực hai bước (OTP_REQUIRED) đang TẮT trong bản dùng thử; bản triển khai "
                "(config.settings.prod) bật nó cho mọi vai trò bao quát nhiều chi bộ."
            )
