// The staff feed page: client activity and presence pushed over /hubs/staff (the staff session cookie authenticates).
(function () {
  'use strict';

  var list = document.getElementById('feed-list');
  var presence = document.getElementById('presence-list');
  var status = document.getElementById('feed-status');
  if (!list || !presence || !window.signalR) {
    return;
  }
  var maxItems = 100;

  var connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/staff')
    .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 20000, 30000])
    .configureLogging(signalR.LogLevel.Warning)
    .build();

  connection.on('feedItem', function (item) { addItem(item, true); });
  connection.on('presence', function (change) { setPresence(change); });
  // The session ended (password or role changed, removed from the company, "Sign out everywhere"): no reconnecting.
  var ended = false;
  connection.on('sessionEnded', function () {
    ended = true;
    setStatus('Signed out — sign in again', 'red');
    connection.stop();
  });
  connection.onreconnecting(function () { setStatus('Reconnecting…', 'amber'); });
  connection.onreconnected(function () { setStatus('Live', 'green'); resync(); });
  connection.onclose(function () {
    if (!ended) {
      setStatus('Offline — reload the page', 'red');
    }
  });

  connection.start().then(function () { setStatus('Live', 'green'); return resync(); }, function () {
    setStatus('Offline — reload the page', 'red');
  });

  // After (re)connecting, the snapshot fills anything missed meanwhile.
  function resync() {
    return connection.invoke('Snapshot').then(function (snapshot) {
      snapshot.items.slice().reverse().forEach(function (item) { addItem(item, false); });
      presence.replaceChildren();
      snapshot.presence.forEach(setPresence);
      toggleEmpty();
    });
  }

  function addItem(item, fresh) {
    if (list.querySelector('li[data-id="' + item.id + '"]')) {
      return;
    }
    var li = document.createElement('li');
    li.className = 'row' + (fresh ? ' fresh' : '');
    li.setAttribute('data-id', item.id);
    li.setAttribute('data-verb', item.verb);
    var text = document.createElement('span');
    text.className = 'feed-text';
    text.textContent = item.text;
    var time = document.createElement('time');
    time.className = 'meta';
    time.setAttribute('datetime', item.at);
    time.textContent = item.time;
    li.append(text, time);
    list.prepend(li);
    while (list.children.length > maxItems) {
      list.lastElementChild.remove();
    }
    toggleEmpty();
  }

  function setPresence(change) {
    var key = change.projectId + ':' + change.clientId;
    var existing = presence.querySelector('li[data-key="' + key + '"]');
    if (!change.viewing) {
      if (existing) {
        existing.remove();
      }
      toggleEmpty();
      return;
    }
    if (existing) {
      return;
    }
    var li = document.createElement('li');
    li.className = 'row';
    li.setAttribute('data-key', key);
    var dot = document.createElement('span');
    dot.className = 'presence-dot';
    dot.setAttribute('aria-hidden', 'true');
    var text = document.createElement('span');
    text.textContent = change.text;
    li.append(dot, text);
    presence.append(li);
    toggleEmpty();
  }

  function toggleEmpty() {
    document.getElementById('feed-empty').hidden = list.children.length > 0;
    document.getElementById('presence-empty').hidden = presence.children.length > 0;
  }

  function setStatus(text, tone) {
    status.textContent = text;
    status.className = 'badge ' + tone;
  }
})();
