// Palisade portal behaviour on top of htmx: local times, the narrow-window menu, errors as toasts, and live alerts
// from the gateway's /portal/alerts/stream (Server-Sent Events). No inline script anywhere (the CSP forbids it).
(function () {
  'use strict';

  function localTimes(root) {
    root.querySelectorAll('time[datetime]').forEach(function (el) {
      var when = new Date(el.getAttribute('datetime'));
      if (!isNaN(when)) {
        el.textContent = when.toLocaleString();
        el.title = el.getAttribute('datetime');
      }
    });
  }

  function toast(html, bad) {
    var box = document.getElementById('toasts');
    if (!box) return;
    var item = document.createElement('div');
    item.className = 'toast' + (bad ? ' bad' : '');
    item.innerHTML = html;
    box.appendChild(item);
    setTimeout(function () { item.remove(); }, 8000);
  }

  function text(value) {
    var div = document.createElement('div');
    div.textContent = value == null ? '' : String(value);
    return div.innerHTML;
  }

  function problemDetail(xhr) {
    try {
      var problem = JSON.parse(xhr.responseText);
      return problem.detail || problem.title || ('HTTP ' + xhr.status);
    } catch (e) {
      return 'HTTP ' + xhr.status;
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    localTimes(document);

    var toggle = document.querySelector('[data-nav-toggle]');
    if (toggle) {
      toggle.addEventListener('click', function () {
        var nav = document.getElementById('nav');
        var open = nav.classList.toggle('open');
        toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
      });
    }

    document.body.addEventListener('htmx:afterSwap', function (e) { localTimes(e.detail.elt); });

    // A session that ended answers background requests with 499: reload, which signs in again.
    document.body.addEventListener('htmx:responseError', function (e) {
      var xhr = e.detail.xhr;
      if (xhr.status === 499 || xhr.status === 401) {
        window.location.reload();
        return;
      }
      // Fragments that carry their own error message are swapped in; others become a toast.
      if (xhr.getResponseHeader('Content-Type') && xhr.getResponseHeader('Content-Type').indexOf('text/html') === 0) {
        e.detail.shouldSwap = true;
        e.detail.isError = false;
      } else {
        toast(text(problemDetail(xhr)), true);
      }
    });
    document.body.addEventListener('htmx:sendError', function () {
      toast('The gateway could not be reached. Check your connection and try again.', true);
    });

    var live = document.body.getAttribute('data-live');
    if (live && window.EventSource) {
      var indicators = document.querySelectorAll('[data-live-indicator]');
      var source = new EventSource('/portal/alerts/stream');
      source.onopen = function () { indicators.forEach(function (i) { i.classList.add('on'); }); };
      source.onerror = function () { indicators.forEach(function (i) { i.classList.remove('on'); }); };
      source.addEventListener('alert', function (message) {
        var change;
        try { change = JSON.parse(message.data); } catch (e) { return; }
        var alert = change.alert || {};
        var props = alert.properties || {};
        if (change.changeKind === 'Created') {
          toast('New ' + text(props.severity) + ' alert: <a href="/portal/alerts/' + encodeURIComponent(alert.name) + '">'
            + text(props.alertDisplayName) + '</a>');
        }
        document.body.dispatchEvent(new CustomEvent('palisade:alert', { detail: change }));
      });
      window.addEventListener('beforeunload', function () { source.close(); });
    }
  });
})();
