"""English: the daily digest and the weekly summary."""

MESSAGES: dict[str, str] = {
    # --- dates ----------------------------------------------------------------------------------
    "digest.date": "{month:02d}-{day:02d}",
    "digest.short_date": "{month:02d}-{day:02d}",
    # --- daily digest ---------------------------------------------------------------------------
    "digest.title": "📋 <b>{title}</b> — today's reminders ({weekday} {date})",
    "digest.overdue": "🔴 <b>Overdue</b>",
    "digest.overdue_line": "  #{number} {problem} — {days} days overdue {owners}{escalated}",
    "digest.escalated": " 🔴 escalated",
    "digest.due_today": "🟡 <b>Due today</b>",
    "digest.due_today_line": "  #{number} {problem} — {owners}",
    "digest.due_soon": "🟡 <b>Due soon</b>",
    "digest.due_soon_line": "  #{number} {problem} — {when} {owners}",
    "digest.tomorrow": "due tomorrow",
    "digest.in_days": "due in {days} days",
    "digest.pending": "🕓 <b>Awaiting acceptance (admins)</b>",
    "digest.pending_line": "  #{number} {problem} — {who} asked to close on {date}",
    "digest.extensions": "⏳ <b>Extension requests to decide (admins)</b>",
    "digest.extension_line": "  #{number} {problem} — {who} asks for {new_due}: {reason}",
    "digest.report": "📝 <b>Progress reports are due by day {day}</b> (no progress recorded this month yet)",
    "digest.report_line": "  #{number} {problem} — {owners}",
    "digest.long_term": "♾ <b>Monthly review of long-term items</b> (please report this month's work)",
    "digest.long_term_line": "  #{number} {problem} — {owners}",
    "digest.footer": "Act: /progress N text · /done N note · /extend N new-deadline reason",
    # --- weekly summary -------------------------------------------------------------------------
    "summary.title": "📊 <b>{title}</b> weekly summary ({start} – {end})",
    "summary.closed": "Closed this week: {count}",
    "summary.closed_none": "Closed this week: 0",
    "summary.closed_line": "  ✅ #{number} {problem} ({owners})",
    "summary.new": "New this week: {count}",
    "summary.active": "Open {active}: overdue {overdue} · due within 7 days {soon} · awaiting acceptance {pending} · long-term {long_term}",
    "summary.rate": "Completion rate {rate}% ({closed}/{total})",
    "summary.overdue": "Overdue:",
    "summary.overdue_line": "  🔴 #{number} {problem} — {days} days overdue {owners}",
    "summary.empty": "This group's ledger has no items yet. Register one: /problem Meeting records incomplete @zhang 月底前",
}
