# English interface keeps the Vietnamese conventions for dates: the documents are Vietnamese.
from config.formats.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
