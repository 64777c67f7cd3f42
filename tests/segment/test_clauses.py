"""Clause splitting: Chinese and Western punctuation, never inside URLs, e-mails or numbers."""

from __future__ import annotations

import pytest

from cxnlp.segment import split_clauses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("送餐太慢了，再也不点了", ["送餐太慢了", "再也不点了"]),
        ("味道不错。价格也适中！服务好吗？", ["味道不错", "价格也适中", "服务好吗"]),
        ("好吃;便宜;快", ["好吃", "便宜", "快"]),
        ("质量好，，，物流快。。。", ["质量好", "物流快"]),
        ("菜品、环境、服务都好", ["菜品", "环境", "服务都好"]),
        ("等了很久……终于到了~~", ["等了很久", "终于到了"]),
        ("等了很久⋯⋯终于到了﹗好﹐便宜", ["等了很久", "终于到了", "好", "便宜"]),
        ("Good food, bad service. Slow!", ["Good food", "bad service", "Slow"]),
        ("第一行\n第二行\r\n第三行", ["第一行", "第二行", "第三行"]),
        ("很好 ， 物流快 ", ["很好", "物流快"]),
        ("评分3.5分，价格1,299元", ["评分3.5分", "价格1,299元"]),
        ("10:30送到,很准时", ["10:30送到", "很准时"]),
        ("版本v2.1.3闪退.", ["版本v2.1.3闪退"]),
        ("看 http://x.com/a?b=1，很好", ["看 http://x.com/a?b=1", "很好"]),
        ("https://shop.example.com/item.html?id=3;p=2! 不错", ["https://shop.example.com/item.html?id=3;p=2", "不错"]),
        ("官网www.example.com。很差", ["官网www.example.com", "很差"]),
        ("邮件 kf.service@qq.com 没回", ["邮件 kf.service@qq.com 没回"]),
        ("在jd.com买的.很好", ["在jd.com买的", "很好"]),
        ("官网apple.com.cn有货", ["官网apple.com.cn有货"]),
        ("价格：便宜", ["价格", "便宜"]),
        ("  ，好 \n\t 吃  ", ["好", "吃"]),
        ("好" + " " * 50_000 + "吃", ["好" + " " * 50_000 + "吃"]),  # linear time in long space runs
        ("好" + " " * 50_000 + "\n" + " " * 50_000 + "吃", ["好", "吃"]),
        ("！！！", []),
        ("", []),
        ("   ", []),
    ],
)
def test_clause_table(text: str, expected: list[str]) -> None:
    clauses = split_clauses(text)
    assert [c.text for c in clauses] == expected
    assert all(text[c.start:c.end] == c.text for c in clauses)


def test_full_width_punctuation_splits_like_half_width() -> None:
    assert [c.text for c in split_clauses("好吃；便宜：快")] == ["好吃", "便宜", "快"]
    assert [c.text for c in split_clauses("３．５分")] == ["３．５分"]


def test_clauses_in_order_and_disjoint() -> None:
    clauses = split_clauses("一，二。三！四？五；六\n七")
    assert [c.text for c in clauses] == list("一二三四五六七")
    assert all(a.end < b.start for a, b in zip(clauses, clauses[1:]))
