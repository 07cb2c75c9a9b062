"""Deadline language: errors, assumptions, labels (中文)."""

from __future__ import annotations

from typing import Final

_EXAMPLES: Final = "请写明时限,例如:月底前、12月31日前、下周五前、3个工作日内、长期坚持。"

MESSAGES: Final[dict[str, str]] = {
    "deadline.error.empty": "没有写时限。\n" + _EXAMPLES,
    "deadline.error.placeholder": '时限"{phrase}"含占位符,无法确定日期。\n' + _EXAMPLES,
    "deadline.error.truncated": '时限"{phrase}"不完整,缺少"月"或"年"(如"月底前"、"年底前")。\n'
    + _EXAMPLES,
    "deadline.error.recurring": '"{phrase}"是周期性要求,不是本项的整改时限(可写入整改措施)。\n'
    + _EXAMPLES,
    "deadline.error.impossible": '时限"{phrase}"不是有效日期(月份为1至12,日期不超过当月天数)。\n'
    + _EXAMPLES,
    "deadline.error.unrecognised": '无法识别时限"{phrase}"。\n' + _EXAMPLES,
    "deadline.note.next_year": "按明年计算",
    "deadline.note.next_month": "按下月计算",
    "deadline.note.next_week": "按下周计算",
    "deadline.note.workdays_beyond_calendar": "节假日安排尚未公布,按周一至周五计算工作日",
    "deadline.note.past_year": "所写日期已经过去,请核对",
    "deadline.note.soft": "软时限",
    "deadline.long_term": "长期坚持",
    "deadline.soft": "软时限",
    "deadline.weekday.0": "周一",
    "deadline.weekday.1": "周二",
    "deadline.weekday.2": "周三",
    "deadline.weekday.3": "周四",
    "deadline.weekday.4": "周五",
    "deadline.weekday.5": "周六",
    "deadline.weekday.6": "周日",
    "deadline.days_left": "还剩{days}天",
    "deadline.due_today": "今日到期",
    "deadline.overdue": "逾期{days}天",
}
