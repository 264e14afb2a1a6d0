// Live portal pages: watches the page's project(s) over /hubs/portal and, when a newer version is announced (or
// after a reconnect or a gap), fetches the current URL again and swaps every element marked data-live-region
// (matched by id) with the server's fresh rendering. No HTML is built here; nothing runs inline (CSP).
// Pages with their own scripts inside a region listen for the "portal:live-updated" event to re-bind. Page scripts
// that change the page themselves (signing, a card payment being confirmed) call window.PortalLive.refresh() instead
// of swapping regions on their own.
(function () {
  'use strict';

  var page = document.getElementById('live-page');
  if (!page || !window.signalR || !window.fetch || !window.DOMParser) {
    return;
  }
  var notice = document.getElementById('live-notice');
  var announcer = document.getElementById('live-announcer');
  var presence = page.getAttribute('data-presence') === 'true';
  var documentVersion = Number(page.getAttribute('data-document-version') || 0);
  var documentNoun = page.getAttribute('data-document-noun') || 'document';
  var known = new Map();
  var cycle = null; // the running fetch-and-swap, a promise
  var again = false;
  var deferred = false;
  var catchUpTimer = 0;
  var withdrawn = false;

  readVersions(page).forEach(function (p) { known.set(p.id, p.version); });

  var connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/portal')
    .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 20000, 30000])
    .configureLogging(signalR.LogLevel.Warning)
    .build();

  connection.on('projectChanged', function (change) {
    var seen = known.get(change.projectId) || 0;
    if (change.version <= seen) {
      return; // stale or repeated: the page already shows this or newer
    }
    known.set(change.projectId, change.version);
    refresh();
  });

  connection.on('accessWithdrawn', function () { withdraw(); });

  connection.onreconnecting(function () { document.documentElement.setAttribute('data-live', 'reconnecting'); });
  connection.onreconnected(function () { watchAll(); });
  connection.onclose(function () {
    if (!withdrawn) {
      document.documentElement.setAttribute('data-live', 'offline');
      // Gave up reconnecting: find out whether the session is gone, otherwise try again later.
      checkAccess().then(function (ok) { if (ok) { setTimeout(start, 15000); } });
    }
  });

  // The one region swap on the page, for page scripts: fetch now (cancelling a pending catch-up, so an action the
  // page's own script just made is fetched once) and resolve true once swapped, false if the fetch failed.
  window.PortalLive = {
    refresh: function () {
      deferred = false;
      clearTimeout(catchUpTimer);
      catchUpTimer = 0;
      return refresh();
    },
  };

  start();

  function start() {
    if (withdrawn) {
      return;
    }
    connection.start().then(watchAll, function () {
      checkAccess().then(function (ok) { if (ok) { setTimeout(start, 5000); } });
    });
  }

  // Watch returns the project's current version; a page rendered from an older one fetches the fresh one.
  function watchAll() {
    document.documentElement.setAttribute('data-live', 'connected');
    var stale = false;
    var calls = Array.from(known.keys()).map(function (id) {
      var seen = known.get(id) || 0;
      return connection.invoke('Watch', id, seen, presence).then(function (current) {
        if (seen === 0) {
          known.set(id, current); // a list rendered without versions starts from here
        } else if (current > seen) {
          known.set(id, current);
          stale = true;
        }
      }, function () { /* not this client's project any more: nothing to watch */ });
    });
    return Promise.all(calls).then(function () { if (stale) { refresh(); } });
  }

  function refresh() {
    if (withdrawn) {
      return Promise.resolve(true);
    }
    if (modalOpen()) {
      deferred = true; // a pop-up (signing, paying) is in the middle of something; its own script refreshes after
      return Promise.resolve(true);
    }
    if (cycle) {
      again = true;
      return cycle;
    }
    cycle = fetch(window.location.href, { credentials: 'same-origin', cache: 'no-store', headers: { 'X-Portal-Live': '1' } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403 || response.status === 410) {
          withdraw();
          return true;
        }
        return response.ok ? response.text().then(function (html) {
          apply(new DOMParser().parseFromString(html, 'text/html'));
          return true;
        }) : false;
      })
      .catch(function () { return false; /* offline: the next event or reconnect tries again */ })
      .then(function (ok) {
        cycle = null;
        if (again) {
          again = false;
          return refresh().then(function () { return ok; });
        }
        return ok;
      });
    return cycle;
  }

  function apply(fresh) {
    var updated = [];
    var labels = [];
    if (modalOpen()) {
      deferred = true;
      return;
    }
    fresh.querySelectorAll('[data-live-region][id]').forEach(function (region) {
      if (region.parentElement && region.parentElement.closest('[data-live-region]')) {
        return; // swapped with its outer region
      }
      var current = document.getElementById(region.id);
      if (!current || !current.hasAttribute('data-live-region') || comparable(current) === comparable(region)) {
        return; // unchanged: leave the page's own elements (and what scripts hold of them) alone
      }
      if (editing(current)) {
        deferred = true; // never pull a half-typed form from under the client
        return;
      }
      Array.from(region.attributes).forEach(function (a) { current.setAttribute(a.name, a.value); });
      current.replaceChildren.apply(current, Array.from(region.childNodes, function (n) { return document.importNode(n, true); }));
      updated.push(region.id);
      if (!current.hasAttribute('aria-live') && current.getAttribute('data-live-label')) {
        labels.push(current.getAttribute('data-live-label'));
      }
    });

    var freshPage = fresh.getElementById('live-page');
    if (freshPage) {
      readVersions(freshPage).forEach(function (p) {
        if (p.version > (known.get(p.id) || 0)) {
          known.set(p.id, p.version);
        }
      });
      var freshDocumentVersion = Number(freshPage.getAttribute('data-document-version') || 0);
      if (documentVersion > 0 && freshDocumentVersion > documentVersion) {
        say(notice, 'This ' + documentNoun + ' has been updated — review it again', 'live-notice alert alert-warning');
      }
      documentVersion = Math.max(documentVersion, freshDocumentVersion);
    }
    if (labels.length > 0) {
      say(announcer, 'Updated: ' + labels.join(', ') + '.');
    }
    if (updated.length > 0) {
      document.dispatchEvent(new CustomEvent('portal:live-updated', { detail: { regions: updated } }));
    }
  }

  function editing(region) {
    var active = document.activeElement;
    return !!(active && region.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName));
  }

  // Catch up once the form field is left or the pop-up is closed; a pop-up's own script refreshes the page as it
  // closes, so wait a moment and then only swap what still differs.
  document.addEventListener('focusout', function () { catchUp(0); });
  document.addEventListener('close', function () { catchUp(1000); }, true);

  function catchUp(delay) {
    if (deferred && !modalOpen()) {
      deferred = false;
      clearTimeout(catchUpTimer);
      catchUpTimer = setTimeout(function () { catchUpTimer = 0; refresh(); }, delay);
    }
  }

  function modalOpen() {
    return !!document.querySelector('dialog[open]');
  }

  // Region content without the per-response antiforgery tokens, which differ on every fetch.
  function comparable(element) {
    var copy = element.cloneNode(true);
    copy.querySelectorAll('input[name="__RequestVerificationToken"]').forEach(function (input) { input.removeAttribute('value'); });
    return copy.innerHTML;
  }

  function withdraw() {
    if (withdrawn) {
      return;
    }
    withdrawn = true;
    document.documentElement.setAttribute('data-live', 'withdrawn');
    connection.stop();
    say(notice, 'Your access through this link has been withdrawn. Ask us for a new link to continue.', 'live-notice alert alert-error');
    document.querySelectorAll('main button, main input, main textarea, main select').forEach(function (control) {
      control.disabled = true;
    });
  }

  function checkAccess() {
    return fetch(window.location.href, { method: 'HEAD', credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        if (response.status === 401 || response.status === 403 || response.status === 410) {
          withdraw();
          return false;
        }
        return true;
      }, function () { return true; });
  }

  function say(element, text, className) {
    if (!element) {
      return;
    }
    if (className) {
      element.className = className;
    }
    element.textContent = text;
  }

  function readVersions(root) {
    return Array.from(root.querySelectorAll('[data-live-project]')).map(function (e) {
      return { id: e.getAttribute('data-live-project'), version: Number(e.getAttribute('data-live-version') || 0) };
    });
  }
})();
