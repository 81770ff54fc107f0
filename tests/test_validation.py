"""One French table for pydantic's errors: the settings and the API say the same words."""

from datetime import date

import pytest
from pydantic import BaseModel, Field, ValidationError

from achat_check.validation import in_french


class _Form(BaseModel):
    workers: int = Field(1, ge=1, le=1_000_000)
    day: date | None = None
    amount: float = Field(0.0, allow_inf_nan=False)
    ratio: float = Field(0.5, gt=0.25, le=0.75)
    isolate: bool = True


def _said(**values) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        _Form(**values)
    return [in_french(e) for e in caught.value.errors()]


def test_numbers_and_bounds_in_french():
    assert _said(workers="deux") == ["nombre entier attendu"]
    assert _said(workers=0) == ["doit valoir au moins 1"]
    assert _said(workers=2_000_000) == ["doit valoir au plus 1000000"]
    assert _said(ratio=0.1) == ["doit valoir plus de 0.25"]
    assert _said(ratio=0.9) == ["doit valoir au plus 0.75"]
    assert _said(isolate="peut-être") == ["true ou false attendu"]
    assert _said(amount="inf") == ["nombre fini attendu"]
    assert _said(day="15/01/2027") == _said(day="2027-01-15T10:30:00") == ["date attendue au format AAAA-MM-JJ (par exemple 2027-01-15)"]


def test_an_unknown_type_keeps_pydantics_words():
    assert in_french({"type": "url_parsing", "msg": "Input should be a valid URL"}) == "Input should be a valid URL"
