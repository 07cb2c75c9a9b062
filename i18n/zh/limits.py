"""中文:超出 Telegram 单条消息上限时的分页与提示 (message limits: pages, overflow lines)."""

MESSAGES: dict[str, str] = {
    "card.overflow": "……内容较长,此处未能全部显示。发送 /show {number} 查看完整内容",
    "card.progress_header_latest": "推进情况(共{count}条,显示最近{shown}条,点 ◀ 更早 翻看):",
    "card.progress_header_page": "推进情况(共{count}条,显示第{first}–{last}条):",
    "card.progress_clipped": "(较长的进展已截短,完整内容见 /export 导出的“推进记录”)",
    "button.older": "◀ 更早",
    "button.newer": "更近 ▶",
    "list.overflow": "……本页较长,其余几行未能显示。请用 /list 加筛选条件(如 /list overdue)缩小范围",
    "import.preview.page": "第{page}/{pages}页,点 ◀ ▶ 翻页;确认或取消对全部{count}项有效",
    "import.preview.overflow": "……本页较长,其余内容未能显示",
}
