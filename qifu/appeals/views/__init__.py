"""The appeal pages: the enterprise files and follows its appeals, platform staff triage, dispatch,
follow up and close them, departments handle what was dispatched to them.

Views are thin: parse a form, call a service or selector, render or redirect.
"""

from qifu.appeals.views.common import is_department_user, is_staff_viewer
from qifu.appeals.views.detail import act, attachment_download, detail
from qifu.appeals.views.intake import enterprise_options, new, record
from qifu.appeals.views.lists import awaiting_evaluation, inbox, manage, my_appeals

__all__ = [
    "act",
    "attachment_download",
    "awaiting_evaluation",
    "detail",
    "enterprise_options",
    "inbox",
    "is_department_user",
    "is_staff_viewer",
    "manage",
    "my_appeals",
    "new",
    "record",
]
