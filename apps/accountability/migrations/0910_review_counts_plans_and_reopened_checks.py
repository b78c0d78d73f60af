"""Review targets tell collectives from individuals and appear once on a group's list; a plan
records the review it follows; a failed follow-up check reopens its action.

Existing rows: each target's subject kind is set from its subject; a second row of the same
subject on the same group is withdrawn (kept, not counted); an action closed by a failed check
is reopened (its deadline kept, so it counts as overdue until a new one is set)."""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone


def forwards(apps, schema_editor):
    ReviewTarget = apps.get_model("accountability", "ReviewTarget")
    RemediationAction = apps.get_model("accountability", "RemediationAction")
    ReviewTarget.objects.filter(member__isnull=False).update(subject_kind="individual")
    ReviewTarget.objects.filter(member__isnull=True).update(subject_kind="collective")
    seen = set()
    today = timezone.localdate()
    for target in ReviewTarget.objects.order_by("group_id", "pk"):
        key = (target.group_id, target.member_id, target.organization_id)
        if key in seen:
            target.withdrawn_on = today
            target.withdrawn_reason = "Trùng đối tượng trong cùng đoàn (chuyển đổi dữ liệu)"
            target.save(update_fields=["withdrawn_on", "withdrawn_reason"])
        seen.add(key)
    RemediationAction.objects.filter(done_on__isnull=False, check_passed=False).update(
        done_on=None, failed_checks=1
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accountability", "0909_corrections_and_approval"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewtarget",
            name="subject_kind",
            field=models.CharField(
                choices=[("collective", "Tập thể"), ("individual", "Cá nhân")],
                db_index=True,
                default="collective",
                editable=False,
                max_length=16,
                verbose_name="đối tượng là",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="reviewtarget",
            name="withdrawn_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="rút khỏi danh sách ngày"),
        ),
        migrations.AddField(
            model_name="reviewtarget",
            name="withdrawn_reason",
            field=models.CharField(blank=True, editable=False, max_length=255, verbose_name="lý do rút"),
        ),
        migrations.AddField(
            model_name="remediationaction",
            name="failed_checks",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="số lần hậu kiểm tra chưa đạt"),
        ),
        migrations.AddField(
            model_name="remediationplan",
            name="review_target",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="plans",
                to="accountability.reviewtarget",
                verbose_name="sau đợt dự, gợi ý kiểm điểm",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="reviewtarget",
            constraint=models.UniqueConstraint(
                condition=models.Q(member__isnull=False, withdrawn_on__isnull=True),
                fields=("group", "member"),
                name="review_target_member_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="reviewtarget",
            constraint=models.UniqueConstraint(
                condition=models.Q(organization__isnull=False, withdrawn_on__isnull=True),
                fields=("group", "organization"),
                name="review_target_organization_once",
            ),
        ),
    ]
