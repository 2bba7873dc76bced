"""perfgen: 部门预算绩效文本 from YAML sources."""

__version__ = "0.1.0"
