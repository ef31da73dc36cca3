"""Size limits of form definitions and submissions (one place, documented in docs/forms.md)."""

from __future__ import annotations

MAX_FIELDS = 200  # top-level fields plus sub-table columns
MAX_COLUMNS = 50  # columns of one sub-table
MAX_TABLE_ROWS = 500  # the maxItems cap (and default) of a sub-table
MAX_OPTIONS = 500  # inline options of one choice field
MAX_DOCUMENT_CHARS = 500_000  # serialized form document
MAX_KEY_LENGTH = 64
TEXT_MAX_LENGTH = 2_000  # cap (and default maxLength) of a single-line text
TEXTAREA_MAX_LENGTH = 20_000  # cap (and default maxLength) of a multi-line text
ID_MAX_LENGTH = 64  # user, department, file and dictionary-code ids
MAX_FILES = 50  # attachments/images of one field
PATTERN_MAX_LENGTH = 200  # characters of an admin-supplied regular expression
PATTERN_MAX_REPEAT = 1_000  # largest explicit {m,n} bound inside a pattern
PATTERN_INPUT_LIMIT = 500  # a pattern never runs on a longer string (and maxLength <= this)
MAX_NUMBER = 1e15  # beyond this floats lose cents; money and numbers are capped
