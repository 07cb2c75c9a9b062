"""The holiday calendar: a warning when a year's holidays are not configured (中文)."""

from __future__ import annotations

from typing import Final

MESSAGES: Final[dict[str, str]] = {
    "calendar.unknown_years": (
        "⚠️ 尚未配置{years}年的节假日安排:“N个工作日内”暂按周一至周五计算。"
        "请运维人员在配置文件 [calendar] 中添加国务院公布的放假和调休日期(见 README)。"
    ),
}
