"""``huibao import --next-year``: last year's report as this year's draft.

The year and the title move on by one, the 成文日期 is left to fill, and every quantity in the
text — an amount with its unit, a count, a rate — becomes a ``{名称}`` placeholder of a named
figure whose ``last_year`` is the number as last year's report wrote it and whose ``value``
waits for staff. A rate stated after such a figure becomes ``{名称.同比}``, or
``{名称.完成率}`` when its target stands in the same sentence and the numbers agree. Years,
dates, ``十四五``, document and line numbers, ordinals and telephone numbers are not quantities
and stay as they are; a number whose unit cannot be told is kept too, and the draft lists it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from generator.compute import _STATED_CHANGE, _STATED_COMPLETION
from generator.import_yaml import scalar
from schemas.base import DataPath

_UNIT_WORDS = (
    "个 项 家 名 位 人次 人 户 套 间 座 处 条 台 辆 艘 架 所 张 床 件 次 批 宗 栋 幢 块 只 起 场 期 类 种 份"
    " 篇 部 支 棵 株 盏 根 口 片 段 天 小时 分钟 倍 岁 辆次 车次 架次 元 美元 公里 千米 米 厘米 平方公里"
    " 平方千米 平方米 立方米 公顷 亩 吨 公斤 千克 千瓦时 千瓦 兆瓦 标准箱 个百分点 百分点 万人次 ㎡ m² m³ km"
    " 部门 个部门"
)
_UNITS = sorted(set(_UNIT_WORDS.split(" ")), key=len, reverse=True)
_MAGNITUDE = r"万亿|千亿|百亿|亿|千万|百万|十万|万|千"
_UNIT_PATTERN = "|".join(re.escape(unit) for unit in _UNITS)
_QUANTITY = re.compile(
    r"(?<![\d.,A-Za-z/:：{])"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<magnitude>" + _MAGNITUDE + r")?"
    r"(?P<approx>余|多)?"
    r"(?P<unit>[%％‰]|(?:" + _UNIT_PATTERN + r")(?:/(?:" + _UNIT_PATTERN + r"|日|年|月|时))?)?"
)
_NUMBER = re.compile(r"(?<![\d.])\d+(?:[.,]\d+)*")
_PHONE = re.compile(r"(?:\d{3,4}[-－]\d{7,8}|(?<!\d)1[3-9]\d{9}(?!\d))")
_BRACKETED = re.compile(r"[〔\[【（(]\s*\d{4}\s*[〕\]】）)]|\{[^{}]*\}")
_DATE_AFTER = re.compile(r"^(?:年|月|日|号|时|点|[:：]\d|[-－—~～至]\d+(?:月|日|年)|\.\d+\.\d+)")
_DATE_BEFORE = re.compile(r"(?:年|月|第|[-－—~～至:：])$")
_CLAUSE_BREAK = "，。；：！？、（）()《》〔〕【】 \u3000\n"
_SENTENCE_BREAK = "。！？\n"
_LEADING_WORDS = re.compile(
    r"^(?:\d{4}年度?|\d{1,2}[-－—~～至]\d{1,2}月|\d{1,2}月(?:底|末|份|初|中旬|上旬|下旬)?|\d{1,2}日|"
    r"截至|截止|到|至|按照|经过|通过|其中|全年|全市|全省|全区|全县|市区|主城区|累计|共计|共|已经|已|截至目前|目前|今年|"
    r"年内|上半年|同时|并|又|还|再|均|分别|合计|总计)+"
)
_TRAILING_WORDS = re.compile(
    r"(?:达到了|达到|达|为|是|约|近|超过|超|逾|突破|共计|共|累计|了|的|有|至|到|计|均为|均|完成|评出"
    r"|等|并|和|及|争取)+$"
)
_ACTIONS = (
    "提前完成|累计完成|完成|实现|组织|开展|推广|普查|公布|举办|召开|争取|出台|制定|签订|引进|评出|"
    "命名|选派|发放|化解|清退|返还|推进|推动|启动|建立|设立|打造|落实|实施|释放|排查|整治|处置|"
    "收集|安装|加装|培训|走访|调研|吸引|签约|拆除|含|包括"
)
_LEADING_VERBS = re.compile(f"^(?:{_ACTIONS})+")
_CUT_VERBS = re.compile(
    "获得|荣获|获评|入选|被评为|达到|建成|新增|累计|释放|实现|完成|开展|组织|推广|发放|落实|争取"
)
_INNER_VERBS = re.compile("释放|实现|完成|开展|组织|推广|发放|清退|返还|化解")
_MAX_NAME = 14
_NOUN = re.compile(r"^[\u4e00-\u9fff“”]{1,16}")
_NOUN_STOP = re.compile(
    r"(?:和|及|与|、|的|，|等|以上|以下|左右|以内|余|多|实行|进行|开展|日夜|及时|全部|获评|获得|被|"
    r"正在|通过|纳入|达到|完成|实现|参与|荣获|入选|签订|启动|已|将|在|向|对|从|为)"
)


@dataclass
class _Token:
    start: int
    end: int
    number: str
    magnitude: str
    unit: str
    approx: bool

    @property
    def typed(self) -> str:
        """The amount as last year's report wrote it, unit kept."""
        return f"{self.number}{self.magnitude}{self.unit}"

    @property
    def figure_unit(self) -> str:
        return "%" if self.unit == "％" else self.magnitude + self.unit

    @property
    def value(self) -> Decimal:
        return Decimal(self.number.replace(",", ""))

    @property
    def is_rate(self) -> bool:
        return self.unit in ("%", "％")


@dataclass
class NextYear:
    """What ``--next-year`` found: figures in reading order, their source sentences, and the
    numbers kept as text."""

    figures: dict[str, dict[str, Any]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)
    target_figures: set[str] = field(default_factory=set)
    computed: dict[str, list[str]] = field(default_factory=dict)
    """Rates stated after a figure that the draft computes instead, by figure."""


_TEXT_KEYS = frozenset(
    {"opening", "closing", "text", "heading", "focus", "theme", "items", "points"}
    | {"sections", "task", "progress", "indicator", "completion", "parts", "continued"}
    | {"tasks", "dimensions", "targets"}
)
"""Keys whose strings are report text (not names, departments or front matter)."""
_NOT_TEXT = frozenset({"name", "departments", "status", "responsible", "key"})


def advance_year(text: str, year: int) -> str:
    """``2023年工作总结和2024年工作思路`` → ``2024年工作总结和2025年工作思路`` (years near the
    report's own year move on by one)."""
    return re.sub(
        r"(?<!\d)((?:19|20)\d{2})(?!\d)",
        lambda m: str(int(m[1]) + 1) if abs(int(m[1]) - year) <= 1 else m[1],
        text,
    )


def next_year_data(data: dict[str, Any]) -> tuple[dict[str, Any], NextYear, dict[DataPath, str]]:
    """``data`` as next year's draft: figures for the quantities of its text.

    Returns the new data, what was found, and a comment for some fields (path → text).
    """
    found = NextYear()
    comments: dict[DataPath, str] = {}
    year = int(data["year"])
    result = dict(data)
    result["year"] = year + 1
    result["title"] = advance_year(str(data["title"]), year)
    comments[("title",)] = "标题中的年份已改为下一年，请核对标题"
    if "date" in result:
        result["date"] = None
        comments[("date",)] = "成文日期请在定稿时填写（如 2025-01-15）"
    if "subtitle" in result:
        comments[("subtitle",)] = "请改为今年会议的日期和届次"
    byline = result.get("byline")
    if isinstance(byline, dict) and "date" in byline:
        result["byline"] = {key: value for key, value in byline.items() if key != "date"}
        comments[("byline",)] = "发布日期已删去，发布时再填写"
    names: set[str] = set()
    for key, value in list(result.items()):
        if key in _TEXT_KEYS:
            result[key] = _walk(value, found, names)
    return result, found, comments


def _walk(value: Any, found: NextYear, names: set[str]) -> Any:
    if isinstance(value, str):
        return _text(value, found, names)
    if isinstance(value, list):
        return [_walk(each, found, names) for each in value]
    if isinstance(value, dict):
        return {
            key: each if key in _NOT_TEXT else _walk(each, found, names)
            for key, each in value.items()
        }
    return value


def _skipped_spans(text: str) -> list[tuple[int, int]]:
    spans = [match.span() for match in _PHONE.finditer(text)]
    spans += [match.span() for match in _BRACKETED.finditer(text)]
    spans += [match.span() for match in re.finditer(r"《[^《》]*》", text)]
    return spans


def _tokens(text: str, found: NextYear) -> list[_Token]:
    """The quantities of ``text``; numbers that are not, but could be mistaken for one, go to
    ``found.kept``."""
    skipped = _skipped_spans(text)
    tokens: list[_Token] = []
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        if any(low <= start < high for low, high in skipped):
            continue
        before, after = text[:start], text[end:]
        if _DATE_AFTER.match(after) or _DATE_BEFORE.search(before):
            continue  # a year, a date, a range of months, an ordinal (第3)
        if re.match(r"^(?:号|级|楼|层|届|版|代|期|批次|号线)", after):
            continue  # a document, line or floor number, a level, an edition
        quantity = _QUANTITY.match(text, start)
        if quantity is None or quantity.end("number") != end:
            found.kept.append(_excerpt(text, start, end))
            continue
        unit = quantity["unit"] or ""
        magnitude = quantity["magnitude"] or ""
        if not unit and not magnitude:
            found.kept.append(_excerpt(text, start, end))
            continue
        if re.match(r"^[A-Za-z0-9]", text[quantity.end() :]):
            found.kept.append(_excerpt(text, start, end))
            continue
        approx = bool(quantity["approx"])
        if approx:  # 3800余项: the figure is the number, 余项 stays text
            tokens.append(_Token(start, end + len(magnitude), match[0], magnitude, "", True))
            continue
        tokens.append(_Token(start, quantity.end(), match[0], magnitude, unit, False))
    return tokens


def _excerpt(text: str, start: int, end: int) -> str:
    low = max(0, start - 10)
    return text[low : min(len(text), end + 8)].replace("\n", "")


def _sentence_bounds(text: str, position: int) -> tuple[int, int]:
    low = max((text.rfind(mark, 0, position) for mark in _SENTENCE_BREAK), default=-1) + 1
    highs = [text.find(mark, position) for mark in _SENTENCE_BREAK]
    high = min((each for each in highs if each >= 0), default=len(text))
    return low, high


def _agrees(value: Decimal, target: Decimal, stated: str) -> bool:
    if target == 0:
        return False
    places = len(stated.split(".")[1]) if "." in stated else 0
    rate = (value / target * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rate == Decimal(stated)


@dataclass
class _Rate:
    """How a rate attaches to the figure before it: as its 同比 (``start`` = where the stated
    phrase begins), or as its 完成率 with the target token ``target``."""

    owner: int
    form: str
    start: int
    target: int | None = None


def _text(text: str, found: NextYear, names: set[str]) -> str:
    tokens = _tokens(text, found)
    if not tokens:
        return text
    rates: dict[int, _Rate] = {}
    targets: dict[int, int] = {}  # token index → the figure token whose target it is
    for index, token in enumerate(tokens):
        if token.is_rate:
            owner = _owner(text, tokens, index, targets)
            rate = _attach(text, tokens, index, owner) if owner is not None else None
            if rate is not None:
                rates[index] = rate
                if rate.target is not None:
                    targets.setdefault(rate.target, rate.owner)
    targeted = {
        rate.owner: tokens[rate.target] for rate in rates.values() if rate.target is not None
    }
    token_names: dict[int, str] = {}
    replacements: dict[int, tuple[int, str]] = {}  # start → (end, replacement)
    for index, token in enumerate(tokens):
        if index in targets:
            continue
        rate = rates.get(index)
        if rate is not None:
            owner_name = token_names[rate.owner]
            stated = text[rate.start if rate.form == "同比" else token.start : token.end]
            found.computed.setdefault(owner_name, []).append(stated)
            if rate.form == "同比":
                replacements[rate.start] = (token.end, "{" + owner_name + ".同比}")
            else:
                replacements[token.start] = (token.end, "{" + owner_name + ".完成率}")
                assert rate.target is not None
                found.figures[owner_name]["target"] = tokens[rate.target].typed
                found.target_figures.add(owner_name)
            continue
        name = _unique(_name(text, tokens, index, token_names, targeted.get(index)), names)
        token_names[index] = name
        figure: dict[str, Any] = {
            "value": None,
            "unit": token.figure_unit,
            "last_year": token.typed,
        }
        if not token.figure_unit:
            del figure["unit"]
            figure["last_year"] = token.number
        found.figures[name] = figure
        found.sources[name] = _excerpt(text, token.start, token.end).strip()
        replacements[token.start] = (token.end, "{" + name + "}")
    for index, owner in targets.items():
        token = tokens[index]
        replacements[token.start] = (token.end, "{" + token_names[owner] + ".目标}")
    pieces: list[str] = []
    position = 0
    for start in sorted(replacements):
        end, replacement = replacements[start]
        pieces.append(text[position:start])
        pieces.append(replacement)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _owner(text: str, tokens: list[_Token], index: int, targets: dict[int, int]) -> int | None:
    """The figure a rate is about: the nearest amount before it in the same sentence."""
    low, _ = _sentence_bounds(text, tokens[index].start)
    for earlier in range(index - 1, -1, -1):
        token = tokens[earlier]
        if token.start < low:
            return None
        if not token.is_rate and earlier not in targets:
            return earlier
    return None


def _attach(text: str, tokens: list[_Token], index: int, owner: int) -> _Rate | None:
    """A rate stated after a figure: its 同比 (the change from last year, which the draft
    knows), or its 完成率 when the target stands in the same sentence and the numbers agree."""
    rate = tokens[index]
    figure = tokens[owner]
    after = text[figure.end :]
    change = _STATED_CHANGE.match(after)
    if change is not None and figure.end + change.end() == rate.end:
        return _Rate(owner, "同比", figure.end + change.start("phrase"))
    completion = _STATED_COMPLETION.match(after)
    gap = text[figure.end : rate.start]
    stated = completion is not None and figure.end + completion.end() == rate.end
    rate_word = re.search(r"(?:完成率|开工率|完工率|竣工率|交付率|完成|达到)[为达到了]*$", gap)
    if not stated and (rate_word is None or len(gap) > 16):
        return None
    low, high = _sentence_bounds(text, rate.start)
    for other, token in enumerate(tokens):
        if other in (owner, index) or token.is_rate or not low <= token.start < high:
            continue
        if token.figure_unit == figure.figure_unit and _agrees(
            figure.value, token.value, rate.number
        ):
            return _Rate(owner, "完成率", rate.start, other)
    return None


def _name(
    text: str,
    tokens: list[_Token],
    index: int,
    token_names: dict[int, str],
    target: _Token | None = None,
) -> str:
    """A short, readable name: the noun right after the amount (``2242个在建工程`` → 在建工程),
    else the words before it (``新建改造管网204.8公里`` → 新建改造管网); the second of a pair
    (``5389套、5418套``) shares the first one's name; a rate such as 占比 or 开工率 takes the
    name of the figure it follows (定时定点投放小区占比)."""
    token = tokens[index]
    start = tokens[index - 1].end if index else 0
    between = text[start : token.start]
    if index and between.strip() in ("、", "和", "及", "") and index - 1 in token_names:
        return token_names[index - 1].rstrip("0123456789")
    before = _words_before(between)
    following = ""
    after = text[token.end :]
    if token.approx:  # 90余家企业: the noun after 余家
        after = re.sub(r"^(?:余|多)(?:" + _UNIT_PATTERN + r")?", "", after)
    noun = _NOUN.match(after)
    if noun is not None and not token.is_rate:
        stop = _NOUN_STOP.search(noun[0], 1)
        following = noun[0][: stop.start()] if stop else noun[0]
        if re.match(r"^(?:以上|以下|左右|以内|及以上|等|余|多|的)", noun[0]):
            following = ""
        following = _TRAILING_WORDS.sub("", following) or following
    name = following if len(following) >= 2 or (following and not before) else before
    if target is not None and len(name) <= 2:  # 计划改造300个小区，已改造302个 → 小区改造
        target_noun = _NOUN.match(text[target.end :])
        if target_noun is not None:
            stop = _NOUN_STOP.search(target_noun[0], 1)
            what = target_noun[0][: stop.start()] if stop else target_noun[0]
            if len(what) >= 2:
                name = what + name
    if token.is_rate and len(name) <= 3:
        owner = _owner(text, tokens, index, {})
        if owner is not None and owner in token_names:
            name = _joined(token_names[owner].rstrip("0123456789"), name or "比例")
    bare = re.sub(r"^(?:省级|市级|县级|区级|国家级)", "", name)
    name = bare if len(bare) >= 2 else name
    name = re.sub(r"[{}.\s“”‘’\"'：:，,、（）()]", "", name)
    if "的" in name and len(name.rsplit("的", 1)[-1]) >= 4:
        name = name.rsplit("的", 1)[-1]
    if len(name) > _MAX_NAME:  # 示范项目获得国家绿色建筑创新奖 → 国家绿色建筑创新奖
        verbs = [match for match in _CUT_VERBS.finditer(name) if len(name) - match.end() >= 2]
        name = name[verbs[-1].end() :] if verbs else name[-_MAX_NAME + 2 :]
    return name or "指标"


def _words_before(between: str) -> str:
    """The words of the clause before an amount, without scope words, verbs and particles; a
    bracket right before it is skipped (``城市河道（含新开城市河道）6条`` → 城市河道)."""
    before = between
    while True:
        bracket = re.search(r"[（(][^（）()]*[）)]\s*$", before)
        for mark in _CLAUSE_BREAK:
            before = before.rsplit(mark, 1)[-1]
        if before or bracket is None:
            break
        before = between = between[: bracket.start()]
    before = re.sub(r"^(?:余|多)(?:" + _UNIT_PATTERN + r")?", "", before).replace("已", "")
    while True:  # 已争取2021年中央补助资金 → 中央补助资金: scope, date and verb, in any order
        stripped = _TRAILING_WORDS.sub("", _LEADING_WORDS.sub("", before))
        shorter = _LEADING_VERBS.sub("", stripped)
        stripped = shorter if len(shorter) >= 2 else stripped
        if stripped == before:
            break
        before = stripped
    verbs = list(_INNER_VERBS.finditer(before))
    if len(before) > 8 and verbs and len(before) - verbs[-1].end() >= 2:
        before = before[verbs[-1].end() :]
    return before


def _joined(owner: str, rate: str) -> str:
    """开工 + 开工率 → 开工率; 新建项目开工 + 开工率 → 新建项目开工率."""
    for size in range(min(len(owner), len(rate)), 0, -1):
        if owner.endswith(rate[:size]):
            return owner + rate[size:]
    return owner + rate


def _unique(name: str, names: set[str]) -> str:
    candidate = name
    number = 2
    while candidate in names:
        candidate = f"{name}{number}"
        number += 1
    names.add(candidate)
    return candidate


def figures_comment(found: NextYear) -> list[str]:
    """The lines written before ``figures:``."""
    lines = [
        "每个数字都已改为指标：last_year（上年）是去年报告中的数值，value（数值）留给今年填写；"
        "正文中的 {名称} 在生成时换成今年的数值，{名称.同比} 自动算出同比",
    ]
    if found.kept:
        listed = "、".join(f"“{each}”" for each in dict.fromkeys(found.kept))
        lines.append(f"以下数字看不出是数量（没有单位等），保留为文字，请核对：{listed}")
    return lines


def figure_comment(found: NextYear, name: str) -> str:
    source = found.sources.get(name, "")
    text = f"原文：……{source}……"
    if name in found.target_figures:
        text += f"；目标 {scalar(found.figures[name]['target'])} 沿用上年，请改为今年的目标"
    stated = found.computed.get(name, [])
    if stated:
        listed = "、".join(f"“{each}”" for each in stated)
        text += f"；原文的{listed}改为自动计算"
    return text
