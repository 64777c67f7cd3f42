"""Chat transcripts: find the speakers' turns and keep only the customer's words for analysis.

A transcript is a text whose lines open with speaker labels (``客服：您好`` / ``客户：快递还没到``),
at least one of the agent and one of the customer (客服, 坐席, 售后, 商家, 店小二, 客服小王, agent …;
客户, 用户, 顾客, 买家, 访客, 我, customer …), optionally after a time stamp (``[10:31] 客服小王:``).
Exported as one line, a label may also follow a space, a bar or a sentence end, if it is only a
speaker's name (``客服：您好 客户：快递还没到``; 客服说：明天到 reports, it labels nothing). A
review laid out as ``客服：态度差`` / ``物流：很快`` names aspects, not speakers: with no customer label
it is no transcript and stays whole.

:func:`blank_agent_turns` returns the normalised text with every agent turn and every speaker label
replaced by a line break and spaces (same length, so offsets still index the original). The later
stages read only the customer: an agent's 非常抱歉给您带来不好的体验 is no complaint, and their
很高兴为您服务 no praise.
"""

from __future__ import annotations

import re

from ..doc import Turn

AGENT, CUSTOMER = "agent", "customer"

# An optional time stamp before a label ([10:31], 2024-05-01 10:31).
_STAMP = r"(?:[\[(【]?[0-9: /.\-]{4,20}[\])】]?[ \t]*)?"
# A label at a line start, after an optional time stamp; run on normalised text (half-width, lower case).
_LABEL = re.compile(r"^[ \t]*" + _STAMP + r"(?P<label>[^\s:：\[\]【】()]{1,12}?)[ \t]*[:：]", re.M)
# A label inside a line, after a space, a bar or a sentence end (客服：您好 客户：我要退款 | 客服：好的).
# Only a bare speaker name counts there (客服, 客服小王, 客户, 我), not any words before a colon.
_INLINE_LABEL = re.compile(
    r"(?<=[\s|｜/;；。!！?？])[ \t]*" + _STAMP + r"(?P<label>[^\s:：\[\]【】()，,。|｜]{1,8}?)[ \t]*[:：]")
_AGENT = re.compile(r"(?:人工|在线|智能|官方|值班)?(?:客服|坐席|售后|商家|卖家|店家|掌柜|店小二|小二|工作人员|客户经理|"
                    r"专员|机器人|助手|店长|前台|agent|staff|service|support|bot|cs|seller)")
_CUSTOMER = re.compile(r"(?:客户|用户|顾客|买家|访客|消费者|乘客|住客|来电人|我|customer|user|visitor|client|buyer)")


def speaker_of(label: str) -> str | None:
    """``agent``, ``customer`` or None (not a speaker label) for the text before a colon."""
    if _AGENT.match(label):  # before the customer: 客户经理 is staff
        return AGENT
    if _CUSTOMER.match(label):
        return CUSTOMER
    return None


def _bare_speaker(label: str) -> str | None:
    """:func:`speaker_of` for a label that is only a speaker's name (客服小王 yes, 客服说明 / 我觉得 no)."""
    if _CUSTOMER.fullmatch(label) and not _AGENT.match(label):
        return CUSTOMER
    agent = _AGENT.match(label)
    if agent and len(label) - agent.end() <= 3 and not _NOT_A_NAME.search(label, agent.end()):
        return AGENT
    return None


#: What follows 客服 in words that are no label (客服说, 客服回复, 客服电话).
_NOT_A_NAME = re.compile("[说讲回答称表电热态的也都还又就很太没不]")


def find_turns(norm: str) -> list[Turn]:
    """The speakers' turns of a transcript, each from its label to the next label (none if ``norm``
    is no transcript: it needs a label of an agent and one of a customer). Labels open a line, or
    stand inside one after a space, a bar or a sentence end (a transcript exported as one line)."""
    if ":" not in norm and "：" not in norm:
        return []
    found = {m.start(): (m, speaker_of(m.group("label"))) for m in _LABEL.finditer(norm)}
    for m in _INLINE_LABEL.finditer(norm):
        found.setdefault(m.start(), (m, _bare_speaker(m.group("label"))))
    labels: list[tuple[re.Match[str], str]] = []
    for _, (m, who) in sorted(found.items()):
        if who is not None and (not labels or m.start() >= labels[-1][0].end()):  # not inside a label (time stamps)
            labels.append((m, who))
    if {who for _, who in labels} != {AGENT, CUSTOMER}:
        return []
    ends = [m.start() for m, _ in labels[1:]] + [len(norm)]
    return [Turn(who, m.start(), end, m.end()) for (m, who), end in zip(labels, ends, strict=True)]


def blank_agent_turns(norm: str, turns: list[Turn]) -> str:
    """``norm`` with every agent turn and every speaker label made a break: a line break, then spaces."""
    if not turns:
        return norm
    chars = list(norm)
    for turn in turns:
        stop = turn.end if turn.speaker == AGENT else turn.body_start
        if stop > turn.start:
            chars[turn.start:stop] = "\n" + " " * (stop - turn.start - 1)
    return "".join(chars)
