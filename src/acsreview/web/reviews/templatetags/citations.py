"""``{{ title|with_year:year }}``: a citation with its year, unless it already gives it.

Leads often type the year into the citation itself ("Institute (2021). Evaluation…") and in
the year field too; the year is then not printed twice.
"""

from django import template

register = template.Library()


@register.filter
def with_year(title, year) -> str:
    title = "" if title is None else str(title)
    if year in (None, "") or str(year) in title:
        return title
    return f"{title} ({year})" if title else f"({year})"
