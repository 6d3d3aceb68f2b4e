"""The QĐ 766/QĐ-TTg indicators our own data can compute (onestop.md §2.7).

One aggregate query over the facts of the unit (and below), optionally one agency or one
procedure.  QĐ 766 fixes its own rules, whatever the Biểu 06 settings say: date-time
comparison, refusal (of an accepted dossier), stop and withdrawal end processing, more
than one supplement request is late, an open dossier is judged at the end of the period.
Each formula is in ``Indicator.formula`` and in ``docs/statistics.md``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _

from egov.dossiers.facade import Channel
from egov.organizations.facade import AdministrativeUnit
from egov.statistics.models import EndKind
from egov.statistics.periods import bounds
from egov.statistics.report import rate
from egov.statistics.rules import Rules, in_time_at_q, open_at_q, received_q, touched_q
from egov.statistics.selectors import facts_of
from egov.statistics.types import Indicator, Period

#: QĐ 766 counts every way processing ends (accepted dossiers only).
ENDED_766 = (EndKind.RESOLVED, EndKind.STOPPED, EndKind.WITHDRAWN)
RULES_766 = Rules(compare="datetime", stopped="ended", withdrawn="ended", paused="in_time")


def _ratio(code: str, name: str, num: int, den: int, formula: str, target: str = "") -> Indicator:
    return Indicator(
        code=code,
        name=name,
        numerator=num,
        denominator=den,
        value=rate(num, den),
        target=target,
        formula=formula,
    )


def indicators_766(
    *,
    period: Period,
    unit: AdministrativeUnit,
    agency_id: int | None = None,
    procedure_code: str | None = None,
) -> list[Indicator]:
    start, end = bounds(period)
    facts = facts_of(unit)
    if agency_id is not None:
        facts = facts.filter(competent_agency_id=agency_id)
    if procedure_code:
        facts = facts.filter(procedure_code=procedure_code)
    received = received_q(start, end)
    ended = Q(
        received_at__isnull=False,
        ended_at__gte=start,
        ended_at__lt=end,
        ended_kind__in=list(ENDED_766),
    )
    resolved = ended & Q(ended_kind=EndKind.RESOLVED)
    open_end = open_at_q(end)
    one_request = Q(supplement_requests__lte=1)
    on_time_ended = ended & Q(timing__in=["early", "on_time", ""]) & one_request
    on_time_open = open_end & in_time_at_q(period.end, end, RULES_766) & one_request
    judged = ended | open_end
    bad_5_4 = resolved & (
        Q(timing="late") | Q(supplement_requests__gt=1) | Q(satisfaction="not_satisfied")
    )
    row = facts.filter(touched_q(start, end)).aggregate(
        n_received=Count("pk", filter=received),
        n_synced=Count("pk", filter=received & Q(synced=True)),
        n_judged=Count("pk", filter=judged),
        n_on_time=Count("pk", filter=on_time_ended | on_time_open),
        n_resolved=Count("pk", filter=resolved),
        n_avg_minutes=Avg("elapsed_minutes", filter=resolved),
        n_online=Count("pk", filter=received & Q(channel=Channel.ONLINE)),
        n_procedures=Count("procedure_code", filter=received, distinct=True),
        n_procedures_online=Count(
            "procedure_code", filter=received & Q(channel=Channel.ONLINE), distinct=True
        ),
        n_fee_bearing=Count("pk", filter=received & Q(fee_bearing=True)),
        n_paid_online=Count("pk", filter=received & Q(fee_bearing=True, paid_online=True)),
        n_e_result=Count("pk", filter=resolved & Q(e_result=True)),
        n_digitised=Count("pk", filter=received & Q(digitised=True, e_result=True)),
        n_reused=Count("pk", filter=received & Q(reused=True)),
        n_bad=Count("pk", filter=bad_5_4),
    )
    n = {k[2:]: int(v or 0) for k, v in row.items() if k != "n_avg_minutes"}
    sync_rate = rate(n["synced"], n["received"])
    online_share = rate(n["online"], n["received"])
    value_3_3 = None
    if online_share is not None and sync_rate is not None:
        value_3_3 = (online_share * sync_rate / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    avg = row["n_avg_minutes"]
    average_days = (
        (Decimal(str(avg)) / Decimal(1440)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if avg is not None
        else None
    )
    return [
        _ratio(
            "1.4",
            _("Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia"),
            n["synced"],
            n["received"],
            _("hồ sơ tiếp nhận trong kỳ đã đồng bộ ÷ hồ sơ tiếp nhận trong kỳ × 100"),
            "100 %",
        ),
        _ratio(
            "2.1",
            _("Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn"),
            n["on_time"],
            n["judged"],
            _(
                "(hồ sơ kết thúc trong kỳ – có kết quả, dừng, rút – với thời điểm kết thúc ≤ hạn "
                "trả đã cộng thời gian chờ bổ sung, và hồ sơ còn mở cuối kỳ chưa quá hạn; trừ hồ "
                "sơ yêu cầu bổ sung quá 1 lần) ÷ (hồ sơ kết thúc trong kỳ + hồ sơ còn mở cuối kỳ) "
                "× 100"
            ),
        ),
        Indicator(
            code="2.2",
            name=_("Thời gian giải quyết trung bình"),
            numerator=int(n["resolved"]),
            denominator=int(n["resolved"]),
            value=None,
            average=average_days,
            unit=_("ngày"),
            formula=_(
                "trung bình (thời điểm có kết quả − thời điểm tiếp nhận) của hồ sơ có kết quả "
                "trong kỳ, tính theo ngày lịch"
            ),
        ),
        _ratio(
            "3.2",
            _("Tỷ lệ thủ tục có phát sinh hồ sơ trực tuyến"),
            n["procedures_online"],
            n["procedures"],
            _(
                "số thủ tục có ít nhất 1 hồ sơ trực tuyến trong kỳ ÷ số thủ tục có hồ sơ trong "
                "kỳ × 100"
            ),
        ),
        Indicator(
            code="3.3",
            name=_("Tỷ lệ hồ sơ nộp trực tuyến"),
            numerator=n["online"],
            denominator=n["received"],
            value=value_3_3,
            target="≥ 50 %",
            formula=_(
                "hồ sơ trực tuyến tiếp nhận trong kỳ ÷ hồ sơ tiếp nhận trong kỳ × tỷ lệ đồng bộ "
                "(chỉ số 1.4)"
            ),
        ),
        _ratio(
            "3.6",
            _("Tỷ lệ hồ sơ thanh toán trực tuyến"),
            n["paid_online"],
            n["fee_bearing"],
            _(
                "hồ sơ có phí, lệ phí đã thanh toán trực tuyến ÷ hồ sơ có phí, lệ phí tiếp nhận "
                "trong kỳ × 100"
            ),
        ),
        _ratio(
            "4.1",
            _("Tỷ lệ hồ sơ có kết quả điện tử"),
            n["e_result"],
            n["resolved"],
            _("hồ sơ có kết quả trong kỳ có tệp kết quả điện tử ÷ hồ sơ có kết quả trong kỳ × 100"),
        ),
        _ratio(
            "4.2",
            _("Tỷ lệ số hóa hồ sơ"),
            n["digitised"],
            n["received"],
            _(
                "hồ sơ tiếp nhận trong kỳ có thành phần được số hóa và có kết quả điện tử ÷ hồ "
                "sơ tiếp nhận trong kỳ × 100"
            ),
            "≥ 80 %",
        ),
        _ratio(
            "4.3",
            _("Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa"),
            n["reused"],
            n["received"],
            _(
                "hồ sơ tiếp nhận trong kỳ có ít nhất 1 thành phần tái sử dụng ÷ hồ sơ tiếp nhận "
                "trong kỳ × 100"
            ),
            "≥ 80 %",
        ),
        _ratio(
            "5.4",
            _("Mức độ hài lòng trong giải quyết TTHC"),
            n["resolved"] - n["bad"],
            n["resolved"],
            _(
                "100 % − (hồ sơ có kết quả trong kỳ bị trễ hạn, yêu cầu bổ sung quá 1 lần hoặc "
                "bị đánh giá không hài lòng) ÷ hồ sơ có kết quả trong kỳ × 100"
            ),
            "≥ 90 %",
        ),
    ]
