"""What every workflow in the platform shares."""


class TransitionNotAllowed(Exception):
    """The current stage or status does not allow the action: a page message, HTTP 409 in the API.

    Each workflow (appeals, publishing, …) raises a subclass; the API maps this base class once.
    """
