"""Default word lists that apply everywhere: secrecy markings, sensitive wording, and commercial adverts and
gambling spam (S2-21, S0-9). The information office and the secrecy office extend them in /office/screening/.
The "<digits>bet…" brand spam of defaced government pages is caught by a built-in pattern, not listed here."""

from django.db import migrations

SECRET = ["绝密★", "机密★", "秘密★", "★绝密", "★机密", "★秘密", "绝密级", "机密级", "秘密级", "涉密文件", "涉密材料"]
SENSITIVE = ["内部资料", "内部文件", "内部材料", "内部传阅", "请勿外传", "不得外传", "不宜公开", "工作秘密", "内部参考"]
ADVERT = [
    "博彩", "赌场", "百家乐", "六合彩", "网上赌博", "网络赌博", "赌球", "时时彩", "老虎机", "真人娱乐", "线上娱乐",
    "彩金", "下注", "投注平台", "代开发票", "发票代开", "出售发票", "贷款秒批", "秒批贷款", "无抵押贷款", "网贷秒下",
    "快速办证", "办证刻章", "刻章办证", "高仿证件", "信用卡套现", "兼职刷单", "刷单返利", "日结兼职", "私家侦探", "代孕",
]
LISTS = [
    ("保密标识（默认）", "secret", SECRET, "国家秘密载体的密级标识。命中即不得提交。"),
    ("敏感用语（默认）", "sensitive", SENSITIVE, "可能不宜公开的内部材料用语，由审核人确认。"),
    ("商业广告与赌博（默认）", "advert", ADVERT, "商业广告、赌博和诈骗类垃圾信息。"),
]


def seed(apps, schema_editor):
    WordList = apps.get_model("screening", "WordList")
    Term = apps.get_model("screening", "Term")
    ScreeningState = apps.get_model("screening", "ScreeningState")
    for name, kind, terms, description in LISTS:
        word_list, _ = WordList.objects.get_or_create(
            name=name, kind=kind, body=None, defaults={"description": description}
        )
        existing = set(Term.objects.filter(word_list=word_list).values_list("text", flat=True))
        Term.objects.bulk_create([Term(word_list=word_list, text=t) for t in terms if t not in existing])
    ScreeningState.objects.update_or_create(pk=1, defaults={"version": 1, "stamp": "seed"})


def unseed(apps, schema_editor):
    WordList = apps.get_model("screening", "WordList")
    WordList.objects.filter(body=None, name__in=[name for name, *_ in LISTS], created_by=None).delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_word_lists")]
    operations = [migrations.RunPython(seed, unseed)]
