"""中文:谁在操作、签收与撤回 (anonymous admins, acknowledgements, withdrawn requests)."""

MESSAGES: dict[str, str] = {
    # --- who acts ------------------------------------------------------------------------------
    "actor.anonymous_admin": "匿名管理员",
    "error.anonymous_owner": "匿名管理员不能成为责任人。请以本人身份发送 /claim {number},或用 /assign {number} @用户名 指定责任人。",
    "error.closed_by": "#{number} 已由{who}验收销号。",
    # --- edited messages -------------------------------------------------------------------------
    "edit.not_applied": "修改已发送的消息不会改动台账里的 #{number}。如需修改,请发送 /edit {number} 问题 新内容(也可改类别、措施等,例如 /edit {number} 类别 组织建设)。",
    "edit.not_applied_unknown": "修改已发送的消息不会改动台账。如需修改事项,请发送 /edit 编号 字段 新值,例如:/edit 12 问题 三会一课记录不全",
    # --- acknowledgements ------------------------------------------------------------------------
    "event.acknowledged": "签收",
    "outcome.acknowledged": "✅ 已签收 #{number} {problem}",
    "outcome.acknowledged_note": "签收不计入推进情况。报进展请写明具体进度,例如:/progress {number} 已完成10月台账补录",
    # --- extensions ----------------------------------------------------------------------------
    "extension.status.withdrawn": "已撤回",
    "event.extension_withdrawn": "撤回延期",
    "outcome.extensions_withdrawn": "待审批的延期申请已撤回。",
    "error.extension_withdrawn": "#{number} 已销号或删除,这条延期申请已撤回,无需审批。",
    "error.extend_past": "延期的新时限 {due} 早于今天({today})。新时限不能早于今天,例如:/extend {number} 12月31日前 需等待上级批复",
    "error.due_past": "时限 {due} 早于今天({today}),不能设为已过去的日期。请写今天或以后的时限,例如:/due {number} 月底前",
}
