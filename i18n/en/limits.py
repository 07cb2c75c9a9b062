"""English: pages and overflow lines for messages beyond Telegram's limits."""

MESSAGES: dict[str, str] = {
    "card.overflow": "… too long to show here in full. Send /show {number} to see all of it",
    "card.progress_header_latest": "Progress ({count} in all, latest {shown} shown; press ◀ Older for more):",
    "card.progress_header_page": "Progress ({count} in all, showing {first}–{last}):",
    "card.progress_clipped": "(long reports are shortened here; /export has them in full in the sheet 推进记录)",
    "button.older": "◀ Older",
    "button.newer": "Newer ▶",
    "list.overflow": "… this page is long and some rows could not be shown. Narrow the list with a filter, e.g. /list overdue",
    "import.preview.page": "Page {page}/{pages}; press ◀ ▶ to turn pages. Import or Cancel applies to all {count:plural:item|items}",
    "import.preview.overflow": "… this page is long; the rest could not be shown",
}
