"""Help text wrapped by display columns: Chinese takes two, punctuation stays where it belongs."""

from __future__ import annotations

from perfgen.cli_text import width, wrap


def test_chinese_characters_take_two_columns() -> None:
    assert width("单位a") == 5


def test_lines_fit_their_columns_and_keep_every_character() -> None:
    text = "同时生成每页的 PNG 预览：<输出文件夹>/preview/<单位>/（需要 LibreOffice 和 pdftoppm）。"
    lines = wrap(text, 40)
    assert all(width(line) <= 40 for line in lines[:-1])
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert "<输出文件夹>/preview/<单位>/（需要" in lines[1]  # a <名称> and a Latin word are not cut


def test_closing_punctuation_stays_on_its_line_and_an_opening_bracket_moves_down() -> None:
    assert wrap("一二三四五，六七", 10) == ["一二三四五，", "六七"]
    assert wrap("一二三四（五六）", 10) == ["一二三四", "（五六）"]


def test_click_english_quoting_a_chinese_value_is_told_in_chinese() -> None:
    from perfgen.cli_text import _bad_value

    assert _bad_value("'二〇二五' is not a valid int.") == "“二〇二五”不是整数"
    assert _bad_value("'万' is not one of '万元', '元'.") == "“万”不是可选的值。可选：万元、元"
    assert _bad_value("0 太小：至少为 1") == "0 太小：至少为 1"


def test_click_refusing_a_path_is_told_in_chinese() -> None:
    from perfgen.cli_text import _bad_value

    assert _bad_value("Path '锁住.docx' is not readable.") == "锁住.docx：没有读取权限"
    assert _bad_value("File '不存在.docx' does not exist.") == "不存在.docx：文件不存在"
    assert _bad_value("Path '文件夹' is a directory.") == "文件夹：是文件夹，不是文件"
