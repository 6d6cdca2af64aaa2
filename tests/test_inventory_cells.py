"""Reading one inventory cell: a count, a year or an indicator's value, or a clear refusal.

Whatever the cell holds, the reader returns a value or raises ``CellError`` with a message
for the user, never another exception (a 500 on the web, a traceback on the command line).
"""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acsreview.web.reviews.services.inventory_rows import CellError, amount, count, year

ANY_CELL = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.decimals(),
                     st.text(max_size=40), st.from_regex(r"[+-]?[0-9]{1,60}(\.[0-9]*)?",
                                                         fullmatch=True))


@pytest.mark.parametrize(("cell", "value"), [
    (None, None), ("  ", None), (0, 0), (12, 12), (12.0, 12), (" 7 ", 7), ("+7", 7),
    (2_147_483_647, 2_147_483_647), ("0" * 5000, 0), ("0" * 4990 + "12", 12),
])
def test_a_count_is_a_whole_number_or_blank(cell, value):
    assert count(cell) == value


@pytest.mark.parametrize(("cell", "message"), [
    ("2\u00b2", "'2\u00b2' is not a whole number"),  # isdigit() says yes, int() says no
    ("\u2460", "'\u2460' is not a whole number"),  # a circled one
    ("\u0661\u0662", "is not a whole number"),  # Arabic-Indic digits: not what Excel writes
    ("1" + "0" * 5000, "'1000000000000000000000000000000000000000\u2026' is too large"),
    ("-" + "9" * 5000, "is negative"),
    ("9" * 30, "is too large: at most 2147483647"),
    (1.5, "'1.5' is not a whole number"),
    (True, "'True' is not a whole number"),
    (float("inf"), "'inf' is not a whole number"),
    (-1, "'-1' is negative"),
    (2_147_483_648, "'2147483648' is too large"),
    pytest.param(10**5000, "'1.000e\\+5000' is too large", id="5001-digits"),  # no str()
])
def test_a_count_that_is_not_one_is_refused_saying_why(cell, message):
    with pytest.raises(CellError, match=message):
        count(cell)


def test_a_year_with_a_superscript_is_not_a_year():
    with pytest.raises(CellError, match="'2024\u00b2' is not a year"):
        year("2024\u00b2")


@pytest.mark.parametrize(("cell", "value"), [
    (None, None), (0, Decimal("0.00")), ("17.5", Decimal("17.50")), (8123, Decimal("8123.00")),
    ("999999999999.99", Decimal("999999999999.99")), ("1e-999999", Decimal("0.00")),
])
def test_an_amount_is_a_number_with_two_decimals_or_blank(cell, value):
    assert amount(cell) == value


@pytest.mark.parametrize("cell", [1e26, 1e30, 1e308, pytest.param(10**5000, id="5001-digits"),
                                  "1e30", "9" * 40, "1e999999999", "999999999999.995"])
def test_an_amount_past_what_the_database_holds_is_too_large(cell):
    with pytest.raises(CellError, match="is too large: at most 999999999999.99"):
        amount(cell)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(cell=ANY_CELL)
def test_any_cell_is_read_or_refused_with_a_message(cell):
    for read in (count, year, amount):
        try:
            read(cell)
        except CellError as exc:
            assert str(exc)
