"""Hand-written customer feedback from five domains and the tags a CX analyst expects.

An expected tag ``"负向评价: 送餐慢"`` must appear exactly; ``"负向评价: ~断线"`` means a
tag of that polarity whose phrase contains 断线.
"""

from __future__ import annotations

import pytest

CASES: list[tuple[str, list[str]]] = [
    # Udesk screen (telecom / software customer service)
    ("经常断线，接入客户无通知", ["负向评价: ~断线", "负向评价: ~无通知"]),
    ("系统经常卡，客户的订单显示错误", ["负向评价: 系统卡", "负向评价: 订单显示错误"]),
    ("没有必填项提示", ["负向评价: 没有必填项提示"]),
    ("系统有问题", ["负向评价: ~有问题"]),
    ("自定义字段很灵活，适合我们行业", ["正向评价: 字段灵活"]),
    ("用了不到一个月就开不了机了", ["负向评价: ~开不了机"]),
    ("网络很顺畅", ["正向评价: 网络顺畅"]),
    ("送餐太慢了", ["负向评价: 送餐慢"]),
    ("性价比很高", ["正向评价: 性价比高"]),
    # restaurant / food delivery
    ("鳕鱼有点少", ["负向评价: 鳕鱼少"]),
    ("房间小了点", ["负向评价: 房间小"]),
    ("送餐速度很慢", ["负向评价: 送餐速度慢"]),
    ("味道很好，分量也足", ["正向评价: 味道好", "正向评价: 分量足"]),
    ("菜太咸了", ["负向评价: 菜咸"]),
    ("外卖小哥态度很好", ["正向评价: ~态度好"]),
    ("饭菜都凉了", ["负向评价: ~凉"]),
    ("价格实惠，环境干净", ["正向评价: 价格实惠", "正向评价: 环境干净"]),
    ("服务员很热情", ["正向评价: 服务员热情"]),
    ("上菜太慢", ["负向评价: 上菜慢"]),
    # a long wait is a complaint even without an opinion word
    ("等了一个半小时才送到，饭都凉了", ["负向评价: ~等一个半小时", "负向评价: 饭凉"]),
    ("等了132分钟", ["负向评价: 等132分钟"]),
    # hotel
    ("房间很干净", ["正向评价: 房间干净"]),
    ("前台服务热情，早餐种类少", ["正向评价: ~热情", "负向评价: ~少"]),
    ("隔音太差了，晚上很吵", ["负向评价: 隔音差", "负向评价: ~吵"]),
    ("床很舒服", ["正向评价: 床舒服"]),
    ("位置很好找，交通方便", ["正向评价: ~好找", "正向评价: 交通方便"]),
    ("卫生间有异味", ["负向评价: ~异味"]),
    ("房间里有蟑螂，吓死了", ["负向评价: ~蟑螂"]),
    ("卫生间居然有没有打扫的死蟑螂", ["负向评价: ~蟑螂"]),  # 有没有 here is no comparison that falls short
    ("房价太贵了", ["负向评价: 房价贵"]),
    ("前台态度冷淡，办理入住等了半个小时", ["负向评价: 前台态度冷淡", "负向评价: ~等半个小时"]),
    # e-commerce
    ("快递很快，包装也不错", ["正向评价: ~快", "正向评价: 包装不错"]),
    ("质量太差了", ["负向评价: 质量差"]),
    ("收到的时候盒子都压扁了，里面的杯子碎了两个", ["负向评价: 盒子压扁", "负向评价: ~杯子碎"]),
    ("屏幕清晰，电池耐用", ["正向评价: 屏幕清晰", "正向评价: 电池耐用"]),
    ("衣服有点小", ["负向评价: 衣服小"]),
    ("物流太慢了，等了一个星期", ["负向评价: 物流慢"]),
    ("客服态度很差，不耐烦", ["负向评价: 客服态度差"]),
    ("商家发错货了，退货也很麻烦", ["负向评价: ~发错", "负向评价: ~麻烦"]),
    ("价格太高了", ["负向评价: 价格高"]),
    # telecom
    ("信号很差", ["负向评价: 信号差"]),
    ("5G信号图标倒是有，速度还不如4G", ["负向评价: ~不如4g"]),  # a comparison that falls short, no opinion word
    ("转账显示成功但对方没收到", ["负向评价: ~没收到"]),
    ("网速太慢了", ["负向评价: 网速慢"]),
    ("话费太贵", ["负向评价: 话费贵"]),
    ("宽带经常掉线", ["负向评价: ~掉线"]),
    ("客服处理很及时", ["正向评价: ~及时"]),
    # software / apps
    ("APP闪退，登录不了", ["负向评价: ~闪退", "负向评价: ~登录不了"]),
    ("界面很简洁", ["正向评价: 界面简洁"]),
    ("页面加载太慢", ["负向评价: ~慢"]),
    ("软件很好用", ["正向评价: 软件好用"]),
    ("更新以后经常崩溃", ["负向评价: ~崩溃"]),
    ("录音文件下载不了，质检没法做", ["负向评价: ~下载不了"]),
    ("工单状态不同步", ["负向评价: ~不同步"]),
    # banking
    ("手机银行转账总是失败", ["负向评价: ~失败"]),
    ("柜员很耐心", ["正向评价: 柜员耐心"]),
    ("手续费太高", ["负向评价: 手续费高"]),
    ("排队时间太久了", ["负向评价: ~久"]),
    ("办理业务很方便", ["正向评价: ~方便"]),
    # service failures the restaurant training data rarely names (态度恶劣 was 正向评价)
    ("骑手态度恶劣，还把汤洒了", ["负向评价: 骑手态度恶劣"]),
    ("售后根本联系不上", ["负向评价: 售后联系不上"]),
    ("网络经常断，客服说是区域问题", ["负向评价: ~断"]),
    ("客服半天没反应", ["负向评价: ~没反应"]),
    ("收到的平板屏幕有坏点，申请换货还被拒绝了", ["负向评价: 屏幕坏点", "负向评价: ~拒绝"]),
    ("发票开错了，重新开了三次还是错的", ["负向评价: 发票开错"]),
    ("客服一直推销保险", ["负向评价: ~推销"]),
    ("锅很厚实，煎蛋一点都不粘", ["正向评价: 锅厚实"]),
    # recommendations read in text order
    ("强烈推荐他家的芒果汁", ["正向评价: 强烈推荐他家芒果汁"]),
    # a promise to come back (or not) is about the whole visit, not the previous clause's aspect
    ("性价比很高，下次还住", ["正向评价: 性价比高", "正向评价: 下次还住"]),
    ("火龙果不新鲜，下次绝对不会购买", ["负向评价: 火龙果不新鲜", "负向评价: 下次绝对不会购买"]),
    # a comparison that falls short is a complaint
    ("没有汉拿山好吃", ["负向评价: 没有汉拿山好吃"]),
    ("不如以前好吃", ["负向评价: 不如以前好吃"]),
    # a request is neutral, and its 麻烦 (please) no aspect
    ("麻烦尽快处理一下", ["中性评价: 尽快处理一下"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_domain_tags(nlp, has_tag, text: str, expected: list[str]) -> None:
    doc = nlp(text)
    assert doc.error is None
    missing = [e for e in expected if not has_tag(e, doc.tags)]
    assert not missing, f"{text}: expected {missing} among {doc.tags}"


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("text", ["经常断线，接入客户无通知", "系统经常卡，客户的订单显示错误", "没有必填项提示"])
def test_udesk_comments_with_the_lexicon_alone(lexicon_nlp, text: str) -> None:
    doc = lexicon_nlp(text)
    assert doc.opinions and all(o.polarity == "negative" for o in doc.opinions)


@pytest.mark.parametrize(("text", "wrong"), [
    # 食品安全 names a topic, not praise; the restaurant model read 恶劣 as praise
    ("饭里有塑料片，差点咽下去，已投诉食品安全", "正向评价"), ("骑手态度恶劣", "正向评价"),
    ("下次绝对不会再入住这家酒店了", "正向评价"), ("没有第一次买的好", "正向评价"),
    # 小 / 高 / 低 as an attribute (小卡片) is no opinion; as the predicate (房间小了点) it is
    # a complaint that was handled well names the complaint as a topic (投诉 was 负向评价)
    ("投诉处理得很及时", "负向评价"),
    ("店家还手写了一张小卡片，好暖心", "负向评价"), ("酒店还送了小玩具和儿童拖鞋", "负向评价"), ("高品质的服务", "负向评价"),
    # an expectation let down (以为) is no verdict; 不好意思 is an idiom; late checkout is a service
    ("本来以为会送晚，结果二十五分钟就到了，惊喜", "负向评价"), ("不好意思，我不需要", "负向评价"),
    ("延迟退房到两点也没加收费用，很人性化", "负向评价"),
    # the restaurant model reads 用不了 as praise; the lexicon and the complaint around it overrule it
    ("平台优惠券用不了，结算的时候一直提示异常", "正向评价"),
    # asked either way (A-not-A), not said: no complaint
    ("这家好不好吃", "负向评价"), ("新不新鲜？", "负向评价"),
    # 好 before an opinion word is a degree (好郁闷 was 正向评价); a short or quick wait is no complaint,
    # and neither is 安排了一天
    ("我等了两个小时，好郁闷", "正向评价"), ("这次真的好失望", "正向评价"),
    ("等了十分钟就送到了，很快", "负向评价"), ("老板给我们安排了一天的行程，很周到", "负向评价"),
    ("收到就迫不及待地打开了，很喜欢", "负向评价"),
])
def test_no_tag_of_the_wrong_polarity(nlp, text: str, wrong: str) -> None:
    assert not [t for t in nlp(text).tags if t.startswith(wrong)], nlp(text).tags


@pytest.mark.parametrize(("text", "not_aspect"), [
    ("退房的时候说我弄坏了烟感要赔钱", "时候"),  # a time word
    ("老用户送了一年的免费宽带提速，不错", "老"),  # a degree word (老是) split off 老用户 by a segmenter
    ("上次点的时候很好吃", "上次"),
    ("唯一不足就是房间小", "唯一"),  # function words the tagger or the lexicon took for an aspect
    ("怎么没有包装呢", "怎么"),
])
def test_frame_words_are_no_aspect(nlp, text: str, not_aspect: str) -> None:
    doc = nlp(text)
    assert doc.opinions, doc.tags
    assert all(o.aspect != not_aspect for o in doc.opinions), doc.opinions


@pytest.mark.parametrize(("text", "expected", "absent"), [
    # 其他 / 总之 widen the praise to everything else: the earlier aspect does not lead it
    ("床太软了，睡得腰疼，其他都挺好", "正向评价: 其他好", "正向评价: 床其他好"),
    ("羊蹄收拾的也很干净，总之是好吃啊", "正向评价: 好吃", "正向评价: 羊蹄总之好吃"),
    # an aspect glued to its grade by the segmenter (效率高 is one jieba word)
    ("网络故障报修后两个小时就修好了，效率高", "正向评价: 效率高", None),
])
def test_scope_words_and_glued_grades(nlp, text: str, expected: str, absent: str | None) -> None:
    tags = nlp(text).tags
    assert expected in tags and absent not in tags, tags


@pytest.mark.parametrize(("text", "praise", "complaint", "category"), [
    # the model runs one opinion over the turn: the complaint after 就是 / 但是 is split off
    ("东西不错，就是物流慢", "正向评价: 东西不错", "负向评价: 物流慢", "物流配送"),
    # a service verb with its complement rates the doing, not the earlier clause's aspect
    ("味道不错，就是送得慢", "正向评价: 味道不错", "负向评价: 送得慢", "物流配送"),
    ("菜很好吃，但是送得太慢了", "正向评价: 菜好吃", "负向评价: 送得慢", "物流配送"),
    # the phrase names its own aspect: its category, not that of the carried-over aspect (质量)
    ("质量很好，但是发货太慢", "正向评价: 质量好", "负向评价: 发货慢", "物流配送"),
])
def test_praise_then_complaint_after_a_turn(nlp, text: str, praise: str, complaint: str, category: str) -> None:
    doc = nlp(text)
    assert praise in doc.tags and complaint in doc.tags, doc.tags
    assert [o.category for o in doc.opinions if o.tag == complaint] == [category], doc.opinions


@pytest.mark.parametrize(("text", "word", "category"), [
    # charges on top, changes without notice and outages carry no general opinion word
    ("白天直接停服两小时，影响业务", "停服", "系统功能"),
    ("入住第一天就被多扣了一晚房费", "多扣", "价格"),
    ("贷款提前还款还要收违约金", "违约金", "价格"),
    ("更新以后按钮位置都变了，也不提前通知", "不提前通知", "系统功能"),
])
def test_service_complaints_without_opinion_words(nlp, text: str, word: str, category: str) -> None:
    found = [o for o in nlp(text).opinions if word in o.phrase]
    assert [(o.polarity, o.category) for o in found] == [("negative", category)], found


@pytest.mark.parametrize(("text", "word"), [
    # a late arrival (一个星期才到), but not the next day's (第二天才到) nor a quick one (十分钟就到了)
    ("物流太慢了，一个星期才到", "一个星期才到"),
    ("两个小时才送来，都凉了", "两个小时才送来"),
    # a request the business ignored, in the clause or the one before
    ("备注了不要香菜还是放了", "放"),
    ("说了半天不要辣，还是放辣椒了", "放辣椒"),
    # refusals, nobody coming, spills and defects
    ("空调坏了，报修两次都没人来", "没人来"),
    ("刚买就降价，还不给补差价", "不给补"),
    ("汤洒了一半，包装太简陋了", "洒"),
    ("鞋子穿了两天就开胶了", "开胶"),
])
def test_cx_complaints(nlp, text: str, word: str) -> None:
    tags = nlp(text).tags
    assert any(t.startswith("负向评价: ") and word in t for t in tags), tags


@pytest.mark.parametrize("text", ["第二天才到，不过东西不错", "十分钟就到了", "要求开发票，照样给开了，很好"])
def test_no_complaint_without_a_delay_or_ignored_request(nlp, text: str) -> None:
    assert not [t for t in nlp(text).tags if t.startswith("负向评价")], nlp(text).tags


@pytest.mark.parametrize(("text", "tag", "not_tag"), [
    # a later clause that names its own thing (饭, 床, 量) shows it, not the aspect carried over
    ("送餐太慢了，饭都凉了", "负向评价: 饭凉", "负向评价: 送餐饭凉"),
    ("房间干净整洁，床很舒服", "正向评价: 床舒服", "正向评价: 房间床舒服"),
    ("味道还可以，就是量少", "负向评价: 量少", "负向评价: 味道量少"),
])
def test_later_clause_shows_its_own_thing(nlp, text: str, tag: str, not_tag: str) -> None:
    tags = nlp(text).tags
    assert tag in tags and not_tag not in tags, tags


@pytest.mark.parametrize(("text", "polarity"), [
    # 大 / 多 are complaints right after a cost-like aspect, where more is worse
    ("风扇噪音很大", "negative"),
    ("手续费太多了", "negative"),
    ("扬声器杂音大", "negative"),
    ("问题不多，挺好用", None),  # negated: no complaint
    # and no opinion elsewhere
    ("房间很大", "positive"),
    ("外放音质不错，声音挺大的", "positive"),
])
def test_grades_after_cost_aspects(nlp, text: str, polarity: str | None) -> None:
    doc = nlp(text)
    polarities = {o.polarity for o in doc.opinions}
    assert ("negative" in polarities) == (polarity == "negative"), doc.tags
    assert polarity != "positive" or "positive" in polarities, doc.tags


@pytest.mark.parametrize(("text", "tag"), [
    # a degree before a negation glued to the word: 很 + 不爽, 相当 + 没有礼貌 (were 正向评价)
    ("很不爽，被快递摔坏了", "负向评价: 不爽"),
    ("房间设置很不合理", "负向评价: 房间设置不合理"),
    ("配送员相当没有礼貌", "负向评价: 配送员没有礼貌"),
    # a warning's 别 does not turn a complaint word into praise
    ("货不对图，大家别上当", "负向评价: 大家别上当"),
    # a negated experience of an extreme says how bad it was
    ("从来没遇到这么慢的快递", "负向评价: 遇到这么慢"),
])
def test_negations_that_do_not_flip(nlp, text: str, tag: str) -> None:
    assert tag in nlp(text).tags, nlp(text).tags


@pytest.mark.parametrize(("text", "polarity", "word"), [
    ("感觉不像正品，跟在超市买的不一样", "negative", "不像正品"),  # 不像 negates
    ("真是便宜没好货", "negative", "便宜没好货"),
    ("反正感觉没想象的好", "negative", "没想象好"),  # falls short of what was expected
    ("豆腐脑再多点香菜就好了", "neutral", "香菜"),  # a wish
    ("酒店还可以，就是性价比不高，要是便宜点就好了", "negative", "性价比不高"),  # a complaint before the wish
])
def test_doubts_wishes_and_proverbs(nlp, text: str, polarity: str, word: str) -> None:
    doc = nlp(text)
    assert any(o.polarity == polarity and word in o.phrase for o in doc.opinions), doc.tags


@pytest.mark.parametrize("text", ["不知道是不是正品", "只想说商家可不可以认真一点"])
def test_asked_is_not_said(nlp, text: str) -> None:
    assert not [o for o in nlp(text).opinions if o.polarity == "positive"], nlp(text).tags


@pytest.mark.parametrize(("text", "word"), [
    ("比其它商店还贵", "还贵"),  # 还贵 is one token
    ("这快递速度真的是比蚂蚁还慢", "还慢"),
])
def test_grades_glued_to_adverbs(nlp, text: str, word: str) -> None:
    tags = nlp(text).tags
    assert any(t.startswith("负向评价: ") and word in t for t in tags) and not any(t.startswith("正向") for t in tags), tags


@pytest.mark.parametrize(("text", "tag"), [
    ("从来没有用过这么差的手机", "负向评价: 用过这么差"),  # 没有用过 is no comparison
    ("这不是欺骗消费者吗？", "负向评价: 不是欺骗"),  # a question that asserts
    ("培根嚼不烂", "负向评价: 培根嚼不烂"),
    ("萝卜里面竟然有毛发", "负向评价: 萝卜里面有毛发"),
])
def test_more_complaints_read_as_complaints(nlp, text: str, tag: str) -> None:
    assert tag in nlp(text).tags, nlp(text).tags


def test_opinion_word_inside_a_noun_of_degree(lexicon_nlp) -> None:
    """清晰 of 清晰度 names what is rated; the verdict is 烂 (the restaurant model, sure of praise, needs the
    document sentiment of the full pipeline to give way)."""
    assert [o.polarity for o in lexicon_nlp("屏幕清晰度好烂").opinions] == ["negative"]


@pytest.mark.parametrize(("text", "tag"), [
    ("客服答非所问", "负向评价: 客服答非所问"),
    ("网速忽快忽慢", "负向评价: 网速忽快忽慢"),
    ("信用卡积分规则改来改去", "负向评价: 积分规则改来改去"),
    ("界面广告太多，关都关不掉", "负向评价: 关都关不掉"),  # V不掉: it cannot be done (不掉色 is praise)
    ("骑手把外卖挂在门把手上就走了，也不打个电话", "负向评价: 不打个电话"),
    ("APP耗电太快了", "负向评价: app耗电快"),  # 快 of a drain is no speed
    ("小清新的饮料太甜了", "负向评价: 小清新饮料太甜"),
    ("服务欠周到", "负向评价: 服务欠周到"),  # 欠 negates
    ("这次苹果没上次好吃", "负向评价: 苹果没上次好吃"),  # a comparison with last time that falls short
    ("用了半年不掉漆", "正向评价: 半年不掉漆"),
    # burnt, blocked, too soft, woken up, a match with the pictures
    ("青菜也炒糊了", "负向评价: 青菜炒糊"),
    ("浴室地漏堵了", "负向评价: 浴室地漏堵"),
    ("床垫太软，睡得腰酸", "负向评价: 床垫太软"),
    ("隔壁装修，一大早就被吵醒了", "负向评价: 一大早被吵醒"),
    ("颜色和图片一样", "正向评价: 颜色和图片一样"),
])
def test_cx_words_read_with_one_polarity(nlp, text: str, tag: str) -> None:
    tags = nlp(text).tags
    assert tag in tags and not any(t.startswith("正向" if tag.startswith("负向") else "负向") for t in tags), tags


def test_a_fixed_bug_is_no_complaint(nlp) -> None:
    assert nlp("这个版本修复了很多bug，稳定多了").tags == ["正向评价: 稳定多"]


def test_an_insect_in_food_is_a_hygiene_complaint(nlp) -> None:
    doc = nlp("沙拉里面有一颗肉虫")
    assert [(o.polarity, o.category) for o in doc.opinions] == [("negative", "卫生")], doc.tags
    if doc.risk is not None:
        assert doc.risk.level == "high"


@pytest.mark.parametrize(("text", "tag"), [
    ("宝贝收到了，做工精细", "正向评价: 做工精细"),
    ("手机反应迟钝", "负向评价: 手机反应迟钝"),
    ("酒店环境优美", "正向评价: 环境优美"),
    ("前台服务无微不至", "正向评价: 服务无微不至"),  # 无 of 无微不至 is no negation
    ("每天都收到推销短信，烦死了", "负向评价: 烦死"),
])
def test_mined_opinion_words(lexicon_nlp, text: str, tag: str) -> None:
    # words mined from the labelled train reviews (models/mine_opinion_words.py), read by the lexicon alone
    assert tag in lexicon_nlp(text).tags, lexicon_nlp(text).tags


@pytest.mark.parametrize(("text", "polarity", "word"), [
    ("存款利率低", "negative", "利率低"),  # what the customer receives: low is bad, though 利率 is a cost word
    ("贷款利率低", "positive", "利率低"),
    ("不买后悔", "positive", "不买后悔"),  # regret at not buying is praise
    ("第一次买，希望不要让我失望", "neutral", "失望"),  # a hope, no verdict yet
])
def test_yields_regrets_and_hopes(lexicon_nlp, text: str, polarity: str, word: str) -> None:
    opinions = lexicon_nlp(text).opinions
    assert [o.polarity for o in opinions if word in o.phrase] == [polarity], lexicon_nlp(text).tags


@pytest.mark.parametrize("text", ["这么冷的天还准时送到了", "伤心的时候读了这本书，很治愈"])
def test_circumstances_are_no_complaint(nlp, text: str) -> None:
    assert not [t for t in nlp(text).tags if t.startswith("负向")], nlp(text).tags
