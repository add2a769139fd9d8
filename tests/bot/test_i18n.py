"""Translations: lookup, fallback, placeholders."""

from bot.core.models import Language
from bot.i18n import Translator, language_of, zone_label

LOCALES = {"id": {"hi": "Halo {name}", "only_id": "hanya"}, "en": {"hi": "Hello {name}"}}


def test_lookup_in_each_language() -> None:
    t = Translator(LOCALES)
    assert t(Language.ID, "hi", name="Sari") == "Halo Sari"
    assert t("en", "hi", name="Sari") == "Hello Sari"


def test_missing_key_falls_back_to_indonesian_then_to_the_key() -> None:
    t = Translator(LOCALES)
    assert t("en", "only_id") == "hanya"
    assert t("en", "nope") == "nope"


def test_missing_value_keeps_the_placeholder_visible() -> None:
    assert Translator(LOCALES)("id", "hi") == "Halo {name}"


def test_language_of_telegram_codes() -> None:
    assert language_of("en-GB") is Language.EN
    assert language_of("id") is Language.ID
    assert language_of(None) is Language.ID


def test_zone_labels_read_the_way_people_say_them() -> None:
    assert zone_label("Asia/Jakarta") == "WIB"
    assert zone_label("Asia/Jayapura") == "WIT"
    assert zone_label("Asia/Pontianak") == "WIB (Asia/Pontianak)"
    assert zone_label("Etc/GMT-7") == "UTC+7"
    assert zone_label("Europe/Berlin") == "Europe/Berlin"


def test_dates_read_the_way_people_write_them() -> None:
    from datetime import date

    from bot.i18n import format_date
    assert format_date("id", date(2026, 12, 2)) == "2 Desember 2026"
    assert format_date("en", date(2026, 12, 2)) == "2 December 2026"
    assert format_date(Language.ID, date(2026, 12, 2), weekday=True) == "Rabu, 2 Desember 2026"
    assert format_date("en", date(2027, 1, 4), weekday=True) == "Monday, 4 January 2027"


def test_numbers_take_a_decimal_comma_in_indonesian() -> None:
    from bot.i18n import format_number
    assert format_number("id", 5.3) == "5,3"
    assert format_number("en", 5.3) == "5.3"


def test_plural_picks_one_or_other_and_fills_in_n() -> None:
    t = Translator({"id": {"d.one": "1 hari", "d.other": "{n} hari"},
                    "en": {"d.one": "1 day", "d.other": "{n} days"}})
    assert t.plural("en", "d", 1) == "1 day"
    assert t.plural("en", "d", 3) == "3 days"
    assert t.plural("en", "d", 0) == "0 days"
    assert t.plural("id", "d", 3) == "3 hari"


def test_both_languages_when_the_reader_is_unknown() -> None:
    t = Translator(LOCALES)
    assert t.both("hi", name="Sari") == "Halo Sari\n\nHello Sari"


def test_shipped_texts_have_no_singular_plural_slips() -> None:
    from bot.content import default_content_dir, load_content
    t = Translator(load_content(default_content_dir()).locales)
    assert t.plural("en", "pause.days_button", 1) == "1 day"
    assert t.plural("en", "facilitator.group_line", 1, group="G") == "<b>G</b>: 1 participant"
    for lang in ("id", "en"):
        for trend in ("lower", "similar", "higher"):
            for n in (1, 4):
                text = t.plural(lang, f"rate.reflect.{trend}", n, mean="5")
                assert "?" not in text  # never a question the bot cannot take
                assert "1 hari" not in text and "1 days" not in text
