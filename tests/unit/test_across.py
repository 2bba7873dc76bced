"""Rule code-shared (perfgen/validate/across.py): a code used by several townships, and messages that stay short."""

from __future__ import annotations

from perfgen.validate.across import SHARED, TownshipCodes, codes_across


def county(sharers: int, code: str = "130700-01") -> list[TownshipCodes]:
    """``sharers`` townships that all copied one project (its code), and one more code of each of their own."""
    return [(f"单位{n:04d}", [(code, f"单位{n:04d}/项目/p.yaml", 3, 10, "p"), (f"own-{n}", f"单位{n:04d}/项目/q.yaml", 3, 10, "q")])
            for n in range(sharers)]


def test_a_code_of_one_township_is_no_problem() -> None:
    assert codes_across(county(1)) == []


def test_up_to_three_others_are_all_named() -> None:
    problems = codes_across(county(4))
    assert [problem.rule for problem in problems] == [SHARED] * 4
    assert [problem.township for problem in problems] == ["单位0000", "单位0001", "单位0002", "单位0003"]
    assert problems[0].message == "项目编码“130700-01”也出现在单位 单位0001、单位0002、单位0003 中：不同单位的项目不应共用编码，请核对"
    assert problems[2].message == "项目编码“130700-01”也出现在单位 单位0000、单位0001、单位0003 中：不同单位的项目不应共用编码，请核对"


def test_beyond_three_others_the_rest_are_counted() -> None:
    problems = codes_across(county(200))
    assert len(problems) == 200
    assert problems[0].message == "项目编码“130700-01”也出现在单位 单位0001、单位0002、单位0003 等 199 个单位中：不同单位的项目不应共用编码，请核对"
    assert problems[1].message == "项目编码“130700-01”也出现在单位 单位0000、单位0002、单位0003 等 199 个单位中：不同单位的项目不应共用编码，请核对"
    assert problems[199].message == "项目编码“130700-01”也出现在单位 单位0000、单位0001、单位0002 等 199 个单位中：不同单位的项目不应共用编码，请核对"


def test_the_text_grows_with_the_sharers_not_their_square() -> None:
    # a province's repository where 200 townships copied one project: every message once named the 199 others
    text = {n: sum(len(problem.message) for problem in codes_across(county(n))) for n in (100, 200)}
    assert text[200] < 2.1 * text[100]
    assert max(len(problem.message) for problem in codes_across(county(200))) < 100
