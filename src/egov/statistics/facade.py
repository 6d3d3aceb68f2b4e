"""What other modules may import from ``statistics``: the public board's figures."""

from egov.statistics.board import public_board
from egov.statistics.types import BoardFigures, PublicBoard

__all__ = ["BoardFigures", "PublicBoard", "public_board"]
