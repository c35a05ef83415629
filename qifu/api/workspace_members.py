"""专属空间 API: members."""

from ninja import Router

router = Router(tags=["专属空间"])
