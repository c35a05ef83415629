"""专属空间 API: requests."""

from ninja import Router

router = Router(tags=["专属空间"])
