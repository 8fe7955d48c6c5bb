"""The core validation kit: clean_text, ID-card numbers, mobile numbers."""

import pytest

from lvzhi.core.errors import ValidationFailed
from lvzhi.core.validation import clean_id_card, clean_mobile, clean_text, safe_query, valid_id_card


def _code(fn, *args, **kwargs):
    with pytest.raises(ValidationFailed) as info:
        fn(*args, **kwargs)
    return info.value.code


@pytest.mark.req("S2-34")
@pytest.mark.parametrize(
    "value",
    ["标题\u0007", "标题\u001b[31m", "a\x00b", "x\x7f", "\u202e反向", "左\u2066隔离\u2069"],
)
def test_control_and_bidi_characters_are_refused(value):
    assert _code(clean_text, value, field="title", max_length=200) == "title_invalid"


@pytest.mark.req("S2-34")
@pytest.mark.parametrize("value", ["", "   ", "\u200b\u200b", "\ufeff \u200d", None])
def test_empty_and_invisible_only_text_is_required(value):
    assert _code(clean_text, value, field="title", max_length=200) == "title_required"
    assert clean_text(value, field="title", max_length=200, required=False) == ""


@pytest.mark.req("S2-34")
def test_over_long_text_is_refused_with_the_limit_named_not_cut():
    with pytest.raises(ValidationFailed) as info:
        clean_text("字" * 10_000, field="title", max_length=200)
    assert info.value.code == "title_too_long"
    assert "200" in str(info.value.message) and "10000" in str(info.value.message)
    assert clean_text("字" * 200, field="title", max_length=200) == "字" * 200


@pytest.mark.req("S2-34")
def test_one_line_text_is_folded_and_multiline_keeps_its_paragraphs():
    assert clean_text("  电梯   加装\n问题 ", field="title", max_length=50) == "电梯 加装 问题"
    text = clean_text("第一段\r\n\r\n第二段\t\n", field="body", max_length=50, multiline=True)
    assert text == "第一段\n\n第二段"


@pytest.mark.req("S0-22")
def test_id_card_check_digit_and_birth_date():
    assert valid_id_card("11010519491231002X")
    assert valid_id_card("11010519491231002x")
    assert not valid_id_card("110105194912310021")  # wrong check digit
    assert not valid_id_card("110105194913310020")  # month 13
    assert clean_id_card("11010519491231002x") == "11010519491231002X"
    assert clean_id_card("") == ""
    assert _code(clean_id_card, "110105194912310021") == "id_card_invalid"
    assert _code(clean_id_card, "110105491231002", field="id") == "id_invalid"  # 15 digits: not for registration
    assert _code(clean_id_card, "", required=True) == "id_card_required"


@pytest.mark.req("S0-22")
def test_mobile_numbers():
    assert clean_mobile("+86 138-0013-8000") == "13800138000"
    assert _code(clean_mobile, "12800138000") == "phone_invalid"
    assert _code(clean_mobile, "1380013800\x00") == "phone_invalid"
    assert _code(clean_mobile, "") == "phone_required"


def test_queries_lose_nul_and_bidi_and_are_bounded():
    assert safe_query("a\x00b\u202ec  d") == "abc d"
    assert len(safe_query("x" * 500)) == 100
