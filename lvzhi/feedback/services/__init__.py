"""The writes of the feedback module, one module per use case; every public name is re-exported here."""

from .giving import give_feedback
from .handling import answer_feedback, close_feedback, record_change

__all__ = ["answer_feedback", "close_feedback", "give_feedback", "record_change"]
