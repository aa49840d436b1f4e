"""Offset paging shared by every module's listings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


def window(session: Session, query: Select[Any], *order_by: Any, limit: int, offset: int) -> tuple[Select[Any], int]:
    """``query``'s page in ``order_by`` order, and how many rows the whole query has."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return query.order_by(*order_by).limit(limit).offset(offset), total
