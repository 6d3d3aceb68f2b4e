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
    SAME_DAY_15H = (
        "same_day_15h",
        _("Giải quyết trong ngày; nhận sau 15 giờ thì trả ngày làm việc tiếp theo"),
    )
    LAST_WORKING_HOUR = (
        "last_working_hour",
        _("Nhận trong giờ làm việc cuối cùng thì tính từ ngày làm việc tiếp theo"),
    )


class ProcedureType(models.IntegerChoices):
    """Loại thủ tục (national ``LOAITTHC``)."""

    NOT_DELEGATED = 1, _("TTHC không được luật giao cho địa phương quy định chi tiết")
    DETAILED_LOCALLY = 2, _("TTHC được luật giao cho địa phương quy định chi tiết")
    OTHER = 3, _("TTHC khác")


class TargetGroup(models.TextChoices):
    """Đối tượng thực hiện."""

    CITIZEN = "citizen", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")
    BOTH = "both", _("Cá nhân, tổ chức")


class VersionStatus(models.TextChoices):
    """Where a procedure version is in its life (whether it is *in force* depends on dates)."""

    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã công bố")
    SUPERSEDED = "superseded", _("Đã được thay thế")
    ABOLISHED = "abolished", _("Đã bãi bỏ")


# Statuses of versions that were published by a decision (never edited again).
DECIDED_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED, VersionStatus.ABOLISHED)

# Rule T3: internal steps are budgeted in working hours; one working day = 8 hours.
HOURS_PER_WORKING_DAY = 8

# Rule T5: the default cut-off of same-day procedures (civil status, certification).
DEFAULT_CUTOFF_HOUR = 15

# National procedure code (``MaTTHC``): one digit, a dot, six digits (e.g. ``1.001193``).
PROCEDURE_CODE_PATTERN = r"^\d\.\d{6}$"


# --- Due dates (owned by procedures.deadlines) ---------------------------------------------------
class CompletionTiming(models.TextChoices):
    """Trước hạn / đúng hạn / trễ hạn of a finished dossier (onestop.md T14, Q5)."""

    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Trễ hạn")
