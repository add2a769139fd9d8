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
