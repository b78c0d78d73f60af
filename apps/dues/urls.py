from django.urls import path

from . import views

app_name = "dues"

urlpatterns = [
    path("", views.index, name="index"),
    path("cua-toi/", views.mine, name="mine"),
    path("quy-tac/", views.rule_sets, name="rule_sets"),
    path("so/<int:org_pk>/", views.book, name="book"),
    path("so/<int:org_pk>/thu/<int:member_pk>/", views.tap, name="tap"),
    path("so/<int:org_pk>/nop/<int:member_pk>/", views.payment, name="payment"),
    path("so/<int:org_pk>/thu-du/", views.pay_all, name="pay_all"),
    path("so/<int:org_pk>/khoa-so/", views.close, name="close"),
    path("but-toan/<int:pk>/dieu-chinh/", views.reverse_entry, name="reverse"),
    path("phieu-thu/<int:pk>.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("dang-vien/<int:member_pk>/", views.member_page, name="member"),
    path("dang-vien/<int:member_pk>/can-cu/", views.basis_add, name="basis_add"),
    path("dang-vien/<int:member_pk>/mien-giam/", views.exemption_add, name="exemption_add"),
    path("nop-cap-tren/<int:org_pk>/", views.remittance, name="remittance"),
    path("bao-cao/<int:org_pk>/", views.report, name="report"),
    path("bao-cao/<int:org_pk>/bao-cao.xlsx", views.report_xlsx, name="report_xlsx"),
    path("bao-cao/<int:org_pk>/bao-cao.pdf", views.report_pdf, name="report_pdf"),
    path("no-dong/<int:org_pk>/", views.arrears, name="arrears"),
    path("no-dong/<int:org_pk>/nhac/", views.remind, name="remind"),
    path("nhap/<int:org_pk>/", views.import_upload, name="import"),
    path("nhap/xem/<int:pk>/", views.import_preview, name="import_preview"),
    path("nhap/xem/<int:pk>/xac-nhan/", views.import_confirm, name="import_confirm"),
]
