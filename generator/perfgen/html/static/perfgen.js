// perfgen's pages: a problem in the list flashes its cell; under `perfgen serve`, the page follows the sources.
(function () {
  "use strict";

  function flash(id) {
    var target = id && document.getElementById(id);
    if (!target) return;
    target.classList.remove("pg-flash");
    void target.offsetWidth; // restart the animation
    target.classList.add("pg-flash");
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.pg-goto");
    if (link) flash(link.getAttribute("href").slice(1));
  });

  var body = document.body;
  var events = body.dataset.events, source = body.dataset.body;
  if (!events || !source || !window.EventSource) return;
  var status = document.getElementById("pg-live");
  // 24-hour digits whatever the browser's language: a clerk's page says 22:05:09, not "10:05:09 PM"
  function clock(time) {
    return [time.getHours(), time.getMinutes(), time.getSeconds()]
      .map(function (n) { return (n < 10 ? "0" : "") + n; }).join(":");
  }
  function say(text, down) {
    if (!status) return;
    status.hidden = false;
    status.textContent = text;
    status.classList.toggle("pg-live-down", !!down);
  }

  // put the new body in, replacing only the pages and lists that changed: the browser lays out those alone
  function swap(root, html) {
    var fresh = document.createElement("div");
    fresh.innerHTML = html;
    var old = Array.prototype.slice.call(root.children), now = Array.prototype.slice.call(fresh.children);
    if (old.length !== now.length) {
      root.replaceChildren.apply(root, now);
      return;
    }
    now.forEach(function (part, i) {
      var before = old[i];
      var pages = Array.prototype.slice.call(before.children), newPages = Array.prototype.slice.call(part.children);
      if (before.tagName !== part.tagName || before.className !== part.className || pages.length !== newPages.length) {
        before.replaceWith(part);
        return;
      }
      Array.prototype.slice.call(part.attributes).forEach(function (a) { before.setAttribute(a.name, a.value); });
      newPages.forEach(function (page, j) {
        if (!pages[j].isEqualNode(page)) pages[j].replaceWith(page);
      });
    });
  }

  var wanted = null, fetching = false;
  function refresh() {
    if (fetching || wanted === null) return;
    var version = wanted;
    wanted = null;
    fetching = true;
    fetch(source + "?v=" + encodeURIComponent(version), { cache: "no-store" })
      .then(function (answer) {
        if (!answer.ok) throw new Error(answer.status);
        return answer.text();
      })
      .then(function (html) {
        var x = window.scrollX, y = window.scrollY;
        swap(document.getElementById("pg-root"), html);
        window.scrollTo(x, y);
        body.dataset.version = version;
        say("已更新 " + clock(new Date()));
      })
      .catch(function () { say("更新失败，请刷新页面", true); })
      .then(function () { fetching = false; refresh(); });
  }

  var stream = new EventSource(events);
  stream.addEventListener("open", function () { say("实时预览：保存文件后自动更新"); });
  stream.addEventListener("error", function () { say("与预览服务器的连接已断开（perfgen serve 是否已停止？）", true); });
  stream.addEventListener("version", function (event) {
    if (event.data === body.dataset.version) return;
    wanted = event.data;
    refresh();
  });
})();

// the 分页预览: ask every second whether newer pages are made, then load them
(function () {
  "use strict";
  var body = document.body, state = body.dataset.pagesState;
  if (!state) return;
  var message = document.getElementById("pg-pages-message");
  function poll() {
    fetch(state, { cache: "no-store" })
      .then(function (answer) { return answer.json(); })
      .then(function (now) {
        var text = now.message || "";
        if (now.state === "ready" && now.version !== now.current) text = "源文件已修改，正在重新排版……";
        message.textContent = text;
        if (now.state === "ready" && String(now.version) !== body.dataset.pagesVersion) {
          var sheets = document.getElementById("pg-sheets");
          sheets.textContent = "";
          for (var i = 1; i <= now.count; i++) {
            var image = document.createElement("img");
            image.className = "pg-sheet";
            image.loading = "lazy";
            image.width = 661;
            image.height = 935;
            image.alt = "第 " + i + " 页";
            image.src = state.replace(/state$/, i + ".png") + "?v=" + now.version;
            sheets.appendChild(image);
          }
          body.dataset.pagesVersion = String(now.version);
        }
      })
      .catch(function () { message.textContent = "与预览服务器的连接已断开"; })
      .then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
