"""See the topic modules."""
