"""English: the committee → branch tree (linking, dispatch, roll-up)."""

MESSAGES: dict[str, str] = {
    "tree.error.code_unknown": "That link code is not valid. Ask an admin of the parent group to send /link for a new code, then send /join CODE here, for example: /join ABCD-EFGH",
    "tree.error.code_used": "That link code has already been used (each code works once). Ask an admin of the parent group to send /link for a new one.",
    "tree.error.code_expired": "That link code has expired (codes are valid for 24 hours). Ask an admin of the parent group to send /link for a new one.",
    "tree.error.self": "A group cannot be linked under itself. Send /join CODE in the branch group.",
    "tree.error.has_parent": "This group is already linked to a parent. An admin must /unlink it first, then /join the new code.",
    "tree.error.cycle": "This link is not possible: the parent is already below this group, so linking would make a loop.",
}
