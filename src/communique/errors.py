"""The one error hierarchy of communique.

Every message says what went wrong, where (file, line, article id) and what to do,
in the spirit of spaCy's ``errors.py``. Library code raises these; only the CLI
prints them.
"""

from __future__ import annotations


class CommuniqueError(Exception):
    """Base class: ``str(err)`` is a complete message with a fix."""

    def __init__(self, what: str, where: str | None = None, fix: str | None = None):
        self.what = what
        self.where = where
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = f"{self.where}: {self.what}" if self.where else self.what
        if self.fix:
            text += f". Try: {self.fix}"
        return text


class InputError(CommuniqueError):
    """An input path or stream cannot be read at all."""


class ModelError(CommuniqueError):
    """The spaCy model or a pipeline stage cannot be loaded."""


class SettingsError(CommuniqueError):
    """A stage setting given to the pipeline (API ``config=``, CLI ``--set``) is unknown or of the wrong type."""


class KnowledgeBaseError(CommuniqueError):
    """A knowledge-base table (shipped or a user overlay) is malformed."""


class EvaluationError(CommuniqueError):
    """A gold file does not have the shape its task needs."""


class StoreError(CommuniqueError):
    """The Parquet store cannot be written or queried."""
