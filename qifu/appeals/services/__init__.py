"""Every write to an appeal goes through here, each step through the one workflow mechanism
(qifu/core/workflow.py) with the table in `qifu/appeals/workflow.py`.

By concern: `intake` (录入), `handling` (研判, 派发 and the department's 诉求应答), `outcome`
(电话回访, evaluation, 办结, 督办, merging, notes), `attachments`.
"""

from qifu.accounts.access import is_platform_staff
from qifu.appeals.services.attachments import (
    ATTACHMENT_KINDS,
    MAX_ATTACHMENTS,
    appeal_attachments_add,
    attachment_check,
)
from qifu.appeals.services.common import (
    CONTACT_WAYS,
    FOLLOWUP_WAYS,
    SUPERVISION_THRESHOLD,
    current_assignment,
    max_extension_working_days,
)
from qifu.appeals.services.handling import (
    appeal_accept,
    appeal_contact,
    appeal_dispatch,
    appeal_extension_decide,
    appeal_extension_request,
    appeal_respond,
    appeal_return,
    appeal_triage,
    needs_triage,
)
from qifu.appeals.services.intake import (
    appeal_file,
    appeal_link_enterprise,
    identify_enterprise,
)
from qifu.appeals.services.outcome import (
    appeal_close,
    appeal_evaluate,
    appeal_followup,
    appeal_merge,
    appeal_note,
    appeal_supervise,
    latest_online_rating,
)
from qifu.core.workflow import TransitionNotAllowed

__all__ = [
    "ATTACHMENT_KINDS",
    "CONTACT_WAYS",
    "FOLLOWUP_WAYS",
    "MAX_ATTACHMENTS",
    "SUPERVISION_THRESHOLD",
    "TransitionNotAllowed",
    "appeal_accept",
    "appeal_attachments_add",
    "appeal_close",
    "appeal_contact",
    "appeal_dispatch",
    "appeal_evaluate",
    "appeal_extension_decide",
    "appeal_extension_request",
    "appeal_file",
    "appeal_followup",
    "appeal_link_enterprise",
    "appeal_merge",
    "appeal_note",
    "appeal_respond",
    "appeal_return",
    "appeal_supervise",
    "appeal_triage",
    "attachment_check",
    "current_assignment",
    "identify_enterprise",
    "is_platform_staff",
    "latest_online_rating",
    "max_extension_working_days",
    "needs_triage",
]
