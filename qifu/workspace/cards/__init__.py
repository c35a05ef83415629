"""The exclusive space's own cards and timeline sources (registered by WorkspaceConfig.ready)."""
