"""Title lines per GB/T 9704-2012 §7.3.1: 回行时，要做到词意完整，排列对称，长短适宜，间距恰当，
标题排列应当使用梯形或菱形.

The 156 mm text block holds 20 characters of 二号 (22 pt). A longer title is broken automatically
at word boundaries into the fewest lines that fit, choosing among the possible breaks the one
with the best score: strong phrase boundaries (before 关于, after the issuing body, around the
year) are cheap, a break between two words costs a little, a break that may fall inside a word
costs a lot and one inside a known word or name is impossible; lines of similar length, a longer
line above a shorter one (梯形) or short–long–short (菱形) score best.

Word boundaries come from a small rule set, not a dictionary segmenter: the names of 机关 (the
report's own ``org`` and anything shaped like ``……市……局``), years and periods (``2023年``,
``第二季度``, ``上半年``), quoted and bracketed phrases, Latin and numbers, and a short list of the
words titles are made of (工作, 总结, 报告, 建设, 推进, 目标 …). jieba would load a 20 MB
dictionary in about a second on the first build; the titles of government reports are made of a
few hundred words, and the rules below break every title of the seeds, the examples and the 30
titles of ``tests/test_layout_titles.py`` where a person would.

A title typed with its own line breaks (``|`` in YAML, Alt+Enter in Excel) keeps them: its shape
is checked, and a line too long for the block, a break inside a word or a short line above a
longer one (when a 梯形 was possible) is a warning with the suggested lines.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from generator.errors import Problem
from generator.load import LoadedSource
from schemas.base import ReportBase

LINE_WIDTH = 20.0
"""Characters of 二号 in one line of the 156 mm block."""

HALF_WIDTH = 0.7
"""Width of a Latin letter or digit, in characters. Digits are half a character in 仿宋 and 小标宋,
more in other fonts (0.57 in the Noto fonts LibreOffice uses on Linux), and LibreOffice sets a
small space between them and Chinese (measured: four digits with their spaces take 2.7
characters of 二号): 0.7 keeps a line that is measured to fit from wrapping in either."""

SQUEEZABLE = 2.0
"""Characters a hand-broken title line may exceed the block by: the writer sets it closer rather
than let Word wrap it; beyond that it wraps."""

MAX_LINES = 4
"""Titles longer than four lines (80 characters) are not broken: no shape would be good."""

_WORD_LIST = """
    工作 总结 报告 汇报 情况 进展 执行 完成 推进 落实 建设 目标 任务 计划 安排 思路 要点 打算
    年度 季度 半年 全年 今年 明年 去年 上半年 下半年 前三季度 一季度 二季度 三季度 四季度 第一季度
    第二季度 第三季度 第四季度 法治 政府 法治政府 人民政府 政府工作 政府工作报告 绩效 考评 考核 目标责任制
    重点 重点工作 重大 项目 专项 行动 方案 实施 实施方案 意见 办法 规定 通知 决定 请示 批复 函 纪要
    中央 城市 工作会议 会议 精神 贯彻 学习 宣传 部署 住房 城乡 城乡建设 住房和城乡建设 发展 改革 发展改革
    高质量 高质量发展 共同富裕 示范区 乡村振兴 营商环境 数字化 改造 提升 老旧小区 城中村 棚户区 保障性住房
    安全 生产 安全生产 质量 监督 管理 服务 监管 执法 检查 自查 督查 评估 评价 整改 整治 治理 问题
    开展 加强 加快 深化 全面 进一步 持续 有关 相关 关于 民生 实事 民生实事 环境 生态 文明 创建
    政务 公开 政务公开 信息 信息公开 招商 引资 经济 社会 社会发展 国民经济 统计 公报 规划 纲要 调研
    交通 水利 能源 产业 园区 企业 市场 消费 投资 财政 预算 决算 审计 人事 人才 队伍 党建 党风 廉政
    党风廉政建设 全面从严治党 主体责任 责任 责任制 体系 能力 现代化 机制 制度 改革创新 创新 试点 示范
    工作总结 工作报告 工作计划 工作思路 工作安排 工作要点 工作情况 工作进展 年度报告 情况报告 进展情况
    完成情况 执行情况 落实情况 推进情况 整改情况 预算执行 国民经济和社会发展 统计公报 审计工作报告
    中央城市工作会议 中央城市工作会议精神 会议精神 数字化改革 生态环境 生态环境保护 督察 防汛防台
    就业 行政执法 消费 提质扩容
"""
_WORDS = frozenset(_WORD_LIST.split())
"""Words titles are made of; a break never falls inside one."""

_FUNCTION_CHARS = frozenset("的和及与暨对在为等并之了于或")
"""One-character words: a break beside them is a word boundary."""

_NO_LINE_START = frozenset("的等之了、，。；：）》”’")
_NO_LINE_END = frozenset("对在为与和及暨（《“‘")
_NO_LINE_END_WORDS = ("关于",)

_ORG_SUFFIX = (
    "人民政府|政府|委员会|办公室|办公厅|管理局|局|厅|委|办|部|院|署|中心|集团|公司|协会|联合会"
)
_PLACE = r"[\u4e00-\u9fff]{1,6}?(?:省|市|县|区|州|盟|旗|镇|乡|街道)"
_SPANS = re.compile(
    rf"(?P<org>{_PLACE}(?:[\u4e00-\u9fff]{{0,12}}?(?:{_ORG_SUFFIX})))(?=[\u4e00-\u9fff\d])"
    r"|(?P<year>(?:\d{4}(?:\s*[-－—~～至]\s*\d{4})?\s*年度?|今年|本年度?|去年|上年度?)"
    r"(?:上半年|下半年|前三季度|第?[一二三四]季度)?)"
    r"|(?P<month>\d{1,2}(?:\s*[-－—~～至]\s*\d{1,2})?\s*月(?:份)?)"
    r"|(?P<quoted>“[^”]{1,20}”|《[^》]{1,20}》|（[^）]{1,20}）|‘[^’]{1,20}’|\([^)]{1,20}\))"
    r"|(?P<latin>[0-9A-Za-z][0-9A-Za-z.%+·\-]*)"
)
"""Spans that never break: 机关 names, years and periods, quoted or bracketed phrases, Latin."""


@lru_cache(maxsize=4096)
def text_width(text: str) -> float:
    """Width of ``text`` in characters of its font: Chinese 1, Latin and digits ``HALF_WIDTH``.

    Counted per distinct character (most are Chinese): table column widths measure every line of
    every cell, and a loop over each character was a fifth of a big table's writing. Remembered
    for the texts a table repeats (a department, a status, a date)."""
    half = 0
    for char in set(text).difference(_SEEN_FULL_WIDTH):  # the characters seen before drop out
        if char == "\n":
            continue
        if _full_width(char):
            _SEEN_FULL_WIDTH.add(char)
        else:
            half += text.count(char)
    full = len(text) - text.count("\n") - half
    return full + half * HALF_WIDTH


_SEEN_FULL_WIDTH: set[str] = set()
"""The full-width characters ``text_width`` has met (Chinese text repeats a few thousand)."""


@lru_cache(maxsize=8192)
def _full_width(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WFA" or char in "“”‘’…—·"


@dataclass(frozen=True)
class _Token:
    text: str
    known: bool  # a word, a name or a span: nothing breaks inside it
    kind: str = ""  # "org", "year", "month", "quoted", "latin", "keep" for spans


def _tokens(title: str, keep: Iterable[str]) -> list[_Token]:
    """Split ``title`` into words and spans (greedy longest match), unknown characters alone."""
    spans: dict[int, tuple[int, str]] = {}
    for phrase in sorted({phrase for phrase in keep if phrase}, key=len, reverse=True):
        for match in re.finditer(re.escape(phrase), title):
            if not any(start <= match.start() < end for start, (end, _) in spans.items()):
                spans[match.start()] = (match.end(), "keep")
    for match in _SPANS.finditer(title):
        start = match.start()
        covered = any(s <= start < end or start <= s < match.end() for s, (end, _) in spans.items())
        if not covered and match.lastgroup is not None:
            spans[start] = (match.end(), match.lastgroup)
    tokens: list[_Token] = []
    position = 0
    longest = max(map(len, _WORDS))
    while position < len(title):
        if position in spans:
            end, kind = spans[position]
            tokens.append(_Token(title[position:end], True, kind))
            position = end
            continue
        limit = min(
            [len(title), position + longest, *(start for start in spans if start > position)]
        )
        for end in range(limit, position, -1):
            word = title[position:end]
            if end - position > 1 and word in _WORDS:
                tokens.append(_Token(word, True))
                break
        else:
            end = position + 1
            char = title[position]
            tokens.append(_Token(char, char in _FUNCTION_CHARS))
        position = end
    return tokens


_IMPOSSIBLE = 1000.0


def _break_cost(before: _Token, after: _Token) -> float:
    """What a line break between two tokens costs: low at phrase boundaries, high where a word
    may be cut, impossible before a character that may not start a line."""
    if after.text[0] in _NO_LINE_START or before.text[-1] in _NO_LINE_END:
        return _IMPOSSIBLE
    if before.text.endswith(_NO_LINE_END_WORDS):
        return _IMPOSSIBLE
    if after.text.startswith("关于") or before.kind in ("org", "keep"):
        return 0.0
    if after.kind == "year" or before.kind == "year":
        return 1.0
    if after.text.startswith("的") or before.text == "的":
        return 3.0
    if before.known and after.known:
        return 2.0
    if before.known or after.known:
        return 4.0
    return 12.0  # two unknown characters: perhaps one word


def _shape_cost(widths: Sequence[float]) -> float:
    """Balanced lines, 梯形 (longer above shorter) or 菱形 (short–long–short)."""
    cost = (max(widths) - min(widths)) * 0.6
    if len(widths) == 2 and widths[0] < widths[1] - 0.5:
        cost += 4.0 + (widths[1] - widths[0]) * 0.3
    if len(widths) >= 3:
        middle = widths[1:-1]
        trapezoid = all(a >= b - 0.5 for a, b in itertools.pairwise(widths))
        diamond = min(middle) >= max(widths[0], widths[-1]) - 0.5
        if not (trapezoid or diamond):
            cost += 8.0
    return cost


@dataclass(frozen=True)
class _Layout:
    lines: tuple[str, ...]
    cost: float


def _layouts(tokens: list[_Token], count: int) -> Iterable[_Layout]:
    """Every way to set ``tokens`` in ``count`` lines that fit, with its cost. Lines are laid
    one after another, so a line too long or a rest too long for the lines left is given up on
    at once: a title of 80 characters takes milliseconds."""
    cuts = [_break_cost(a, b) for a, b in itertools.pairwise(tokens)]
    widths = [text_width(token.text) for token in tokens]
    remaining = list(itertools.accumulate(reversed(widths)))[::-1]  # width from token i on

    def lay(start: int, left: int, chosen: tuple[int, ...]) -> Iterable[tuple[int, ...]]:
        if left == 1:
            if remaining[start] <= LINE_WIDTH:
                yield chosen
            return
        width = 0.0
        for end in range(start + 1, len(tokens)):
            width += widths[end - 1]
            if width > LINE_WIDTH:
                return
            if remaining[end] <= LINE_WIDTH * (left - 1) and cuts[end - 1] < _IMPOSSIBLE:
                yield from lay(end, left - 1, (*chosen, end))

    for chosen in lay(0, count, ()):
        bounds = (0, *chosen, len(tokens))
        lines = tuple("".join(t.text for t in tokens[a:b]) for a, b in itertools.pairwise(bounds))
        cost = sum(cuts[index - 1] for index in chosen)
        yield _Layout(lines, cost + _shape_cost([text_width(line) for line in lines]))


def break_title(title: str, keep: Iterable[str] = ()) -> list[str]:
    """The lines to print ``title`` in: the fewest that fit, broken at the best word boundaries.

    ``keep`` names phrases that must stay on one line (the issuing body). A title that fits one
    line, or that no break could fit, is one line.
    """
    title = title.strip()
    width = text_width(title)
    if width <= LINE_WIDTH:
        return [title]
    tokens = _tokens(title, keep)
    fewest = int(-(-width // LINE_WIDTH))
    for count in range(fewest, min(MAX_LINES, len(tokens)) + 1):
        best = min(_layouts(tokens, count), key=lambda layout: layout.cost, default=None)
        if best is not None:
            return list(best.lines)
    return [title]


def title_problems(lines: Sequence[str], keep: Iterable[str] = ()) -> list[tuple[str, str]]:
    """What is wrong with a title broken by hand into ``lines``: (message, hint) pairs."""
    found: list[str] = []
    for number, line in enumerate(lines, start=1):
        width = text_width(line)
        if width > LINE_WIDTH + SQUEEZABLE:
            found.append(
                f"第{number}行约 {math.ceil(width)} 字，超过一行能排下的 20 字，Word 中会再折行"
            )
        elif width > LINE_WIDTH:
            found.append(
                f"第{number}行约 {math.ceil(width)} 字，超过一行的 20 字，只能压紧字距排在一行"
            )
    joined = "".join(lines)
    spans: dict[int, _Token] = {}  # offset of each token's end → the token
    offset = 0
    for token in _tokens(joined, keep):
        offset += len(token.text)
        spans[offset] = token
    position = 0
    for number, line in enumerate(lines[:-1], start=2):
        position += len(line)
        if position not in spans:
            inside = next(token for end, token in spans.items() if end > position)
            found.append(f"“{inside.text}”被分在了两行，回行应保持词意完整")
        elif line[-1:] in _NO_LINE_END or joined[position : position + 1] in _NO_LINE_START:
            found.append(
                f"第{number}行在“{line[-1:]}”和“{joined[position]}”之间回行，这两个字不宜分开"
            )
    widths = [text_width(line) for line in lines]
    automatic = break_title(joined, keep)
    automatic_widths = [text_width(line) for line in automatic]
    if len(lines) >= 2 and _shape_cost(widths) > _shape_cost(automatic_widths) + 2.0:
        if len(lines) == 2 and widths[0] < widths[1]:
            found.append("上一行比下一行短，标题宜排成上长下短的梯形")
        else:
            found.append("各行长短不匀，标题宜排成梯形或菱形")
    if not found:
        return []
    hint = (
        "删去标题中的手工换行，由程序自动分行：" + "／".join(automatic)
        if len(automatic) > 1
        else "删去标题中的手工换行，标题可排成一行"
    )
    return [(message, hint) for message in found]


def arrange_title(report: ReportBase, source: LoadedSource) -> tuple[ReportBase, list[Problem]]:
    """Break ``report.title`` into lines, or check the lines it was typed in.

    Returns the report with its title's line breaks set, and warnings for a hand-broken title of
    a bad shape, located at the title in the input file.
    """
    keep = (report.org,)
    lines = report.title.splitlines()
    if len(lines) > 1:
        location = source.locate(("title",))
        return report, [
            Problem(location, message, "标题", hint)
            for message, hint in title_problems(lines, keep)
        ]
    broken = break_title(report.title, keep)
    if len(broken) == 1:
        return report, []
    return report.model_copy(update={"title": "\n".join(broken)}), []
