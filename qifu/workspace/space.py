"""Registers the exclusive space's panels and timeline sources (imported by WorkspaceConfig.ready).

Sections that live in their own apps register theirs in their own AppConfig.ready(); the modules
here compose the sections built before the space existed (appeals, matters, policies, …) and the
space's own topics.
"""

from qifu.workspace.panels import core, licences, members, requests  # noqa: F401
