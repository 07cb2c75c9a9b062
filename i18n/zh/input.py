"""中文:读懂成员输入的内容 (owners typed, several item numbers, two deadlines, names)."""

MESSAGES: dict[str, str] = {
    # --- item numbers ----------------------------------------------------------------------------
    "error.one_item": "/{command} 一次只能处理一项,多写了“{given}”。请分开发送,例如:{usage}",
    "error.item_range": "“{given}”不是有效的编号范围,例如:/delete 3-5",
    "error.too_many_items": "一次最多处理{limit}项,请分几次发送。",
    "batch.header": "/{command}:共{count}项,已办理{done}项",
    "batch.claimed": "✋ 已认领 #{number} {problem}",
    "batch.approved": "✅ #{number} 验收通过 {problem}",
    "batch.deleted": "🗑 已删除 #{number} {problem}",
    "batch.undeleted": "♻️ 已恢复 #{number} {problem}",
    "batch.refused": "⚠️ {reason}",
    "batch.withdrawn": "(延期申请已撤回)",
    "batch.deleted_hint": "管理员可发送 /undelete 编号 恢复,例如:/undelete 3-5",
    # --- two deadlines in one line ---------------------------------------------------------------
    "outcome.ask_which_deadline": "这一行写了多个时限,请选择哪一个是本事项的时限(选定后这些时限词都从问题中去掉):",
    "deadline.pick": "{phrase} {day}",
    "error.deadline_choice_gone": "这个时限选项已失效。请管理员用 /due 设定时限,例如:/due 12 下周五前",
    # --- owners ----------------------------------------------------------------------------------
    "error.owner_invalid": "“{given}”不是有效的责任人。责任人请写 @用户名、点选提及成员或写姓名,例如:/assign 12 @zhang 李四",
    "outcome.named_owners": "已把“{names}”识别为本群成员,列为责任人。如有误,可用 /assign {number} 修改。",
    "list.more_owners": " 等{count}人",
}
