"""The front and back matter of an imported report: title, subtitle, speaker, byline, 主送机关,
salutation, web-page chrome at the top; 落款 and 成文日期 at the end.

Plain text gives no styles, so each is recognised by its wording (``——……会议上``, ``各位代表：``,
``住房城乡建设部：``, ``作者：……来源：……``); a .docx adds its styles (Title, 副标题, 落款 …) and
alignment, which settle what wording alone cannot.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from generator.import_outline import Para
from generator.import_text import leading_number, numeral_value

_CHROME = re.compile(
    r"^(?:首页|网站首页|当前位置.*|您现在的位置.*|您当前的位置.*|所在位置.*|[>＞»].*"
    r"|【?字体[:：].*|打印本页|打印|关闭窗口|关闭|返回顶部|分享到.*|【打印】|【关闭】"
    r"|(?:浏览次数|点击数|阅读次数|访问量)[:：]?\s*\d*)$"
)
_PUBLISHED = re.compile(r"(?:发布日期|发布时间|信息来源|浏览次数|点击数|来源)[:：]")
_ISO_DATE = re.compile(r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?")
_BYLINE_LABELS = {"作者": "author", "审核人": "reviewer", "来源": "source", "日期": "date"}
_BYLINE = re.compile(r"(作者|审核人|来源|发布日期|日期|点击数|浏览次数)[:：]")
_SALUTATION = re.compile(
    r"^(?P<who>各位[^，。：:！!]{1,10}|同志们|女士们、先生们|同志们、朋友们)[：:！!]?$"
)
_SUBTITLE = re.compile(r"^[—－]{1,2}\S")
_SPEAKER = re.compile(r"^[^\s，。：:；]{1,24}[ \u3000]+[^\s，。：:；]{2,4}$")
_SECTION_LABEL = re.compile(r"^【[^】]{2,40}】(?=\S)")
_TITLE_WORDS = (
    "报告",
    "总结",
    "情况",
    "计划",
    "要点",
    "方案",
    "意见",
    "思路",
    "讲话",
    "汇报",
    "安排",
)
_PERIOD = re.compile(
    r"[（(](?P<period>(?:\d{4}年)?(?:上半年|下半年|前三季度|全年|第[一二三四]季度|[一二三四]季度"
    r"|\d{1,2}[-—～~至]\d{1,2}月|\d{1,2}月(?:份)?|年中|年度))[）)]$"
)
_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4}
_CN_DIGIT.update({"五": 5, "六": 6, "七": 7, "八": 8, "九": 9})
_SIGNATURE_DATE = re.compile(
    r"^(?P<y>\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$"
)


@dataclass
class Front:
    """What stands before the opening."""

    title: list[str] = field(default_factory=list)
    subtitle: str | None = None
    speaker: str | None = None
    salutation: str | None = None
    recipient: str | None = None
    byline: dict[str, str] = field(default_factory=dict)
    published: dt.date | None = None
    published_by: str | None = None
    period: str | None = None
    notes: list[str] = field(default_factory=list)
    start: int = 0


@dataclass
class Back:
    """The 落款 at the end: the issuing body and 成文日期, and where they start."""

    org: str | None = None
    date: dt.date | None = None
    end: int = 0
    notes: list[str] = field(default_factory=list)


def parse_date(text: str) -> dt.date | None:
    """``2024-02-27``, ``2024年2月27日`` or ``二〇二四年二月二十七日`` as a date."""
    match = _SIGNATURE_DATE.match(text.strip())
    if match is not None:
        year = match["y"]
        year_value = int(year) if year.isdigit() else int("".join(str(_CN_DIGIT[c]) for c in year))
        month, day = numeral_value(match["m"]), numeral_value(match["d"])
    else:
        iso = _ISO_DATE.search(text)
        if iso is None:
            return None
        year_value, month, day = (int(part) for part in iso.groups())
    if month is None or day is None:
        return None
    try:
        return dt.date(year_value, month, day)
    except ValueError:
        return None


def _ends_sentence(text: str) -> bool:
    return text.endswith(("。", "；", "，", "！", "？", "…", "：", ":"))


def _title_like(paragraph: Para) -> bool:
    text = paragraph.text
    return (
        len(text) <= 60
        and not _ends_sentence(text)
        and leading_number(text) is None
        and text.count("，") <= 1
        and not _SUBTITLE.match(text)
        and not _SALUTATION.match(text)
        and not _BYLINE.search(text)
        and not text.startswith(("一是", "各位"))
    )


def _recipient(text: str) -> str | None:
    """``住房城乡建设部：`` (主送机关): a short name ending with a colon, no sentence in it."""
    if not text.endswith(("：", ":")):
        return None
    name = text[:-1].strip()
    if not name or len(name) > 40 or any(mark in name for mark in "，。；：！？“"):
        return None
    if _SALUTATION.match(text) or leading_number(text) is not None:
        return None
    return name


def read_front(paragraphs: list[Para]) -> Front:
    """The front matter of a report, from its first paragraphs."""
    front = Front()
    index = 0
    while index < len(paragraphs):
        text = paragraphs[index].text
        if _CHROME.match(text):
            front.notes.append(f"网页上的“{text[:20]}”不是报告内容，已略去")
        elif not front.title and _published_line(text, front):
            pass
        else:
            break
        index += 1
    index = _title(paragraphs, index, front)
    while index < len(paragraphs):
        paragraph = paragraphs[index]
        text = paragraph.text
        if _CHROME.match(text):
            front.notes.append(f"网页上的“{text[:20]}”不是报告内容，已略去")
        elif front.subtitle is None and (paragraph.style == "副标题" or _SUBTITLE.match(text)):
            front.subtitle = text
        elif front.speaker is None and (
            paragraph.style == "讲话人"
            or (front.subtitle is not None and _SPEAKER.match(text) and len(text) <= 30)
        ):
            front.speaker = text
        elif not front.byline and (paragraph.style == "署名行" or _is_byline(text)):
            _byline(text, front)
        elif _published_line(text, front):
            pass
        elif front.salutation is None and (match := _SALUTATION.match(text)):
            front.salutation = match["who"]
        elif (
            front.recipient is None
            and front.salutation is None
            and (name := _recipient(text)) is not None
        ):
            front.recipient = name
        else:
            break
        index += 1
    front.start = index
    return front


def _title(paragraphs: list[Para], index: int, front: Front) -> int:
    if index >= len(paragraphs):
        return index
    first = paragraphs[index]
    if first.style in ("Title", "标题"):
        while index < len(paragraphs) and paragraphs[index].style in ("Title", "标题"):
            front.title += paragraphs[index].text.splitlines()
            index += 1
    elif _title_like(first) or _SECTION_LABEL.match(first.text):
        front.title.append(first.text)
        index += 1
        if index < len(paragraphs):
            second = paragraphs[index]
            if (
                _title_like(second)
                and len(second.text) <= 30
                and second.text.endswith(_TITLE_WORDS)
                and not first.text.endswith(_TITLE_WORDS)
                and first.alignment == second.alignment
            ):
                front.title.append(second.text)
                index += 1
    if front.title:
        label = _SECTION_LABEL.match(front.title[0])
        if label is not None:
            front.notes.append(f"标题前网页栏目名“{label[0]}”已略去")
            front.title[0] = front.title[0][label.end() :]
        period = _PERIOD.search(front.title[-1])
        if period is not None:
            front.period = period["period"]
    return index


def _is_byline(text: str) -> bool:
    labels = {match[1] for match in _BYLINE.finditer(text)}
    return text.startswith("作者") or len(labels & {"作者", "审核人", "来源", "日期"}) >= 2


def _byline(text: str, front: Front) -> None:
    """``作者:政策法规处审核人:马超来源:……日期:2024-02-27点击数:`` as byline fields."""
    matches = list(_BYLINE.finditer(text))
    for number, match in enumerate(matches):
        end = matches[number + 1].start() if number + 1 < len(matches) else len(text)
        value = text[match.end() : end].strip(" \u3000\t")
        label = match[1]
        if label in ("点击数", "浏览次数"):
            front.notes.append(f"网页上的“{label}”不是报告内容，已略去")
            continue
        key = _BYLINE_LABELS.get(label, "date")
        if not value:
            continue
        if key == "date":
            date = parse_date(value)
            if date is None:
                continue
            value = date.isoformat()
        front.byline[key] = value


def _published_line(text: str, front: Front) -> bool:
    """``发布日期:2021-09-08 17:17 信息来源:市政府办公室 浏览次数:`` (a web page's header)."""
    if not _PUBLISHED.search(text) or len(text) > 120 or (_is_byline(text) and front.title):
        return False
    if "发布" not in text and "信息来源" not in text and "浏览" not in text:
        return False
    date = parse_date(text)
    if date is not None:
        front.published = date
    source = re.search(r"(?:信息来源|来源)[:：]\s*(?P<source>[^\s:：]+)", text)
    if source is not None:
        front.published_by = source["source"]
    front.notes.append(f"网页的发布信息“{text[:30]}”不是报告内容，已略去（发布日期和来源已读取）")
    return True


def read_back(paragraphs: list[Para], org: str | None) -> Back:
    """The 落款 (issuing body, then 成文日期) closing the report, if there is one."""
    back = Back(end=len(paragraphs))
    if not paragraphs:
        return back
    last = paragraphs[-1]
    date = parse_date(last.text) if _SIGNATURE_DATE.match(last.text.strip()) else None
    if date is None:
        return back
    back.date = date
    back.end = len(paragraphs) - 1
    if len(paragraphs) >= 2:
        before = paragraphs[-2]
        text = before.text
        if before.style == "落款" or (
            len(text) <= 40
            and not _ends_sentence(text)
            and leading_number(text) is None
            and not any(mark in text for mark in "，。；：")
            and (before.alignment == "right" or org is None or text == org or len(text) <= 25)
        ):
            back.org = text
            back.end = len(paragraphs) - 2
    return back
