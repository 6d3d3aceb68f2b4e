"""Enumerations of the procedure catalogue (codes are stable; labels are Vietnamese)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Cách thức thực hiện (national ``KENH``: 1 direct, 2 online, 3 postal)."""

    DIRECT = "direct", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Dịch vụ bưu chính công ích")


class TimeUnit(models.TextChoices):
    """Đơn vị tính thời hạn giải quyết (national ``DONVITINH``)."""

    WORKING_DAYS = "working_days", _("Ngày làm việc")
    CALENDAR_DAYS = "calendar_days", _("Ngày")
    HOURS = "hours", _("Giờ làm việc")
    MONTHS = "months", _("Tháng")


class ProcedureLevel(models.TextChoices):
    """Cấp thực hiện."""

    CENTRAL = "central", _("Cấp trung ương")
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class OnlineLevel(models.TextChoices):
    """Dịch vụ công trực tuyến (Decree 42/2022): none, partial (một phần), full (toàn trình)."""

    NONE = "none", _("Không cung cấp trực tuyến")
    PARTIAL = "partial", _("Một phần")
    FULL = "full", _("Toàn trình")


class CutoffRule(models.TextChoices):
    """When a dossier received late in the day counts from the next working day."""

    NONE = "none", _("Không áp dụng")
    SAME_DAY_15H = "same_day_15h", _("Giải quyết trong ngày; nhận sau 15 giờ thì trả ngày làm việc tiếp theo")
    LAST_WORKING_HOUR = "last_working_hour", _("Nhận trong giờ làm việc cuối cùng thì tính từ ngày làm việc tiếp theo")
