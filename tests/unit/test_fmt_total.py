"""fmt is total and idempotent: no traceback, fmt(fmt(x)) = fmt(x), the data never changes, one reason when it refuses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import perfgen

from perfgen.load.yamlfile import read_yaml
from perfgen.review import fmt
from perfgen.review.fmt import format_file

# every case the hostile-input campaign found, and their neighbours
ACCEPTED = {
    "tab-in-value": "项目名称: a\tb\n",
    "tab-in-quotes": "项目名称: 'a\tb'\n",
    "tab-at-the-end": "项目名称: '0\t'\n",
    "tab-starting-a-line": '项目名称: "a\\n\\tb"\n',
    "tab-in-a-comment": "# 注释\t说明\n项目名称: a\n",
    "tab-after-a-number": "其他资金: 0\t\n",
    "tab-after-a-colon": "项目名称:\tx\n",
    "tab-before-a-comment": "项目名称: x\t# 说明\n",
    "private-use-character": "项目名称: \U0010fffd\n",
    "private-use-and-tab": "项目名称: \U0010fffd\tx\n",
    "line-separator": '项目名称: "a\\nb\\u2028c"\n',
    "next-line": '项目名称: "a\\x85b"\n',
    "carriage-return": '项目名称: "a\\rb"\n',
    "quoted-yes": "项目名称: 'yes'\n",
    "quoted-No": "项目名称: 'No'\n",
    "quoted-time": "项目名称: '12:30'\n",
    "unquoted-time": "项目名称: 12:30\n",
    "exponent": "预算数: 01e3\n",
    "octal-looking": "预算数: 0777\n",
    "trailing-space": "项目名称: 'abc '\n",
    "trailing-space-in-lines": '项目名称: "a\\nb "\n',
    "leading-space-in-lines": '项目名称: " a\\nb"\n',
    "trailing-newlines": '项目名称: "a\\n\\n"\n',
    "only-a-newline": '项目名称: "\\n"\n',
    "big-exact-amount": "预算数: 999999999999.123456\n",
    "tiny-amount": "预算数: 0.000001\n",
    "quoted-code": "项目编码: '016017'\n",
    "underscore-number": "预算数: 1_000\n",
    "hex-number": "预算数: 0x1F\n",
    "hash-in-text": "项目名称: 'a #b'\n",
    # quoted texts that, plain, the line scan would take for a slip: their quotes stay
    "quoted-full-width-code": "项目编码: '０'\n",
    "quoted-full-width-digits-and-amount": "预算数: 1\n项目编码: '１２A'\n",
    "quoted-full-width-quotes": "项目编码: '“016”'\n",
    "quoted-odd-space-first": "项目名称: '\u3000甲'\n",
    # a comment after an explicit key: ruamel would write it between the key and its colon
    "comment-after-explicit-key": "绩效目标:\n  - ? x\n# 0\n项目编码: yes\n",
    "comment-after-explicit-key-with-value": "绩效目标:\n  - ? x  # 说明\n    : 1\n",
}
REFUSED = {
    "nan": ("预算数: .nan\n", "number-range"),
    "inf": ("预算数: .inf\n", "number-range"),
    "1e400": ("预算数: 1e400\n", "number-range"),
    "alias": ("a: &x 1\nb: *x\n", "yaml-alias"),
    "tab-indent": ("a:\n\tb: 1\n", "yaml-tab"),
}


def source(tmp_path: Path, text: str) -> Path:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "文档.yaml").write_text("单位名称: 测试\n", encoding="utf-8")
    path = tmp_path / "项目" / "a.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_fmt_keeps_the_data_and_is_idempotent(tmp_path: Path, text: str) -> None:
    path = source(tmp_path, text)
    before, _ = read_yaml(path, "a.yaml")
    first = format_file(path, check=False)
    assert first.problems == []
    once = path.read_text(encoding="utf-8")
    after, problems = read_yaml(path, "a.yaml")
    assert problems == [] and after.data == before.data
    again = format_file(path, check=False)
    assert (again.changed, again.problems) == (False, [])
    assert path.read_text(encoding="utf-8") == once
    assert format_file(path, check=True).changed is False


@pytest.mark.parametrize(("text", "rule"), REFUSED.values(), ids=REFUSED.keys())
def test_fmt_refuses_with_its_reason_and_leaves_the_file(tmp_path: Path, text: str, rule: str) -> None:
    path = source(tmp_path, text)
    result = format_file(path, check=False)
    assert not result.changed
    assert rule in [p.rule for p in result.problems] and result.problems[-1].rule == "fmt"
    assert path.read_text(encoding="utf-8") == text


def test_fmt_never_reads_a_link_out_of_the_township(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("项目名称:   'x'\n", encoding="utf-8")
    township = tmp_path / "乡镇"
    path = source(township, "项目名称: x\n")
    path.unlink()
    path.symlink_to(outside)
    result = format_file(path, check=False)
    assert [p.rule for p in result.problems] == ["fmt"] and "单位文件夹之外" in result.problems[0].message
    assert outside.read_text(encoding="utf-8") == "项目名称:   'x'\n" and path.is_symlink()


def test_a_file_fmt_cannot_make_safe_is_refused_alone_not_also_reported_as_formatted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = source(tmp_path, "项目名称:   x\n")
    # a canonical form that would change the data: fmt must not write it, nor say it did
    monkeypatch.setattr(fmt, "canonical_text", lambda text, schema, exact=None: "项目名称: y\n" if "项目名称" in text else text)
    run = perfgen("fmt", str(tmp_path), cwd=tmp_path)
    assert run.returncode == 1
    assert "已整理" not in run.stdout
    assert run.stderr.count("[fmt]") == 1 and "整理后的内容与原文不一致，未改动" in run.stderr
    assert run.stdout.strip().endswith("共 2 个文件，整理了 0 个，1 个无法处理。")
    assert path.read_text(encoding="utf-8") == "项目名称:   x\n"


def test_a_crash_inside_the_yaml_writer_is_one_reason_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = source(tmp_path, "项目名称:   x\n")

    def broken(text: str, schema: str, exact: object = None) -> str:
        raise RecursionError("deep")

    monkeypatch.setattr(fmt, "canonical_text", broken)
    result = format_file(path, check=True)
    assert not result.changed
    assert [p.message for p in result.problems] == ["无法整理这个文件（整理程序出错），未改动：内容照常可用，请把此文件报告给维护人员"]


# places where ruamel drops a comment (found by the campaign of issue 19): fmt leaves such a file as it is
COMMENT_LOST = {
    "block header in a list item": ("绩效目标:\n  - |-  # 来源\n    第一行\n    第二行\n", 2, "请把注释移到单独的一行"),
    "one-line block text": ("项目名称: |-  # 待定\n  x\n", 1, "请把注释移到单独的一行"),
    "folded text": ("资金用途: >-  # 折叠\n  a\n  b\n", 1, "请把注释移到单独的一行"),
    "after the end marker": ("项目名称: x\n...\n# 结束\n", 3, "请删掉第 2 行的“...”"),
}
COMMENT_KEPT = {
    "own line and line ends": "# 头\n项目名称: x  # 尾\n预算数: 1 # 数\n",
    "inside brackets": "绩效目标: [a, # 里面\n  b]\n",
    "after a key opening a block": "项目名称:   x\n资金支出计划:  # 累计\n  3月底: 25\n  6月底: 50\n  10月底: 75\n  12月底: 100\n",
}


@pytest.mark.parametrize(("text", "line", "how"), COMMENT_LOST.values(), ids=COMMENT_LOST.keys())
def test_a_comment_fmt_would_lose_leaves_the_file_as_it_is(tmp_path: Path, text: str, line: int, how: str) -> None:
    path = source(tmp_path, text)
    result = format_file(path, check=False)
    assert not result.changed and [p.rule for p in result.problems] == ["fmt"]
    assert f"整理会丢掉第 {line} 行" in result.problems[0].message and how in result.problems[0].message
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("text", COMMENT_KEPT.values(), ids=COMMENT_KEPT.keys())
def test_fmt_keeps_every_comment(tmp_path: Path, text: str) -> None:
    path = source(tmp_path, text)
    result = format_file(path, check=False)
    assert result.problems == []
    after = path.read_text(encoding="utf-8")
    for comment in re.findall(r"# \S+", text):
        assert comment in after


def test_fmt_mends_a_schema_line_that_points_nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sample copied into a county's repository keeps ../../schemas/…: fmt points it to .perfgen/schemas."""
    import subprocess

    repo = tmp_path / "县仓库"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    monkeypatch.chdir(repo)
    assert perfgen("init", cwd=repo).returncode == 0
    path = source(repo / "projects" / "某镇-2024", "# yaml-language-server: $schema=../../../schemas/project.schema.json\n项目名称: x\n")
    kept = source(repo / "projects" / "乙镇-2024", "# yaml-language-server: $schema=https://example.org/project.schema.json\n项目名称: x\n")
    assert format_file(path, check=False).changed and not format_file(kept, check=False).changed
    first = path.read_text(encoding="utf-8").split("\n")[0]
    assert first == "# yaml-language-server: $schema=../../../.perfgen/schemas/project.schema.json"
    assert (path.parent / first.split("=", 1)[1]).is_file()
    assert format_file(path, check=True).changed is False


def test_a_quoted_text_that_would_read_as_a_slip_unquoted_is_formatted_not_refused(tmp_path: Path) -> None:
    path = source(tmp_path, "项目名称:   '１０'\n预算数: '１０'\n")
    result = format_file(path, check=False)
    assert result.problems == []
    # the quotes stay (plain, the line scan would take them for slips), and validate still names the digits
    assert path.read_text(encoding="utf-8") == "项目名称: '１０'\n预算数: '１０'\n"
    run = perfgen("validate", str(tmp_path), cwd=tmp_path)
    assert "“预算数”应为数字，现在是文字“１０”：数字改用英文半角，请写成 预算数: 10" in run.stdout
