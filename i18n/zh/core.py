"""中文:帮助、通用错误、按钮与命令菜单。."""

MESSAGES: dict[str, str] = {
    # --- help -------------------------------------------------------------------------------
    "help.group": (
        "<b>整改台账机器人</b>\n"
        "在群里登记问题、认领、报进展、申请销号,管理员验收;到期前后自动提醒,每周一发销号周报。\n\n"
        "<b>登记</b>\n"
        "/problem 三会一课记录不规范 @zhang 月底前\n"
        "/problem 党费收缴不及时\n责任人: @zhang 李四\n时限: 12月31日前\n措施: 1.建立党费台账 2.每月提醒\n"
        "(也可回复某条消息发送 /problem 月底前)\n\n"
        "<b>查看</b>  /list [open|overdue|pending|done|all|mine|@用户]  /show 12  /mine  /stats  /summary\n"
        "<b>办理</b>  /claim 12  /progress 12 已完成台账补录  /tick 12 2  /done 12 已整改到位  /extend 12 12月31日前 原因\n"
        "<b>管理员</b>  /approve 12  /reject 12 原因  /reopen 12 原因  /assign 12 @li 王五  /due 12 下周五前  "
        "/edit 12 类别 组织建设  /delete 12  /undelete 12  /settings  /lang en\n"
        "<b>上下级</b>  /link(党委管理员获取关联码)  /join 关联码(支部管理员)  /branches  "
        "/dispatch 12 第一党支部 第二党支部  /unlink\n"
        "在党委群里,/list /stats /mine 涵盖各下级支部;/show 第一党支部#3 查看支部的事项。\n"
        "编号写 12、#12、＃12 均可。"
    ),
    "help.private": (
        "<b>整改台账机器人</b>\n"
        "把我拉进支部或党委的群,就能在群里登记整改问题、跟踪时限、销号验收。\n"
        "在私聊里:/mine 查看我在各群的在办事项;到期提醒的私聊副本也会发到这里。\n\n"
        "群里常用:/problem 三会一课记录不规范 @zhang 月底前 · /list · /done 12 · /help"
    ),
    "help.welcome": (
        "大家好,我是整改台账机器人,已开始为「{title}」记台账。\n"
        "登记问题:/problem 三会一课记录不规范 @zhang 月底前\n"
        "查看全部命令:/help"
    ),
    "help.unknown_command": "没有 {command} 这个命令。发送 /help 查看全部命令和示例。",
    "reply.use_command": "要报告 #{number} 的进展,请发送:{example}\n(或 /done {number} 说明 申请销号;回复事项卡片也可以:/show {number})",
    "lang.changed": "本群语言已设为中文。",
    # --- errors -------------------------------------------------------------------------------
    "error.internal": "处理时出错了({detail}),已记录。请稍后再试。",
    "error.group_only": "这个命令要在群里使用。例如在支部群里发送:/list",
    "error.usage": "用法:{usage}",
    "error.item_number": "“{given}”不是有效的编号。请写编号,例如:/show 12 或 /show #12",
    "error.item_number_space": "“{given}”不是有效的编号:编号后要先空一格,再写内容。例如:{example}",
    "error.item_number_for": "“{given}”不是有效的编号。请写编号,例如:{example}",
    "error.no_item": "本群没有 #{number} 号事项。发送 /list all 查看本群全部事项。",
    "error.admin_only": "只有管理员(群管理员或超级用户)可以{action}。刚被设为管理员的,几分钟内生效。",
    "error.owner_only": "只有 #{number} 的责任人或管理员可以{action}。可先 /claim {number} 认领。",
    "error.creator_only": "只有 #{number} 的登记人或管理员可以{action}。",
    "error.deleted": "#{number} 已删除。管理员可发送 /undelete {number} 恢复。",
    "error.not_deleted": "#{number} 没有被删除,无需恢复。",
    "error.already_pending": "#{number} 已申请销号,正在等待管理员验收。",
    "error.already_closed": "#{number} 已销号。如需重新整改,请管理员发送 /reopen {number} 原因",
    "error.not_pending": "#{number} 不在待验收状态。责任人先发送 /done {number} 申请销号。",
    "error.not_closed": "#{number} 尚未销号,无需重新打开。",
    "error.already_owner": "你已经是 #{number} 的责任人了。",
    "error.problem_empty": ("请写出问题内容。例如:\n/problem 三会一课记录不规范 @zhang 月底前"),
    "error.problem_too_long": "问题内容太长({length}字,上限{limit}字)。请精简后再登记,细节可用 /progress 补充。",
    "error.field_too_long": "{field}太长(上限{limit}字)。",
    "error.deadline_already_set": "#{number} 已有时限。管理员可用 /due {number} 新时限 修改,例如:/due {number} 下周五前",
    "error.assign_nobody": "请写出责任人。例如:/assign 12 @zhang 李四(或回复某人的消息发送 /assign 12)",
    "error.progress_empty": "请写出推进情况。例如:/progress {number} 已完成10月台账补录",
    "error.reason_required": "请写明原因。例如:/{command} {number} 记录缺少签字,请补齐",
    "error.edit_field": "不能修改“{field}”。可修改:问题、类别、责任单位、总负责人、措施、来源、说明。例如:/edit 12 类别 组织建设",
    "error.extend_needs_date": "延期要写明新的日期。例如:/extend {number} 12月31日前 需等待上级批复",
    "error.extension_waiting": "#{number} 已有一条延期申请在等待审批。",
    "error.no_extension": "找不到这条延期申请。",
    "error.extension_decided": "#{number} 的这条延期申请已经处理过了。",
    "error.no_files": "#{number} 还没有附件。发送 /progress {number} 说明 时附上照片或文件即可留痕。",
    "error.list_filter": "不认识“{given}”。可用:/list open|overdue|pending|done|all|mine|@用户,例如:/list overdue",
    "problem.unknown_label": (
        "不认识的栏目“{label}”。可用栏目:问题、责任人、总负责人、责任单位、时限、类别、措施、来源、说明。例如:\n"
        "/problem 党费收缴不及时\n责任人: @zhang 李四\n时限: 12月31日前"
    ),
    # --- actions (used inside permission errors) -----------------------------------------------
    "action.approve": "验收通过(/approve)",
    "action.reject": "退回(/reject)",
    "action.reopen": "重新打开(/reopen)",
    "action.delete": "删除(/delete)",
    "action.undelete": "恢复(/undelete)",
    "action.due": "设定时限(/due)",
    "action.assign": "指定责任人(/assign)",
    "action.edit": "修改(/edit)",
    "action.progress": "报进展(/progress)",
    "action.tick": "勾选完成的措施(/tick)",
    "action.done": "申请销号(/done)",
    "action.extend": "申请延期(/extend)",
    "action.extend_decide": "审批延期",
    "action.lang": "切换语言(/lang)",
    "action.settings": "修改设置(/settings)",
    "action.import": "导入(/import)",
    "action.export": "导出(/export)",
    "action.summary": "发送周报(/summary)",
    # --- usage ----------------------------------------------------------------------------------
    "usage.show": "/show 12(附件:/show 12 附件)",
    "usage.claim": "/claim 12(多项:/claim 12 13)",
    "usage.assign": "/assign 12 @zhang 李四",
    "usage.progress": "/progress 12 已完成10月台账补录",
    "usage.done": "/done 12 已补齐记录并签字",
    "usage.approve": "/approve 12 同意销号(多项:/approve 12-15)",
    "usage.reject": "/reject 12 记录缺少签字",
    "usage.reopen": "/reopen 12 复查发现问题反弹",
    "usage.edit": "/edit 12 类别 组织建设",
    "usage.delete": "/delete 12(多项:/delete 12 13 或 /delete 12-15)",
    "usage.undelete": "/undelete 12(多项:/undelete 12-15)",
    "usage.due": "/due 12 下周五前",
    "usage.extend": "/extend 12 12月31日前 需等待上级批复",
    "usage.lang": "/lang zh 或 /lang en",
    # --- command menu ----------------------------------------------------------------------------
    "menu.problem": "登记整改问题",
    "menu.list": "整改事项清单",
    "menu.show": "查看事项详情",
    "menu.mine": "我的在办事项",
    "menu.claim": "认领事项",
    "menu.progress": "报送推进情况",
    "menu.done": "申请销号",
    "menu.approve": "验收通过(管理员)",
    "menu.reject": "退回(管理员)",
    "menu.extend": "申请延期",
    "menu.summary": "本周销号周报",
    "menu.stats": "整改统计",
    "menu.settings": "本群设置",
    "menu.help": "帮助与示例",
}
