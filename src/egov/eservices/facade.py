"""What other modules (statistics) use from online services: the satisfaction ratings
(read-only) and the hook called when one is given."""

from egov.eservices.hooks import rating_listener_register
from egov.eservices.models import Satisfaction, SatisfactionRating

__all__ = ["Satisfaction", "SatisfactionRating", "rating_listener_register"]
