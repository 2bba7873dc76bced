"""Find English a clerk would have to read: words left in a message outside paths, rule ids and quoted text."""

from __future__ import annotations

import re

# names a clerk meets as they are (formats, programs, keys of the keyboard) and YAML's own values
NAMES = {
    "YAML", "Word", "UTF", "GBK", "Tab", "LibreOffice", "PDF", "PNG", "JSON", "CI", "git", "perfgen",
    "true", "false", "U", "WPS", "soffice", "pdftoppm", "pre", "commit", "TOC", "CPU", "Excel",
}

QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|'[^']*'|\"[^\"]*\"|「[^」]*」")
PATH = re.compile(r"[^\s“”‘’'\"（），、：；。]*(/|\\|\.yaml|\.docx|\.pdf|\.json)[^\s“”‘’'\"（），、：；。]*")
OPTION = re.compile(r"(?<![A-Za-z])--?[A-Za-z][\w-]*")
COMMAND = re.compile(r"\bperfgen( template)? [a-z]+")  # a command to type: perfgen fmt --fix
WORD = re.compile(r"[A-Za-z]+")


def english_words(message: str, allowed: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """English words in ``message`` outside quotes, paths, command options and the names above."""
    text = QUOTED.sub(" ", message)
    text = PATH.sub(" ", text)
    text = COMMAND.sub(" ", text)
    text = OPTION.sub(" ", text)
    text = re.sub(r"\.[A-Za-z]{2,5}\b", " ", text)  # file extensions: .docx、.wps
    text = re.sub(r"U\+[0-9A-F]{4}", " ", text)
    text = re.sub(r"[A-Za-z0-9]*[0-9][A-Za-z0-9]*", " ", text)  # codes such as 13073024P00888510015C
    # a single letter is a character of a code or a format, not a word to read
    return [word for word in WORD.findall(text) if len(word) > 1 and word not in NAMES and word not in allowed]
