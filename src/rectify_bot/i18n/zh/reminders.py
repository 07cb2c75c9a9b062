"""Chinese: the daily digest (今日整改提醒) and the weekly summary (整改周报)."""

MESSAGES: dict[str, str] = {
    # --- dates ----------------------------------------------------------------------------------
    "digest.date": "{month}月{day}日",
    "digest.short_date": "{month:02d}-{day:02d}",
    # --- daily digest ---------------------------------------------------------------------------
    "digest.title": "📋 <b>{title}</b> 今日整改提醒({date} {weekday})",
    "digest.overdue": "🔴 <b>逾期</b>",
    "digest.overdue_line": "  #{number} {problem} — 逾期{days}天 {owners}{escalated}",
    "digest.escalated": " 🔴督办",
    "digest.due_today": "🟡 <b>今日到期</b>",
    "digest.due_today_line": "  #{number} {problem} — {owners}",
    "digest.due_soon": "🟡 <b>即将到期</b>",
    "digest.due_soon_line": "  #{number} {problem} — {when} {owners}",
    "digest.tomorrow": "明天到期",
    "digest.in_days": "{days}天后到期",
    "digest.pending": "🕓 <b>待验收(管理员)</b>",
    "digest.pending_line": "  #{number} {problem} — {who} {date} 申请销号",
    "digest.extensions": "⏳ <b>延期申请待审批(管理员)</b>",
    "digest.extension_line": "  #{number} {problem} — {who} 申请延期至 {new_due}:{reason}",
    "digest.report": "📝 <b>请于{day}日前报送整改情况</b>(以下事项本月还没有推进情况)",
    "digest.report_line": "  #{number} {problem} — {owners}",
    "digest.long_term": "♾ <b>长期事项月度回顾</b>(请报送本月落实情况)",
    "digest.long_term_line": "  #{number} {problem} — {owners}",
    "digest.footer": "办理:/progress 编号 进展 · /done 编号 说明 · /extend 编号 新时限 原因",
    # --- weekly summary -------------------------------------------------------------------------
    "summary.title": "📊 <b>{title}</b> 整改周报({start}—{end})",
    "summary.closed": "本周销号 {count} 项:",
    "summary.closed_none": "本周销号 0 项",
    "summary.closed_line": "  ✅ #{number} {problem}({owners})",
    "summary.new": "本周新增 {count} 项",
    "summary.active": "在办 {active} 项:逾期 {overdue} · 7天内到期 {soon} · 待验收 {pending} · 长期 {long_term}",
    "summary.rate": "整改率 {rate}%({closed}/{total})",
    "summary.overdue": "逾期事项:",
    "summary.overdue_line": "  🔴 #{number} {problem} — 逾期{days}天 {owners}",
    "summary.empty": "本群台账还没有事项。登记示例:/problem 三会一课记录不规范 @zhang 月底前",
}
