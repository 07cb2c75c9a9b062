"""中文:办理规则的提示 (rule hints: deadline order, which command to use)."""

MESSAGES: dict[str, str] = {
    "error.deleted_by_committee": "#{number} 是随上级事项一并删除的,只能由上级恢复(在上级群发送 /undelete)。",
    "error.copy_exists": "#{number} 不能恢复:上级已将同一事项再次交办给本支部,现为 #{other}。请在 #{other} 上推进:/show {other}",
    "error.edit_unchanged": "#{number} 的{field_key}已是这样,未作改动。查看:/show {number}",
    "error.deadline_unchanged": "#{number} 的时限已是 {due},未作改动。要改为别的时限,例如:/due {number} 下周五前",
    "error.extend_not_later": "延期的新时限须晚于现时限 {due}。例如:/extend {number} {later} 需等待上级批复",
    "error.edit_use_assign": "责任人请用 /assign 修改,例如:/assign {number} @zhang 李四",
    "error.edit_use_due": "时限请用 /due 修改(管理员),例如:/due {number} 下周五前;责任人可用 /extend 申请延期。",
    "error.extend_reason": "请写明延期原因。例如:/extend {number} 12月31日前 需等待上级批复",
    "error.reply_bot_message": "不能把机器人的消息登记为问题。请回复成员的消息,或直接写:/problem 三会一课记录不规范 月底前",
    "outcome.deadline_notes": "注:{notes}。",
    "button.answer.deadline_later": "暂不设定时限",
    "error.no_measure": "#{number} 没有第“{given}”条措施(共{count}条)。例如:/tick {number} 1",
    "usage.tick": "/tick 12 2(第2条措施已完成;多条:/tick 12 1 3)",
    "outcome.ticked": "已完成措施 #{number} {problem}",
    "error.measures_already_done": "#{number} 的第{measures}条措施已经完成,无需重复勾选。发送 /show {number} 查看全部措施。",
    "event.measure_done": "完成措施",
    "card.closed_self": "销号:{who} {when}",
    "outcome.deadline_later": "暂不设定时限 #{number} {problem}",
    "error.no_measures_yet": "#{number} 还没有整改措施。先写上措施,例如:/edit {number} 措施 1.建立台账 2.每月检查",
    "list.separator": "、",
}
