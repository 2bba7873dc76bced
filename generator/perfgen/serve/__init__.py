"""``perfgen serve``: the township's document in the browser while the clerk types, every problem in its cell.

township.py keeps each township checked and rendered (html/) as its files change, watch.py sees the
changes, http.py answers the browser from memory, pages.py makes the 分页预览 with a warm LibreOffice;
app.py puts them together (``Server``).
"""
