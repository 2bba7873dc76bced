"""The command line in Chinese: help pages, usage lines and usage errors.

typer (below 0.29) carries its own copy of click, whose words are English
literals, not gettext messages. So the help is written by a formatter of our
own (headings, usage prefix, option extras, metavars, wrapping by display
width so that Chinese lines neither overflow nor get spaces between them),
and usage errors are caught in ``main`` and told again in Chinese from the
exception's own fields. Only this module knows typer's internals.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import typer
from typer._click import exceptions as click_errors
from typer._click.core import Context as ClickContext
from typer._click.formatting import HelpFormatter
from typer.core import TyperCommand, TyperGroup
from typer.exceptions import Abort

HEADINGS = {"Options": "选项", "Arguments": "参数", "Commands": "命令"}
METAVARS = {
    "<path>": "<路径>",
    "<str>": "<文字>",
    "<text>": "<文字>",
    "<int>": "<整数>",
    "<integer>": "<整数>",
    "<int range>": "<整数>",
    "<float>": "<数字>",
    "<float range>": "<数字>",
    "<bool>": "<true|false>",
    "<boolean>": "<true|false>",
}
HELP_TEXT = "显示本帮助后退出。"
CLOSING = set("，。、；：！？）】》”’」")
OPENING = "（【《“‘「"
CONTEXT = {"help_option_names": ["-h", "--help"]}


def width(text: str) -> int:
    """Columns ``text`` takes on a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, columns: int) -> list[str]:
    """Break one line of mixed Chinese and English at ``columns`` display columns, never inside a Latin word."""
    lines: list[str] = []
    current = ""
    used = 0  # width(current), kept as the line grows: measuring the whole line at every token made wrap quadratic
    for token in re.findall(r"(?:<[^<>\s]{1,12}>|[A-Za-z0-9_./<>|\[\]=+-])+\s*|\s+|.", text):
        # closing punctuation stays with the line it closes, even a column past the edge
        if current and used + width(token.rstrip()) > columns and token not in CLOSING:
            # an opening bracket goes down with what it opens
            kept = current.rstrip()
            opening = len(kept) - len(kept.rstrip(OPENING))
            lines.append(kept[: len(kept) - opening] if opening < len(kept) else kept)
            current = (kept[len(kept) - opening :] if opening < len(kept) else "") + token.lstrip()
            used = width(current)
        else:
            current += token
            used += width(token)
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def _extras(text: str) -> str:
    """typer's "[default: build]", "[required]" and ranges, in Chinese."""
    match = re.search(r"\s*\[([^\[\]]*)\]$", text)
    if not match:
        return text
    parts = []
    for part in match.group(1).split("; "):
        if part.startswith("default: "):
            parts.append(f"默认：{part[len('default: '):]}")
        elif part == "required":
            parts.append("必填")
        elif re.fullmatch(r"x>=(\d+)", part):
            parts.append(f"至少为 {part[3:]}")
        elif part.startswith("env var: "):
            parts.append(f"环境变量：{part[len('env var: '):]}")
        else:
            parts.append(part)
    return f"{text[: match.start()]}  [{'；'.join(parts)}]"


def _metavars(text: str) -> str:
    return re.sub(r"<[a-z ]+>", lambda m: METAVARS.get(m.group(), m.group()), text)


class Formatter(HelpFormatter):
    """click's help formatter with Chinese headings and lines measured in display columns."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        self.write(f"{'':>{self.current_indent}}用法：{prog} {args}\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{HEADINGS.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        # the help is written line by line as it should read: keep its lines, break only those too long
        indent = " " * self.current_indent
        for line in text.splitlines():
            for part in wrap(line, max(self.width - self.current_indent, 30)) if line.strip() else [""]:
                self.write(f"{indent}{part}".rstrip() + "\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(_metavars(first), _extras(second)) for first, second in rows]
        first_width = min(max((width(first) for first, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        columns = max(self.width - self.current_indent - first_width, 20)
        for first, second in rows:
            # "[默认：…]" stays whole: after the text when it fits, else on a line of its own
            body, _, extras = second.partition("  [")
            lines = wrap(body, columns) if body else []
            if extras:
                extras = "[" + extras
                if lines and width(lines[-1]) + 2 + width(extras) <= columns:
                    lines[-1] += "  " + extras
                else:
                    lines.append(extras)
            if width(first) + col_spacing > first_width:
                self.write(f"{indent}{first}\n")
                lines_start = 0
            else:
                head = lines[0] if lines else ""
                self.write(f"{indent}{first}{' ' * (first_width - width(first))}{head}".rstrip() + "\n")
                lines_start = 1
            for line in lines[lines_start:]:
                self.write(f"{indent}{' ' * first_width}{line}\n")


class Context(ClickContext):
    formatter_class = Formatter


def _chinese_help_option(option: Any) -> Any:
    if option is not None:
        option.help = HELP_TEXT
    return option


class Command(TyperCommand):
    """A perfgen command: Chinese help."""

    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["context_settings"] = {**CONTEXT, **(kwargs.get("context_settings") or {})}
        kwargs["options_metavar"] = "[选项]"
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: Any) -> Any:
        return _chinese_help_option(super().get_help_option(ctx))


class Group(TyperGroup):
    """perfgen's group of commands: Chinese help."""

    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["context_settings"] = {**CONTEXT, **(kwargs.get("context_settings") or {})}
        kwargs["options_metavar"] = "[选项]"
        kwargs["subcommand_metavar"] = "命令 [参数]..."
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: Any) -> Any:
        return _chinese_help_option(super().get_help_option(ctx))


# -- usage errors


def _options(ctx: Any) -> list[str]:
    if ctx is None:
        return []
    names: list[str] = []
    for param in ctx.command.get_params(ctx):
        names += [name for name in (*param.opts, *param.secondary_opts) if name.startswith("-")]
    return names


def _param_name(error: click_errors.BadParameter) -> str:
    param = error.param
    if error.param_hint:
        hint = error.param_hint
        return " / ".join(hint) if isinstance(hint, (list, tuple)) else str(hint)
    if param is None:
        return ""
    if param.param_type_name == "argument":
        return param.human_readable_name
    return " / ".join(param.opts)


def _has_chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


def _bad_value(message: str) -> str:
    """click's reasons a value is refused, in Chinese (click's English may quote a Chinese value: '二〇二五' is not a valid int)."""
    if match := re.fullmatch(r"'(.*)' is not one of (.*)\.", message, re.S):
        choices = "、".join(re.findall(r"'([^']*)'", match.group(2)))
        return f"“{match.group(1)}”不是可选的值。可选：{choices}"
    if match := re.fullmatch(r"'(.*)' is not a valid (int|integer|int range)\.", message, re.S):
        return f"“{match.group(1)}”不是整数"
    if match := re.fullmatch(r"'(.*)' is not a valid (float|float range)\.", message, re.S):
        return f"“{match.group(1)}”不是数字"
    if match := re.fullmatch(r"'(.*)' is not a valid boolean.*", message, re.S):
        return f"“{match.group(1)}”不是 true 或 false"
    if match := re.fullmatch(r"(?:Path|File|Directory) '(.*)' (does not exist|is a file|is a directory|is not \w+)\.", message, re.S):
        reason = {"does not exist": "不存在", "is a file": "是文件，不是文件夹", "is a directory": "是文件夹，不是文件",
                  "is not readable": "没有读取权限", "is not writable": "没有写入权限"}.get(match.group(2), "无法使用")
        return f"{match.group(1)}：{'文件' if match.group(2) == 'does not exist' else ''}{reason}"
    if match := re.fullmatch(r"(.*) is not in the range x>=(\d+)\.", message, re.S):
        return f"{match.group(1)} 太小：至少为 {match.group(2)}"
    if match := re.fullmatch(r"(.*) is not in the range (.*)\.", message, re.S):
        return f"{match.group(1)} 超出范围（{match.group(2)}）"
    if _has_chinese(message):  # perfgen's own check
        return message
    return "值不对"


def usage_message(error: Any) -> str:
    """What a usage error says, in Chinese, with what to do."""
    ctx = getattr(error, "ctx", None)
    import difflib  # only a usage error needs it

    if isinstance(error, click_errors.NoSuchOption):
        near = difflib.get_close_matches(error.option_name, _options(ctx), n=3, cutoff=0.5)
        if near:
            return f"没有选项“{error.option_name}”：是不是 {'、'.join(near)}？"
        known = "、".join(sorted(set(_options(ctx))))
        return f"没有选项“{error.option_name}”。可用的选项：{known}"
    if isinstance(error, click_errors.MissingParameter):
        param = error.param
        kind = "参数" if param is not None and param.param_type_name == "argument" else "选项"
        described = getattr(param, "help", None)  # typer's parameters have help, click's arguments not
        hint = f"：{described}" if described else ""
        return f"缺少{kind}“{_param_name(error)}”{hint}"
    if isinstance(error, click_errors.BadParameter):
        return f"“{_param_name(error)}”的值不对：{_bad_value(error.message)}"
    message = error.message if isinstance(error, click_errors.ClickException) else str(error)
    if match := re.match(r"No such command '([^']*)'", message):
        commands = list(getattr(ctx.command, "commands", {})) if ctx else []
        near = difflib.get_close_matches(match.group(1), commands, n=3, cutoff=0.5)
        hint = f"是不是 {'、'.join(near)}？" if near else f"可用的命令：{'、'.join(commands)}"
        return f"没有命令“{match.group(1)}”：{hint}"
    if match := re.match(r"Option '(.*)' requires", message):
        return f"选项 {match.group(1)} 后面要写一个值"
    if match := re.match(r"Option '(.*)' does not take a value", message):
        return f"选项 {match.group(1)} 后面不能写值"
    if match := re.match(r"Got unexpected extra argument(?:\(s\)|s)? \((.*)\)", message, re.S):
        return f"多余的参数：{match.group(1)}。路径中有空格时，请把整个路径放在引号里"
    if message.startswith("Missing command"):
        return "缺少命令"
    if _has_chinese(message):
        return message
    return "命令的写法不对"


def show_usage_error(error: Any) -> None:
    """A usage error as the clerk reads it: the usage line, where help is, the error in Chinese."""
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        typer.echo(ctx.get_usage(), err=True)
        typer.echo(f"运行 {ctx.command_path} --help 查看帮助。\n", err=True)
    typer.echo(f"错误：{usage_message(error)}", err=True)


def run(app: Any, args: list[str] | None, prog_name: str) -> int:
    """Run the typer app; usage errors and interruptions are reported in Chinese. Returns the exit code."""
    try:
        code = app(args=args, prog_name=prog_name, standalone_mode=False)
    except click_errors.NoArgsIsHelpError as error:  # as click does: the help, on stderr, exit code 2
        typer.echo(error.ctx.get_help(), err=True)
        return 2
    except click_errors.UsageError as error:
        show_usage_error(error)
        return 2
    except click_errors.ClickException as error:
        typer.echo(f"错误：{usage_message(error)}", err=True)
        return 1
    except Abort:
        typer.echo("已取消。", err=True)
        return 1
    return code if isinstance(code, int) else 0
