"""The one rule for ids the API takes: a body field, a filter or a list of ids.

A row's id is a positive signed 64-bit integer in every supported database; a larger
number would overflow the query and crash it, so it is refused as bad input (422, the
field named) before any query runs. Path ids are looked up by
``coffeechat.core.scoping.get_owned_or_404``, where a number out of this range is
simply not found (404), as with any other id that is not one of yours.
"""

from typing import Annotated

from pydantic import Field

from coffeechat.core.scoping import MAX_ID

ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]

__all__ = ["MAX_ID", "ObjectId"]
