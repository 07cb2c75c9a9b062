"""English: help, common errors, buttons and the command menu."""

MESSAGES: dict[str, str] = {
    # --- help -------------------------------------------------------------------------------
    "help.group": (
        "<b>Rectification ledger bot</b>\n"
        "Register problems in the group, claim them, report progress, ask to close them; admins "
        "accept. I remind owners before and after deadlines and post a weekly summary every Monday.\n\n"
        "<b>Register</b>\n"
        "/problem Meeting minutes incomplete @zhang end of month\n"
        "/problem Party dues collected late\nowner: @zhang, Li Si\ndue: 2026-12-31\nmeasures: 1.Keep a dues ledger 2.Monthly reminder\n"
        "(or reply to any message with /problem end of month)\n\n"
        "<b>Read</b>  /list [open|overdue|pending|done|all|mine|@user]  /show 12  /mine  /stats  /summary\n"
        "<b>Work</b>  /claim 12  /progress 12 ledger updated  /tick 12 2  /done 12 fixed  /extend 12 2026-12-31 reason\n"
        "<b>Admins</b>  /approve 12  /reject 12 reason  /reopen 12 reason  /assign 12 @li Wang  /due 12 by next Friday  "
        "/edit 12 category Organisation  /delete 12  /undelete 12  /settings  /lang zh\n"
        "<b>Committee and branches</b>  /link (committee admin: a code)  /join CODE (branch admin)  "
        "/branches  /dispatch 12 第一党支部 第二党支部  /unlink\n"
        "In a committee, /list /stats /mine cover every branch; /show 第一党支部#3 shows a branch's item.\n"
        "Item numbers may be written 12, #12 or ＃12."
    ),
    "help.private": (
        "<b>Rectification ledger bot</b>\n"
        "Add me to a branch or committee group to keep its rectification ledger in the chat.\n"
        "Here in private: /mine shows your open items across your groups; private copies of "
        "reminders come here too.\n\n"
        "In groups: /problem Meeting minutes incomplete @zhang end of month · /list · /done 12 · /help"
    ),
    "help.welcome": (
        "Hello, I keep the rectification ledger of “{title}” from now on.\n"
        "Register a problem: /problem Meeting minutes incomplete @zhang end of month\n"
        "All commands: /help"
    ),
    "help.unknown_command": "There is no {command} command. Send /help for all commands with examples.",
    "reply.use_command": "To report progress on #{number}, send: {example}\n(or /done {number} note to ask to close it; replying to its card works too: /show {number})",
    "lang.changed": "This group now speaks English.",
    # --- errors -------------------------------------------------------------------------------
    "error.internal": "Something failed while handling that ({detail}); it has been logged. Please try again later.",
    "error.group_only": "This command works in a group. For example, in the branch group send: /list",
    "error.usage": "Usage: {usage}",
    "error.item_number": "“{given}” is not an item number. Write a number, for example: /show 12 or /show #12",
    "error.item_number_space": "“{given}” is not an item number: leave a space after the number, then write the rest. For example: {example}",
    "error.item_number_for": "“{given}” is not an item number. Write a number, for example: {example}",
    "error.no_item": "This group has no item #{number}. Send /list all to see every item here.",
    "error.admin_only": "Only admins (group administrators or superusers) may {action}. Someone just made an admin is recognised within a few minutes.",
    "error.owner_only": "Only the owners of #{number} or an admin may {action}. Claim it first with /claim {number}.",
    "error.creator_only": "Only whoever registered #{number} or an admin may {action}.",
    "error.deleted": "#{number} has been deleted. An admin can restore it with /undelete {number}.",
    "error.not_deleted": "#{number} is not deleted; nothing to restore.",
    "error.already_pending": "#{number} is already waiting for an admin to accept it.",
    "error.already_closed": "#{number} is already closed. To work on it again, an admin sends /reopen {number} reason",
    "error.not_pending": "#{number} is not waiting for acceptance. Its owner first sends /done {number}.",
    "error.not_closed": "#{number} is not closed; there is nothing to reopen.",
    "error.already_owner": "You already own #{number}.",
    "error.problem_empty": "Please write the problem. For example:\n/problem Meeting minutes incomplete @zhang end of month",
    "error.problem_too_long": "The problem is too long ({length} characters, limit {limit}). Shorten it and add details with /progress.",
    "error.field_too_long": "{field} is too long (limit {limit} characters).",
    "error.deadline_already_set": "#{number} already has a deadline. An admin can change it, for example: /due {number} by next Friday",
    "error.assign_nobody": "Name the owners. For example: /assign 12 @zhang, Li Si (or reply to someone's message with /assign 12)",
    "error.progress_empty": "Please write the progress. For example: /progress {number} October ledger completed",
    "error.reason_required": "Please give a reason. For example: /{command} {number} the minutes are not signed",
    "error.edit_field": "“{field}” cannot be edited. Editable: problem, category, unit, lead, measures, source, detail. For example: /edit 12 category Organisation",
    "error.extend_needs_date": "An extension needs a new date. For example: /extend {number} 2026-12-31 waiting for approval upstream",
    "error.extension_waiting": "#{number} already has an extension request waiting for a decision.",
    "error.no_extension": "That extension request cannot be found.",
    "error.extension_decided": "That extension request for #{number} has already been decided.",
    "error.no_files": "#{number} has no files yet. Attach a photo or file to /progress {number} text to keep evidence.",
    "error.list_filter": "“{given}” is not a list filter. Use /list open|overdue|pending|done|all|mine|@user, for example: /list overdue",
    "problem.unknown_label": (
        "Unknown label “{label}”. Labels: problem, owner, lead, unit, due, category, measures, source, detail. For example:\n"
        "/problem Party dues collected late\nowner: @zhang, Li Si\ndue: 2026-12-31"
    ),
    # --- actions (used inside permission errors) -----------------------------------------------
    "action.approve": "accept items (/approve)",
    "action.reject": "return items (/reject)",
    "action.reopen": "reopen items (/reopen)",
    "action.delete": "delete items (/delete)",
    "action.undelete": "restore items (/undelete)",
    "action.due": "set deadlines (/due)",
    "action.assign": "assign owners (/assign)",
    "action.edit": "edit items (/edit)",
    "action.progress": "report progress (/progress)",
    "action.tick": "tick measures done (/tick)",
    "action.done": "ask to close it (/done)",
    "action.extend": "ask for an extension (/extend)",
    "action.extend_decide": "decide extension requests",
    "action.lang": "change the language (/lang)",
    "action.settings": "change settings (/settings)",
    "action.import": "import plans (/import)",
    "action.export": "export the ledger (/export)",
    "action.summary": "post the summary (/summary)",
    # --- usage ----------------------------------------------------------------------------------
    "usage.show": "/show 12 (files: /show 12 files)",
    "usage.claim": "/claim 12 (several: /claim 12 13)",
    "usage.assign": "/assign 12 @zhang, Li Si",
    "usage.progress": "/progress 12 October ledger completed",
    "usage.done": "/done 12 minutes completed and signed",
    "usage.approve": "/approve 12 accepted (several: /approve 12-15)",
    "usage.reject": "/reject 12 the minutes are not signed",
    "usage.reopen": "/reopen 12 the problem came back",
    "usage.edit": "/edit 12 category Organisation",
    "usage.delete": "/delete 12 (several: /delete 12 13 or /delete 12-15)",
    "usage.undelete": "/undelete 12 (several: /undelete 12-15)",
    "usage.due": "/due 12 2026-12-31",
    "usage.extend": "/extend 12 2026-12-31 waiting for approval upstream",
    "usage.lang": "/lang zh or /lang en",
    # --- command menu ----------------------------------------------------------------------------
    "menu.problem": "Register a problem",
    "menu.list": "List items",
    "menu.show": "Show one item",
    "menu.mine": "My open items",
    "menu.claim": "Claim an item",
    "menu.progress": "Report progress",
    "menu.done": "Ask to close an item",
    "menu.approve": "Accept and close (admins)",
    "menu.reject": "Return an item (admins)",
    "menu.extend": "Ask for an extension",
    "menu.summary": "This week's summary",
    "menu.stats": "Statistics",
    "menu.settings": "Group settings",
    "menu.help": "Help and examples",
}
