"""Generate synthetic townships from the sample content, for benchmarks.

    python benchmarks/synthetic.py OUT_DIR TOWNSHIPS PROJECTS_PER_TOWNSHIP

Each township copies 怀来县官厅镇-2024 (its 文档.yaml and its 23 projects, cycled),
with its own unit code, name and unique project codes and names.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "projects" / "怀来县官厅镇-2024"


def _projects() -> list[str]:
    document = (SAMPLE / "文档.yaml").read_text(encoding="utf-8")
    names = re.findall(r"^  - (项目/.+\.yaml)$", document, flags=re.MULTILINE)
    return [(SAMPLE / name).read_text(encoding="utf-8") for name in names]


def make_township(out: Path, number: int, projects: int, sources: list[str] | None = None) -> Path:
    sources = sources or _projects()
    folder = out / f"合成镇{number:04d}-2024"
    (folder / "项目").mkdir(parents=True, exist_ok=True)
    listed = []
    for index in range(projects):
        text = sources[index % len(sources)]
        code = f"13073024P{number:06d}{index:06d}"
        text = re.sub(r"^项目编码: .*$", f"项目编码: {code}", text, count=1, flags=re.MULTILINE)
        text = re.sub(r"^项目名称: (.*)$", rf"项目名称: \1（{index + 1}）", text, count=1, flags=re.MULTILINE)
        name = f"项目/{index + 1:04d}.yaml"
        (folder / name).write_text(text, encoding="utf-8")
        listed.append(name)
    document = (SAMPLE / "文档.yaml").read_text(encoding="utf-8")
    document = document.replace("单位编码: '816001'", f"单位编码: '{number:06d}'")
    document = document.replace("单位名称: 怀来县官厅镇人民政府", f"单位名称: 合成镇{number:04d}人民政府")
    head, _, _ = document.partition("项目清单:\n")
    document = head + "项目清单:\n" + "".join(f"  - {name}\n" for name in listed)
    (folder / "文档.yaml").write_text(document, encoding="utf-8")
    return folder


def make_county(out: Path, townships: int, projects: int) -> list[Path]:
    sources = _projects()
    return [make_township(out, number, projects, sources) for number in range(1, townships + 1)]


if __name__ == "__main__":
    target, townships, per = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    made = make_county(target, townships, per)
    print(f"{len(made)} townships x {per} projects in {target}")
