"""The exclusive space's own panels and timeline sources, and those it composes from the sections
that have no space module of their own (imported by WorkspaceConfig.ready)."""
