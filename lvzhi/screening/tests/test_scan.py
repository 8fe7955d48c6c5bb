"""scan / scan_article / mask / mask_html: what an author and a reviewer are shown (S2-21, S2-26, S2-27, S0-9)."""

import pytest
from django.test import override_settings
from django.utils import translation

from lvzhi.core import masking, validation
from lvzhi.screening import services
from lvzhi.screening.models import ListKind, Term, WordList

from .conftest import id_card, luhn_complete

pytestmark = pytest.mark.django_db

ID = id_card("11010519491231002")  # the GB 11643 example
ID_X = next(n for n in (id_card(f"4401061990010{i}12") for i in range(10, 100)) if n.endswith("X"))
BANK = luhn_complete("622202123456789012")


def kinds(findings, kind=None):
    return [(f.kind, f.category) for f in findings if kind is None or f.kind == kind]


def personal(findings):
    return [f for f in findings if f.kind == "personal_data"]


@pytest.mark.req("S2-21", "S2-26")
def test_id_card_numbers_need_a_valid_check_digit():
    wrong = ID[:-1] + ("0" if ID[-1] != "0" else "1")
    bad_date = id_card("11010519490231002")  # a right check digit, but 31 February
    text = f"甲的身份证号{ID}，乙的{ID_X.lower()}，旧证440106900101123，错号{wrong}，错日{bad_date}，长串9{ID}9。"
    with translation.override("zh-hans"):
        found = personal(services.scan(text))
    assert [f.category for f in found] == ["id_card", "id_card", "id_card"]
    assert [text[f.start : f.end] for f in found] == [ID, ID_X.lower(), "440106900101123"]
    for f in found:  # never the full number in the excerpt
        assert text[f.start : f.end] not in f.excerpt and f.value == ""
    assert masking.mask_id_card(ID) in found[0].excerpt
    assert [f.label for f in found] == ["身份证号码"] * 3  # the label the reviewer reads
    # One rule for the whole platform: the core GB 11643 check decides, for screening as for registration.
    assert [validation.valid_id_card(n) for n in (ID, ID_X.lower(), "440106900101123", wrong, bad_date)] == [
        True,
        True,
        True,
        False,
        False,
    ]


@pytest.mark.req("S2-21", "S2-26")
def test_mobile_numbers_not_inside_longer_digit_runs():
    text = "联系13800138000；另138-0013-8000与+86 139 1234 5678。订单号2013800138000不算，12800138000也不算。"
    found = personal(services.scan(text))
    assert [(f.category, text[f.start : f.end]) for f in found] == [
        ("mobile", "13800138000"),
        ("mobile", "138-0013-8000"),
        ("mobile", "+86 139 1234 5678"),
    ]
    assert found[0].excerpt.count("138****8000") == 1


@pytest.mark.req("S2-21", "S2-26")
def test_bank_card_numbers_pass_luhn():
    bad = BANK[:-1] + str((int(BANK[-1]) + 1) % 10)
    grouped = " ".join(BANK[i : i + 4] for i in range(0, len(BANK), 4))
    text = f"卡号{BANK}，分组写{grouped}，校验错{bad}。"
    found = personal(services.scan(text))
    assert [(f.category, text[f.start : f.end]) for f in found] == [("bank_card", BANK), ("bank_card", grouped)]


@pytest.mark.req("S2-21", "S2-26")
def test_home_addresses_but_not_office_addresses():
    text = (
        "张某家住东湖区滨江路12号3栋2单元501室。联系地址：江海市政务路1号。"
        "户籍地址：西山县青石镇后街8号。住在阳光小区5栋。"
    )
    found = personal(services.scan(text))
    assert [text[f.start : f.end] for f in found] == [
        "东湖区滨江路12号3栋2单元501室",
        "西山县青石镇后街8号",
        "阳光小区5栋",
    ]
    assert all(f.category == "address" for f in found)
    assert "滨江路**号*栋*单元***室" in found[0].excerpt


@pytest.mark.req("S2-21")
@override_settings(ALLOWED_HOSTS=["lvzhi.example.org"], LVZHI_SCREENING_ALLOWED_HOSTS=["people.com.cn"])
def test_links_to_non_government_sites():
    text = (
        "见 http://www.gov.cn/zhengce/ 与 https://www.jh.gov.cn/a?b=1，"
        "本平台 https://lvzhi.example.org/content/1/，人民网 http://cpc.people.com.cn/x，"
        "商业站点 https://shop.example.com/buy，www.spam-site.com，访问bhhbmj.com，"
        "冒充 http://www.gov.cn.evil.example/ 与 http://www.gov.cn@evil.example/ 。邮箱 a@b.com 不算。"
    )
    found = [f for f in services.scan(text) if f.kind == "external_link"]
    assert [f.value for f in found] == [
        "https://shop.example.com/buy",
        "www.spam-site.com",
        "bhhbmj.com",
        "http://www.gov.cn.evil.example/",
        "http://www.gov.cn@evil.example/",
    ]
    assert all(f.blocking for f in found)  # S2-21: no links to commercial sites
    assert "evil.example" in found[-1].label


@pytest.mark.req("S2-21")
def test_default_advert_lists_and_betting_spam_pattern():
    spam = "777" + "bet"  # a shape, not a brand
    text = f"{spam}客户端_体育官网平台_注册推荐码。网上赌场害人，代开发票，贷款秒批。ＶＩＰ娱乐城开业。"
    found = [f for f in services.scan(text) if f.kind == "advert"]
    values = [f.value for f in found]
    assert spam in values and "体育官网" in values and "注册推荐码" in values
    assert "网上赌场" in values and "赌场" not in values  # the outer term only
    assert "代开发票" in values and "贷款秒批" in values
    assert "娱乐城" in values
    assert all(f.blocking for f in found)  # S2-21: adverts and gambling spam block like secrecy terms


@pytest.mark.req("S0-9", "S0-6", "S2-21")
def test_secrecy_terms_block_and_others_do_not():
    findings = services.scan("本文件为机密★一年，内部资料，请勿外传。")
    assert kinds(findings) == [("secret", "term"), ("sensitive", "term"), ("sensitive", "term")]
    assert services.has_blocking(findings)
    assert findings[0].blocking and not findings[1].blocking
    assert not services.has_blocking(services.scan("内部资料"))


@pytest.mark.req("S2-21")
def test_terms_match_whatever_the_case_and_width(world):
    advert = WordList.objects.create(name="t", kind=ListKind.ADVERT)
    Term.objects.create(word_list=advert, text=services.normalise_term("ＡＢＣ彩票"))
    services._changed()
    assert [f.value for f in services.scan("今天abc彩票与ＡＢＣ彩票和AbC彩票") if f.kind == "advert"] == [
        "abc彩票",
        "ＡＢＣ彩票",
        "AbC彩票",
    ]


@pytest.mark.req("S2-21")
def test_a_list_scoped_to_a_body_applies_to_it_and_the_bodies_below(world):
    county_list = WordList.objects.create(name="区级", kind=ListKind.SENSITIVE, body=world.county)
    Term.objects.create(word_list=county_list, text="青石水库")
    services._changed()
    text = "青石水库扩建"
    assert kinds(services.scan(text, body=world.county)) == [("sensitive", "term")]
    assert kinds(services.scan(text, body=world.city)) == []
    assert kinds(services.scan(text, body=world.other)) == []
    assert kinds(services.scan(text)) == []
    # a platform-wide list applies everywhere
    assert kinds(services.scan("博彩", body=world.other)) == [("advert", "term")]


@pytest.mark.req("S2-26")
def test_mask_agrees_with_core_masking_and_ignores_stale_findings():
    text = f"身份证{ID}，手机13800138000，卡{BANK}，家住滨江路12号3栋501室。"
    masked = services.mask(text)
    assert masking.mask_id_card(ID) in masked and ID not in masked
    assert masking.mask_phone("13800138000") in masked
    assert BANK not in masked and BANK[:4] in masked and BANK[-4:] in masked
    assert "滨江路**号*栋***室" in masked
    assert len(masked) == len(text)
    findings = services.scan(text)
    only_phone = [f for f in findings if f.category == "mobile"]
    partly = services.mask(text, only_phone)
    assert ID in partly and "13800138000" not in partly
    stale = services.scan("前缀" + text)
    assert services.mask(text, [f for f in stale if f.category == "mobile"]) == text  # moved: nothing masked
    assert services.mask("") == "" and services.mask("没有个人信息") == "没有个人信息"


@pytest.mark.req("S2-21", "S2-26", "S2-27")
def test_scan_article_fields_links_media_and_reposts():
    body_html = (
        f"<p>申请人：张三，身份证<b>{ID[:6]}</b>{ID[6:]}，电话13800138000。</p>"
        '<p>详见<a href="https://shop.example.com/item?id=1&amp;x=2">链接</a>，'
        '<a href="/content/3/">站内</a>，<a href="http://www.jh.gov.cn/">政府网</a>，'
        '<a href="mailto:x@y.cn">邮件</a></p>'
        '<img src="https://img.example.net/a.png" alt="">'
        "<script>var x = '13900139000';</script><p>博彩&amp;六合彩</p>"
    )
    findings = services.scan_article(title="关于13900001111的通报", body_html=body_html, is_repost=True, source=" ")
    by_field = {}
    for f in findings:
        by_field.setdefault(f.field, []).append((f.kind, f.category))
    assert by_field["title"] == [("personal_data", "mobile")]
    assert by_field["body"] == [
        ("personal_data", "id_card"),
        ("personal_data", "mobile"),
        ("advert", "term"),
        ("advert", "term"),
    ]
    assert by_field["link"] == [("external_link", "link"), ("external_link", "embed")]
    assert by_field["source"] == [("unsourced_repost", "repost")]
    links = [f for f in findings if f.field == "link"]
    assert links[0].value == "https://shop.example.com/item?id=1&x=2"
    assert body_html[links[1].start : links[1].end] == "https://img.example.net/a.png"
    assert all(ID not in f.excerpt and "13800138000" not in f.excerpt for f in findings)
    # named source: no repost finding; not a repost: none either
    named = services.scan_article(title="t", body_html="<p>x</p>", is_repost=True, source="新华社")
    assert named == []
    assert services.scan_article(title="t", body_html="<p>x</p>") == []
    assert services.scan_article(title="", body_html="") == []


@pytest.mark.req("S2-26")
def test_mask_html_masks_text_across_tags_and_entities_and_leaves_markup():
    body_html = (
        f'<p class="x" data-n="{ID}">身份证<b>{ID[:6]}</b>{ID[6:-1]}&#{ord(ID[-1])};，'
        "电话13800138000，<a href='/u/13800138000'>链接</a></p>"
    )
    masked = services.mask_html(body_html)
    assert f'data-n="{ID}"' in masked and "href='/u/13800138000'" in masked  # attributes are not text
    assert f"<b>{ID[:4]}**</b>" in masked and "*" * 8 + ID[-4:-1] + "&#" in masked
    assert "138****8000，" in masked
    assert services.html_text(masked).count("*") == 10 + 4
    findings = services.scan_article(title="", body_html=body_html)
    only_id = [f for f in findings if f.category == "id_card"]
    partly = services.mask_html(body_html, only_id)
    assert "电话13800138000" in partly and "<b>1101**</b>" in partly
    assert services.mask_html("<p>无</p>") == "<p>无</p>"
    title, html = services.mask_article(title="13800138000", body_html="<p>13800138000</p>")
    assert (title, html) == ("138****8000", "<p>138****8000</p>")


@pytest.mark.req("S2-21")
def test_finding_as_dict_is_plain_data():
    finding = services.scan("博彩")[0]
    data = finding.as_dict()
    assert data["kind"] == "advert" and data["blocking"] is True and isinstance(data["label"], str)
