"""中文:党委与支部的上下级关系(关联、交办、汇总)。."""

MESSAGES: dict[str, str] = {
    "tree.error.code_unknown": "关联码不正确。请让上级党组织群的管理员发送 /link 获取新的关联码,再在本群发送 /join 关联码,例如:/join ABCD-EFGH",
    "tree.error.code_used": "这个关联码已经用过了(每个码只能用一次)。请让上级党组织群的管理员重新发送 /link 获取新码。",
    "tree.error.code_expired": "这个关联码已过期(24小时内有效)。请让上级党组织群的管理员重新发送 /link 获取新码。",
    "tree.error.self": "不能把本群关联为自己的下级。请在支部群里发送 /join 关联码。",
    "tree.error.has_parent": "本群已关联上级党组织。如需改挂,请先由管理员发送 /unlink 解除关联,再 /join 新的关联码。",
    "tree.error.cycle": "不能这样关联:上级党组织已是本群的下级,关联后会形成循环。",
}
