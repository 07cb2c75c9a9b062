"""中文:读懂成员输入的内容 (owners typed, several item numbers, two deadlines, names)."""

MESSAGES: dict[str, str] = {
    # --- owners ----------------------------------------------------------------------------------
    "error.owner_invalid": "“{given}”不是有效的责任人。责任人请写 @用户名、点选提及成员或写姓名,例如:/assign 12 @zhang 李四",
}
