"""The one error of reading: a file that cannot be read as a report, and why."""


class DocumentError(Exception):
    """A file that cannot be read as a report."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
