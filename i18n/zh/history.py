"""中文:变更记录的句子 (the item's history, on /show and in the export's 推进记录).

Each sentence follows the actor's name: ``王书记 将时限由2026-11-30改为长期坚持``.
``{old}``/``{new}`` are deadlines, owner names or field values already put into words;
``{text}`` is a reason, comment or note as typed.
"""

MESSAGES: dict[str, str] = {
    "history.created": "登记事项",
    "history.created_imported": "通过导入登记事项",
    "history.claimed": "认领事项",
    "history.assigned": "将责任人由{old}改为{new}",
    "history.assigned_first": "指定责任人为{new}",
    "history.progress": "报送进展",
    "history.progress_text": "报送进展:{text}",
    "history.done": "申请销号",
    "history.done_text": "申请销号,说明:{text}",
    "history.approved": "验收通过,予以销号",
    "history.approved_text": "验收通过,予以销号,意见:{text}",
    "history.rejected": "退回,继续整改",
    "history.rejected_text": "退回,继续整改,原因:{text}",
    "history.reopened": "重新打开事项",
    "history.reopened_text": "重新打开事项,原因:{text}",
    "history.deadline": "将时限由{old}改为{new}",
    "history.extension_requested": "申请延期,时限由{old}延至{new}",
    "history.extension_requested_text": "申请延期,时限由{old}延至{new},原因:{text}",
    "history.extension_approved": "同意延期,新时限{new}",
    "history.extension_rejected": "驳回延期至{new}的申请",
    "history.extension_withdrawn": "撤回延期至{new}的申请(事项已销号、删除或另定时限,无需再审批)",
    "history.acknowledged": "签收",
    "history.acknowledged_text": "签收:{text}",
    "history.edited": "将{field}由{old}改为{new}",
    "history.deleted": "删除事项",
    "history.undeleted": "恢复事项",
    "history.owner_linked": "关联账号,成为责任人(原登记为 @{username})",
    "history.measure_done": "完成第{positions}条措施",
    "history.measure_done_many": "完成第{positions}条措施",
    "history.value": "“{value}”",
    # An entry whose details could not be read back (a very old record): its name and text.
    "history.unclear": "{what}:{text}",
}
