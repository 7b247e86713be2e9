"""Request body parsers: a body that cannot be read is a 400, whatever it holds."""

from __future__ import annotations

import json
from typing import Any

from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser

SURROGATE = "Surrogate characters are not allowed: text must be valid Unicode."


def _is_unicode(value: Any) -> bool:
    """False when ``value`` holds a lone surrogate: JSON's ``"\\ud800"`` decodes to one, and no
    database column, page or response can hold it (encoding it to UTF-8 fails)."""
    try:
        json.dumps(value, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return False
    return True


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, refusing with a 400 what would otherwise fail later as a 500:

    - JSON nested too deeply (``[[[[…``): Python's decoder recurses per level and raises
      RecursionError a few thousand levels down;
    - lone surrogates anywhere, named by their top-level field: any error message echoing one
      (``"\\ud800" is not a valid choice``) could not be encoded in the response.
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
        if _is_unicode(data):
            return data
        if isinstance(data, dict):
            for key, value in data.items():
                if _is_unicode(key) and not _is_unicode(value):
                    raise ValidationError({key: [SURROGATE]})
        raise ParseError(f"JSON parse error - {SURROGATE}")
