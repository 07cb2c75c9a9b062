"""Import and export: the /import preview, its warnings and errors, the /export caption (中文).

Warnings name the item with ``{item}`` (its place in the preview, 第1项 = the first line);
``{what}`` is filled with an ``import.field.*`` name.
"""

from __future__ import annotations

from typing import Final

_EXAMPLE: Final = (
    "例如:\n/import\n(一)三会一课记录不规范\n整改措施:\n1.建立会议记录台账\n2.每月检查一次\n"
    "责任人:张三\n落实时限:月底前"
)

MESSAGES: Final[dict[str, str]] = {
    "menu.import": "导入整改方案(管理员)",
    "menu.export": "导出台账Excel(管理员)",
    # --- errors -------------------------------------------------------------------------------
    "import.error.empty": (
        "请在 /import 后粘贴整改方案,或回复含方案的消息发送 /import,"
        "或发送 .txt/.docx/.xlsx 文件并以 /import 作说明。" + _EXAMPLE
    ),
    "import.error.too_big": "文件“{name}”有{size}MB,超过{limit}MB上限,未导入。请拆分后分别发送,或把方案正文粘贴在 /import 后。"
    + _EXAMPLE,
    "import.error.file_type": "不能导入“{name}”:只支持 .txt、.docx、.xlsx 文件。请另存为其中一种后发送,说明写 /import;或把方案正文粘贴在 /import 后。"
    + _EXAMPLE,
    "import.error.broken": "文件“{name}”无法读取(已损坏,或不是它的扩展名所说的格式),未导入。请重新保存后再发送,或把方案正文粘贴在 /import 后。"
    + _EXAMPLE,
    "import.error.no_items": '没有找到带编号的问题(如"(一)""1."),未导入任何事项。请给每个问题编号后再试。'
    + _EXAMPLE,
    "import.error.no_rows": "表格有表头,但没有一行填写了“问题”,未导入任何事项。请每行填写一个问题,例如表头:序号 | 问题 | 整改措施 | 责任人 | 整改时限",
    "import.error.too_many": "一次最多导入{limit}项,这次有{count}项。请分批导入,例如每次粘贴一个方面的问题。",
    "import.error.expired": "这份导入预览已超过30分钟,已失效,未写入任何事项。请重新发送 /import。",
    "import.error.not_found": "找不到这份导入预览(可能已过期清理,或属于别的群)。请重新发送 /import。",
    "import.error.confirmed": "这份导入已经确认过了,不会重复导入。发送 /list 查看。",
    "import.error.cancelled": "这份导入已取消,未写入任何事项。如需导入请重新发送 /import。",
    # --- preview --------------------------------------------------------------------------------
    "import.preview.title": "📥 <b>导入预览</b>:共{count}项,确认后登记为 {numbers}",
    "import.preview.item": "<b>{index}.</b> {label}{problem}",
    "import.preview.category": "类别:{name}",
    "import.preview.measures": "措施{count}条",
    "import.preview.owners": "责任人:{names}",
    "import.preview.lead": "总负责人:{name}",
    "import.preview.unit": "责任单位:{name}",
    "import.preview.due": "时限:{due}",
    "import.preview.status": "状态:{status}",
    "import.preview.nobody": "未填写",
    "import.preview.no_deadline": "未设定",
    "import.preview.warnings": "⚠️ <b>请核对</b>(共{count}条):",
    "import.preview.clean": "✅ 没有需要核对的地方。",
    "import.preview.footer": "点[确认导入]后才写入台账,{minutes}分钟内有效;点[取消]不导入。",
    "import.button.confirm": "确认导入",
    "import.button.cancel": "取消",
    # --- outcome --------------------------------------------------------------------------------
    "import.done": "✅ 已导入{count}项:{numbers}。发送 /list 查看。",
    "import.cancelled": "已取消导入,未写入任何事项。",
    "import.superseded": "此导入预览已被更新的预览取代,未写入任何事项。请在最新的预览上确认或修改。",
    "import.answer.done": "已导入",
    "import.answer.cancelled": "已取消",
    "import.source": "导入",
    # --- warnings -------------------------------------------------------------------------------
    "import.deadline.empty": "第{item}项:没有落实时限",
    "import.deadline.placeholder": '第{item}项:时限"{phrase}"含占位符,未设时限,请补填',
    "import.deadline.truncated": '第{item}项:时限"{phrase}"不完整(缺月或年),未设时限,请补全',
    "import.deadline.recurring": '第{item}项:"{phrase}"是周期性要求,不是整改时限,未设时限',
    "import.deadline.impossible": '第{item}项:时限"{phrase}"不是有效日期,未设时限',
    "import.deadline.unrecognised": '第{item}项:无法识别时限"{phrase}",未设时限(可导入后用 /due 设定)',
    "import.notice.clipped": "第{item}项:{what}超过{limit}字,已截断",
    "import.notice.progress": "{count}项带有最新进展,将以导入人的名义各记为一条推进情况",
    "import.row.no_problem": "表格第{row}行没有填写问题,未导入",
    "import.row.bad_value": '第{item}项:{column}"{value}"无法识别,已忽略',
    "import.field.problem": "问题",
    "import.field.category": "类别",
    "import.field.lead": "总负责人",
    "import.field.unit": "责任单位",
    # --- export ---------------------------------------------------------------------------------
    "export.caption": "📊 整改台账已导出,含“整改台账”“推进记录”“统计”三张表。",
    "export.kind.progress": "推进情况",
    "export.kind.done": "销号说明",
}
