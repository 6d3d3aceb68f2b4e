from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class UnitKind(models.TextChoices):
    """The official name of the unit type (what precedes its name)."""

    PROVINCE = "tinh", _("Tỉnh")
    CENTRAL_CITY = "thanh_pho_tw", _("Thành phố trực thuộc trung ương")
    RURAL_DISTRICT = "huyen", _("Huyện")
    URBAN_DISTRICT = "quan", _("Quận")
    TOWN = "thi_xa", _("Thị xã")
    PROVINCIAL_CITY = "thanh_pho", _("Thành phố thuộc tỉnh")
    COMMUNE = "xa", _("Xã")
    WARD = "phuong", _("Phường")
    TOWNSHIP = "thi_tran", _("Thị trấn")
    SPECIAL_ZONE = "dac_khu", _("Đặc khu")


class UnitScheme(models.TextChoices):
    """Which official list a unit belongs to: codes are unique only inside one list."""

    CURRENT = "2025", _("Hai cấp (từ 01/07/2025)")
    LEGACY = "legacy", _("Ba cấp (trước 01/07/2025)")


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "people_committee", _("Ủy ban nhân dân")
    OFFICE = "office", _("Văn phòng")
    SPECIALISED = "specialised", _("Cơ quan chuyên môn")
    SERVICE_DESK = "service_desk", _("Bộ phận Một cửa / Trung tâm phục vụ hành chính công")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp")
    OTHER = "other", _("Khác")


class Role(models.TextChoices):
    """What a staff member may do; always held *in* an agency (see ``Position``)."""

    DESK_CLERK = "desk_clerk", _("Cán bộ tiếp nhận (Một cửa)")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    DEPARTMENT_HEAD = "department_head", _("Lãnh đạo phòng")
    LEADER = "leader", _("Lãnh đạo UBND")
    EDITOR = "editor", _("Biên tập viên cổng thông tin")
    PORTAL_MODERATOR = "portal_moderator", _("Kiểm duyệt tin bài cổng thông tin")
    CLERK_OFFICE = "clerk_office", _("Văn thư")
    JUSTICE_OFFICER = "justice_officer", _("Công chức Tư pháp - Hộ tịch")
    UNIT_ADMIN = "unit_admin", _("Quản trị đơn vị")
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
