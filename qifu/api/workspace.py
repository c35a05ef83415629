"""专属空间 API: the summary of an enterprise's space and its timeline."""

from ninja import Router

router = Router(tags=["专属空间"])
