"""专属空间 API: licences."""

from ninja import Router

router = Router(tags=["专属空间"])
