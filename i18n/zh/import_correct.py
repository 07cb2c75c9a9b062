"""Correcting an import preview by replying to it (中文).

``{line}`` quotes the reply's line that was not understood; ``{field}`` is a field's label.
"""

from __future__ import annotations

from typing import Final

_EXAMPLES: Final = (
    "请回复预览消息,每行一条修改,例如:\n"
    "去掉 3 5\n"
    "只导入 1-4\n"
    "统一时限 月底前\n"
    "统一责任单位 第一党支部\n"
    "统一责任人 @zhang 李四\n"
    "3 时限 12月31日前\n"
    "可修改的字段:问题 责任人 总负责人 责任单位 时限 类别 措施 说明"
)

MESSAGES: Final[dict[str, str]] = {
    "action.import_correct": "修改导入预览",
    "import.preview.correct_hint": (
        "✏️ 要修改,请回复本条:去掉 3 / 只导入 1-4 / 统一时限 月底前 / 3 责任人 @zhang"
    ),
    "import.correct.done": "✏️ 预览已修改:现共{count}项,确认后登记为 {numbers}。请核对后点[确认导入]。",
    "import.correct.error.unknown": "看不懂这条修改:“{line}”。\n" + _EXAMPLES,
    "import.correct.error.no_such_item": (
        "预览中没有第{number}项(共{count}项),未作修改。请按预览中的序号,例如:去掉 {count}"
    ),
    "import.correct.error.nothing_left": (
        "这样修改后一项也不剩了,未作修改。如不需要导入,请点[取消]。"
    ),
    "import.correct.error.per_item": (
        "“{field}”不能统一设置,未作修改。请逐项修改,例如:3 {field} ……"
    ),
    "import.correct.error.empty": "没有写出新的{field},未作修改。例如:统一责任人 @zhang 李四",
    "import.error.superseded": (
        "这份导入预览已被更新的预览取代,未写入任何事项。请回复最新的预览修改,"
        "或在最新的预览上点[确认导入]。"
    ),
    "import.notice.unlinked": (
        "未关联到群成员的责任人:{names}(@用户名在其首次在群里发言后自动关联,姓名保留为文字)"
    ),
}
