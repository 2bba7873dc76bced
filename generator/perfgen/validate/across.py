"""The one check over all townships checked together: a 项目编码 shared across townships (rule code-shared).

Not a domain rule (perfgen.validate.rules): a rule sees one township's model, this sees only the codes each
township's check gave, so that ``validate`` with every township's results kept (validate/memo.py) runs it
without importing the rules, the model or the YAML machinery.
"""

from __future__ import annotations

from perfgen.problems import WARNING, Problem

NAMED = 3  # the other townships a message names; the rest are counted
SHARED = "code-shared"  # not in RULES: a rule sees one township; this check runs over all townships checked together

# a township's name and its codes, as Checked.codes gives them: (code, file, line, column, project)
TownshipCodes = tuple[str, list[tuple[str, str, int, int, str]]]


def codes_across(townships: list[TownshipCodes]) -> list[Problem]:
    """Rule code-shared: a 项目编码 used in more than one of the townships checked together, at each place.

    ``townships`` holds each township's name and its codes (Checked.codes). A code repeated inside one
    township is code-duplicate's; here only codes that cross townships count.
    """
    users: dict[str, set[str]] = {}
    for name, codes in townships:
        for code, *_ in codes:
            users.setdefault(code, set()).add(name)
    # each code's townships sorted once, and a message names a few of them: with every other one named, 200
    # townships sharing a code made 200 messages of 199 names each, text growing with the square of a county
    named = {code: sorted(names)[:NAMED + 1] for code, names in users.items() if len(names) > 1}
    problems = []
    for name, codes in townships:
        for code, file, line, column, project in codes:
            if code not in named:
                continue
            others = [other for other in named[code] if other != name][:NAMED]
            count = len(users[code]) - 1
            where = "、".join(others) + (f" 等 {count} 个单位中" if count > NAMED else " 中")
            message = f"项目编码“{code}”也出现在单位 {where}：不同单位的项目不应共用编码，请核对"
            problems.append(Problem(file, line, column, WARNING, SHARED, message, False, name, project))
    return problems
