"""A reused reviewer page is kept as UTF-8 bytes around its slots: each response joins bytes and
its own secrets, and reads exactly as the page rendered."""

from accord.portal.review.page_cache import RenderedPage, slot

PAGE = (
    f'<p>Келісу раунды № 1 · Құрбандарын</p><input value="{slot("csrf")}"><b>{slot("comment")}</b>ү'
)


def test_a_filled_page_is_the_rendered_page_in_utf8_with_its_values() -> None:
    page = RenderedPage.of(PAGE)
    filled = page.fill({"csrf": "a1b2", "comment": "key-1"})
    assert isinstance(filled, bytes)
    expected = PAGE.replace(str(slot("csrf")), "a1b2").replace(str(slot("comment")), "key-1")
    assert filled.decode("utf-8") == expected


def test_the_text_between_slots_is_encoded_once_when_the_page_is_built() -> None:
    page = RenderedPage.of(PAGE)
    assert [type(part) for part in page.parts] == [bytes, str, bytes, str, bytes]
    assert page.parts[1::2] == ("csrf", "comment")
    other = page.fill({"csrf": "c3d4", "comment": "key-2"})
    assert b"c3d4" in other and b"key-2" in other and "ү".encode() in other
