"""Counts follow each language's CLDR plural rules; quantities use CLDR number formats.

The forms come from the catalogs (whatever a translator wrote for the code the data has);
which form a number takes is CLDR's rule, written out here per number."""

from __future__ import annotations

import pytest

from .conftest import REGISTRY, count_code, megabytes_code, served_text

#: n → the index of its form in the catalog: Russian one / few / many (nplurals=3).
RUSSIAN_FORMS = {1: 0, 2: 1, 5: 2, 11: 2, 21: 0, 100: 2}
#: n → Arabic zero / one / two / few / many / other (nplurals=6).
ARABIC_FORMS = {1: 1, 2: 2, 5: 3, 11: 4, 21: 4, 100: 5, 103: 3}


@pytest.mark.parametrize(("n", "form"), RUSSIAN_FORMS.items())
def test_russian_one_few_many(client, n, form):
    code, name = count_code("ru")
    want = served_text("ru", f"{code}.meaning", form, **{name: str(n)})
    assert client.get(f"/errors/{code}?lang=ru&{name}={n}").get_json()["meaning"] == want


def test_a_count_below_the_minimum_is_refused_not_declined(client):
    code, name = count_code("ru")
    low = REGISTRY.entries[code].count_param.min - 1
    assert client.get(f"/errors/{code}?lang=ru&{name}={low}").status_code == 400


@pytest.mark.parametrize(("n", "form"), ARABIC_FORMS.items())
def test_arabic_six_forms(client, n, form):
    code, name = count_code("ar")
    want = served_text("ar", f"{code}.meaning", form, **{name: str(n)})
    assert client.get(f"/errors/{code}?lang=ar&{name}={n}").get_json()["meaning"] == want


def test_the_forms_differ_where_cldr_says_they_do():
    """The Russian and Arabic catalogs really decline: one text per CLDR category."""
    code, _ = count_code("ru", "ar")
    for locale_id, forms in (("ru", RUSSIAN_FORMS), ("ar", ARABIC_FORMS)):
        texts = {served_text(locale_id, f"{code}.meaning", form) for form in set(forms.values())}
        assert len(texts) == len(set(forms.values())), locale_id


def test_arabic_zero_form_through_the_catalog(app):
    """0 is outside the API's bounds; the catalog still carries the zero form."""
    code, _ = count_code("ar")
    table = app.extensions["errmsg"].state.service.table
    text, _ = table.translate("ar", f"{code}.meaning", REGISTRY.entries[code].meaning, 0)
    assert text == served_text("ar", f"{code}.meaning", 0)


@pytest.mark.parametrize(
    ("lang", "value", "expected"),
    [
        ("en", 100, "100MB"),
        ("de", 1500, "1.500 MB"),
        ("ru", 1500, "1\xa0500 МБ"),
        ("fr", 100, "100\u202fMo"),
        ("es", 100, "100 MB"),
    ],
)
def test_sizes_use_cldr_units_and_separators(client, lang, value, expected):
    code, name = megabytes_code(lang)
    want = served_text(lang, f"{code}.meaning", **{name: expected})
    assert client.get(f"/errors/{code}?lang={lang}&{name}={value}").get_json()["meaning"] == want


@pytest.mark.parametrize(("lang", "grouped"), [("en", "1,440"), ("de", "1.440"), ("ru", "1\xa0440")])
def test_counts_use_locale_digits_grouping(client, lang, grouped):
    code, name = count_code(lang)
    many_or_other = 2 if lang == "ru" else 1
    want = served_text(lang, f"{code}.meaning", many_or_other, **{name: grouped})
    assert client.get(f"/errors/{code}?lang={lang}&{name}=1440").get_json()["meaning"] == want
